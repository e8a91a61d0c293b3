/**
 * Mirror files (docs/PROTOCOL.md, "Appendix: mirror layout") as a watchdog uses them: a ledger on
 * PostgreSQL anchored on a real Hardhat node publishes its blocks, the database is dropped, a plain
 * static server serves the directory, and `sealbook verify --mirror` and `sealbook monitor --mirror`
 * check a proof, whole blocks and the roots on chain from the files alone; a changed file is caught.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { resolvePublishTarget } from "../../lib/chain/publish-target";
import { publishBlocks } from "../../lib/ledger/publish";
import type { Hash } from "../../lib/protocol/hex";
import { entriesPath } from "../../lib/protocol/mirror";
import { startTestChain, type TestChain } from "../support/chain";
import { skipReason } from "../support/db";
import { serveDirectory } from "../support/static-server";
import { watchdogPort } from "./support/portal";
import { ledgerScenario, sealbookCli } from "./support/scenario";

const skip = await skipReason("postgres");

describe("verifying and monitoring from a mirror's files, with the database gone", { skip: skip ?? false }, () => {
  let chain: TestChain;
  let dir: string;
  let served: Awaited<ReturnType<typeof serveDirectory>>;
  let registry: string;
  let entries: Hash[];

  before(async () => {
    chain = await startTestChain({ port: await watchdogPort() });
    dir = await mkdtemp(path.join(tmpdir(), "sealbook-mirror-"));
    const s = await ledgerScenario(chain);
    registry = s.registry;
    await s.seal(1, 3);
    await s.seal(1, 40);
    await s.anchor();
    entries = await s.entriesOf(2);
    const target = resolvePublishTarget(s.config, dir);
    assert.ok(target);
    assert.deepEqual((await publishBlocks(s.ledger, target)).published, [1, 2]);
    await s.db.dispose();
    served = await serveDirectory(dir);
  });

  after(async () => {
    await served?.close();
    await chain?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const verify = async (args: string[]) => {
    const run = await sealbookCli(["verify", "--mirror", served.url, "--rpc", chain.rpcUrl, "--json", ...args]);
    const report = JSON.parse(run.stdout) as { exitCode: number; steps: Array<{ step: string; check?: string; status: string }> };
    return { code: run.code, steps: report.steps.map((s) => `${s.check ? `${s.step}/${s.check}` : s.step}:${s.status}`) };
  };

  it("verifies an entry's proof from the files, with the checkpoint's signer and the roots checked on chain", async () => {
    const run = await verify(["--entry", entries[17]]);
    assert.deepEqual(run.steps, ["mirror/checkpoint:pass", "mirror/signer_role:pass", "mirror/entry_found:pass", "entry_hash:skipped", "merkle_proof:pass", "root_on_chain:pass", "chain_linkage:pass"]);
    assert.equal(run.code, 0);
  });

  it("verifies a whole block from the files and its root on chain", async () => {
    const run = await verify(["--block", "2"]);
    assert.deepEqual(run.steps, ["mirror/checkpoint:pass", "mirror/signer_role:pass", "mirror/block_files:pass", "root_on_chain:pass", "chain_linkage:pass"]);
    assert.equal(run.code, 0);
  });

  it("monitors the mirror like a portal, and names the block whose entry list was changed on the mirror", async () => {
    const monitor = async () => {
      const run = await sealbookCli(["monitor", "--mirror", served.url, "--rpc", chain.rpcUrl, "--registry", registry, "--once", "--json"]);
      return { code: run.code, result: JSON.parse(run.stdout) as { findings: Array<{ kind: string; height?: number }>; summary: { head: number } } };
    };
    const healthy = await monitor();
    assert.deepEqual(healthy.result.findings, []);
    assert.equal(healthy.result.summary.head, 2);
    assert.equal(healthy.code, 0);

    const file = path.join(dir, ...entriesPath(1).split("/"));
    const original = await readFile(file);
    const changed = Buffer.from(original);
    changed[0] ^= 1;
    await writeFile(file, changed);
    try {
      const tampered = await monitor();
      assert.equal(tampered.code, 1);
      assert.deepEqual(tampered.result.findings.map((f) => `${f.kind}@${f.height}`), ["entries_root_mismatch@1"]);
      const block = await verify(["--block", "1"]);
      assert.equal(block.code, 1);
      assert.ok(block.steps.includes("mirror/block_files:fail"));
    } finally {
      await writeFile(file, original);
    }
  });
});
