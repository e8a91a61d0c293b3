/**
 * `sealbook monitor`, run as a watchdog runs it (a child process), against the ledger's public API
 * over HTTP (the app's route handlers on PostgreSQL) and a real Hardhat node: a healthy ledger
 * makes no noise, and each lie is named by its finding, block or entry.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { privateKeyToAccount } from "viem/accounts";
import { receiptDomain, type SignedReceipt } from "../../lib/protocol/receipt";
import type { Hash } from "../../lib/protocol/hex";
import type { Finding } from "../../lib/watchdog/findings";
import type { PassResult } from "../../lib/watchdog/monitor";
import { createReceiptSigner } from "../../lib/ledger/receipts";
import type { MonitorState } from "../../lib/watchdog/state";
import { api } from "../support/api";
import { DEV_KEYS, startRpcProxy, startTestChain, type TestChain } from "../support/chain";
import { skipReason } from "../support/db";
import { startPortal, startProxy, watchdogPort, type TestServer } from "./support/portal";
import { ledgerScenario, sealbookChild, sealbookCli, type Scenario } from "./support/scenario";

const skip = await skipReason("postgres");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let chain: TestChain;
let portal: TestServer;
let dir: string;

type Run = { code: number | null; result: PassResult & { consistentSince: string | null }; stderr: string };

/** `sealbook monitor --once --json` against `portalUrl` (default the portal) and the scenario's registry. */
async function monitor(s: Scenario, extra: string[] = [], portalUrl = portal.url, rpcUrl = chain.rpcUrl): Promise<Run> {
  const run = await sealbookCli(["monitor", "--portal", portalUrl, "--rpc", rpcUrl, "--registry", s.registry, "--once", "--json", ...extra]);
  let result: Run["result"];
  try {
    result = JSON.parse(run.stdout) as Run["result"];
  } catch {
    throw new Error(`monitor printed no JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  return { code: run.code, result, stderr: run.stderr };
}

const kinds = (findings: Finding[]) => findings.map((f) => `${f.kind}@${f.height ?? ""}${f.entryHash ? `:${f.entryHash.slice(0, 10)}` : ""}`);

/** Submits `count` records through the batch API and returns the answer (each accepted item with its receipt). */
async function submitBatch(s: Scenario, count: number) {
  const response = await api.postBatch(JSON.stringify({ jws: await s.records(count) }));
  const body = (await response.json()) as { results: Array<{ status: string; entryHash: Hash; receipt: SignedReceipt }> };
  assert.ok(body.results.every((r) => r.status === "accepted" && r.receipt));
  return body;
}

describe("sealbook monitor", { skip: skip ?? false }, () => {
  before(async () => {
    chain = await startTestChain({ port: await watchdogPort() });
    portal = await startPortal();
    dir = await mkdtemp(path.join(tmpdir(), "sealbook-monitor-"));
  });
  after(async () => {
    await portal?.close();
    await chain?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("finds nothing on a healthy ledger, settles a receipt, remembers what it verified, and stays quiet on the next pass", async () => {
    const s = await ledgerScenario(chain);
    try {
      await s.seal(1, 3);
      await s.seal(1, 1);
      const batch = await submitBatch(s, 2);
      await s.seal(1, 0); // seals the two submitted records
      await s.anchor();
      const receipts = path.join(dir, "healthy-receipts");
      await rm(receipts, { recursive: true, force: true });
      await import("node:fs/promises").then((fs) => fs.mkdir(receipts));
      await writeFile(path.join(receipts, "batch.json"), JSON.stringify(batch));
      await sleep(2_200); // let the receipts' sealBy pass: they are checked now
      const state = path.join(dir, "healthy.json");

      const first = await monitor(s, ["--state", state, "--receipts", receipts]);
      assert.deepEqual(kinds(first.result.findings), [], first.stderr);
      assert.equal(first.code, 0);
      assert.equal(first.result.summary.head, 3);
      assert.equal(first.result.summary.chainHeight, 3);
      assert.equal(first.result.summary.verifiedBlocks, 3);
      assert.deepEqual(first.result.summary.receipts, { checked: 2, settled: 2, notDue: 0, ignored: 0 });
      assert.ok(first.result.consistentSince);

      const remembered = JSON.parse(await readFile(state, "utf8")) as MonitorState;
      assert.deepEqual(Object.keys(remembered.blocks), ["1", "2", "3"]);
      assert.ok(Object.values(remembered.blocks).every((b) => b.anchored && /^0x[0-9a-f]{64}$/.test(b.entriesDigest)));
      assert.equal(Object.keys(remembered.settledReceipts).length, 2);

      const second = await monitor(s, ["--state", state, "--receipts", receipts]);
      assert.equal(second.code, 0);
      assert.deepEqual(second.result.findings, []);
      assert.equal(second.result.summary.verifiedBlocks, 1, "only the rotating re-check downloads a known block again");
      assert.deepEqual(second.result.summary.receipts, { checked: 0, settled: 2, notDue: 0, ignored: 0 }, "settled receipts are not asked again");
      assert.equal(second.result.consistentSince, first.result.consistentSince);
    } finally {
      await s.db.dispose();
    }
  });

  it("names the block whose root in the database differs from the one on the chain", async () => {
    const s = await ledgerScenario(chain);
    try {
      await s.seal(1, 2);
      await s.seal(1, 3);
      await s.anchor();
      const forged = await s.rewriteBlock(2);
      const run = await monitor(s);
      assert.equal(run.code, 1);
      assert.deepEqual(kinds(run.result.findings), ["chain_root_mismatch@2"], "the rewrite is consistent in the database: only the chain tells");
      assert.equal(run.result.findings[0].found, forged);
    } finally {
      await s.db.dispose();
    }
  });

  it("catches a block rewritten after it saw it, before its root is on chain", async () => {
    const s = await ledgerScenario(chain);
    try {
      await s.seal(1, 2);
      await s.anchor();
      await s.seal(1, 3); // block 2: sealed, not anchored yet
      const state = path.join(dir, "rewrite.json");
      const before = await monitor(s, ["--state", state]);
      assert.equal(before.code, 0, JSON.stringify(before.result.findings));
      const seen = (JSON.parse(await readFile(state, "utf8")) as MonitorState).blocks["2"];
      assert.equal(seen.anchored, false);

      const forged = await s.rewriteBlock(2);
      const afterRewrite = await monitor(s, ["--state", state]);
      assert.equal(afterRewrite.code, 1);
      assert.deepEqual(kinds(afterRewrite.result.findings), ["block_changed@2"]);
      assert.equal(afterRewrite.result.findings[0].found, `root ${forged}, 3 entries`);
      assert.equal(afterRewrite.result.consistentSince, null);
      const kept = (JSON.parse(await readFile(state, "utf8")) as MonitorState).blocks["2"];
      assert.equal(kept.root, seen.root, "the state keeps the block as it was verified: the evidence");
    } finally {
      await s.db.dispose();
    }
  });

  it("reports anchoring lag over the threshold, and not under it", async () => {
    const s = await ledgerScenario(chain);
    try {
      await s.seal(2, 1);
      await s.anchor();
      await s.seal(1, 2); // block 3 waits for its anchor
      const patient = await monitor(s, ["--max-lag", "600"]);
      assert.equal(patient.code, 0);
      assert.ok(patient.result.notes.some((n) => n.includes("from 3 are not anchored yet")), patient.result.notes.join("\n"));
      await sleep(1_500);
      const strict = await monitor(s, ["--max-lag", "1"]);
      assert.equal(strict.code, 1);
      assert.deepEqual(kinds(strict.result.findings), ["anchoring_lag@3"]);
    } finally {
      await s.db.dispose();
    }
  });

  it("names the entries of expired receipts that are in no block, posts them to the webhook once, and ignores receipts that prove nothing", async () => {
    const s = await ledgerScenario(chain);
    const posts: unknown[] = [];
    const hook = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        posts.push(JSON.parse(body));
        res.end("ok");
      });
    });
    const hookPort = await watchdogPort();
    await new Promise<void>((r) => hook.listen(hookPort, "127.0.0.1", r));
    try {
      await s.seal(1, 2);
      await s.anchor();
      const batch = await submitBatch(s, 2);
      const [dropped, waiting] = batch.results.map((r) => r.entryHash);
      await s.dropEntry(dropped);
      // Two receipts that prove nothing: signed by an account without RECEIPT_SIGNER_ROLE, and a valid one altered.
      const intruder = createReceiptSigner(DEV_KEYS.intruder, receiptDomain(31337, s.registry));
      const forged = await intruder.sign({ ...batch.results[0].receipt.message, entryHash: `0x${"ab".repeat(32)}` });
      const altered = { ...batch.results[1].receipt, message: { ...batch.results[1].receipt.message, sealBy: 1 } };
      const receipts = path.join(dir, "dropped-receipts");
      await import("node:fs/promises").then((fs) => fs.mkdir(receipts, { recursive: true }));
      await writeFile(path.join(receipts, "batch.json"), JSON.stringify(batch));
      await writeFile(path.join(receipts, "forged.json"), JSON.stringify([forged, altered]));
      await sleep(2_200);
      const state = path.join(dir, "dropped.json");
      const args = ["--state", state, "--receipts", receipts, "--webhook", `http://127.0.0.1:${hookPort}/hook`];

      const run = await monitor(s, args);
      assert.equal(run.code, 1);
      assert.deepEqual(kinds(run.result.findings).sort(), [`receipt_dropped@:${dropped.slice(0, 10)}`, `receipt_overdue@:${waiting.slice(0, 10)}`].sort());
      assert.deepEqual(run.result.summary.receipts, { checked: 2, settled: 0, notDue: 0, ignored: 2 });
      assert.ok(run.result.notes.some((n) => n.includes(privateKeyToAccount(DEV_KEYS.intruder).address) && n.includes("RECEIPT_SIGNER_ROLE")), run.result.notes.join("\n"));
      assert.ok(run.result.notes.some((n) => n.includes("not made by the signer it names")));
      assert.equal(posts.length, 1);
      const post = posts[0] as { source: string; event: string; registry: string; findings: Finding[] };
      assert.deepEqual([post.source, post.event, post.registry], ["sealbook-monitor", "findings", s.registry]);
      assert.equal(post.findings.length, 2);

      const again = await monitor(s, args);
      assert.equal(again.code, 1, "a standing finding keeps the exit code at 1");
      assert.equal(posts.length, 1, "but the webhook hears each finding once");
    } finally {
      await new Promise((r) => hook.close(r));
      await s.db.dispose();
    }
  });

  it("catches a portal that serves another entry list than the one that produced the root", async () => {
    const s = await ledgerScenario(chain);
    const proxy = await startProxy(portal.url);
    try {
      await s.seal(1, 4);
      await s.seal(1, 2);
      await s.anchor();
      const [first] = await s.entriesOf(1);
      proxy.setRule((url) => (url.startsWith("/api/v1/blocks/1/entries") ? { rewrite: (body) => body.replace(first, `0x${"cd".repeat(32)}`) } : null));
      const run = await monitor(s, [], proxy.url);
      assert.equal(run.code, 1);
      assert.deepEqual(kinds(run.result.findings), ["entries_root_mismatch@1"]);
      assert.ok(proxy.requests.some((u) => u.startsWith("/api/v1/blocks/1/entries?download=json")), "the list is streamed whole, not paged");
    } finally {
      await proxy.close();
      await s.db.dispose();
    }
  });

  it("watches at an interval, a pass after another, and stops cleanly on Ctrl-C", async () => {
    const s = await ledgerScenario(chain);
    try {
      await s.seal(1, 2);
      await s.anchor();
      const child = sealbookChild(["monitor", "--portal", portal.url, "--rpc", chain.rpcUrl, "--registry", s.registry, "--interval", "1", "--state", path.join(dir, "interval.json")]);
      let stdout = "";
      const passes = new Promise<void>((resolve) =>
        child.stdout.on("data", (d) => {
          stdout += d;
          if ((stdout.match(/^OK: consistent since/gm) ?? []).length >= 2) resolve();
        }),
      );
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      await Promise.race([passes, exited]);
      child.kill("SIGINT");
      assert.equal(await exited, 0, stdout);
      assert.ok((stdout.match(/^OK: consistent since/gm) ?? []).length >= 2, stdout);
    } finally {
      await s.db.dispose();
    }
  });

  it("rides out a flaky portal and RPC without a finding, and exits 3, concluding nothing, when the RPC stays down", async () => {
    const s = await ledgerScenario(chain);
    let failures = 3;
    const proxy = await startProxy(portal.url, () => (failures-- > 0 ? { failWith: 503 } : null));
    const rpc = await startRpcProxy(chain.node.port);
    try {
      await s.seal(1, 2);
      await s.anchor();
      await rpc.cut();
      setTimeout(() => void rpc.restore(), 800);
      const flaky = await monitor(s, [], proxy.url, rpc.rpcUrl);
      assert.equal(flaky.code, 0, flaky.stderr);
      assert.deepEqual(flaky.result.findings, []);
      assert.ok(failures < 0, "the portal failed three times and was asked again");

      await rpc.cut();
      const down = await sealbookCli(["monitor", "--portal", portal.url, "--rpc", rpc.rpcUrl, "--registry", s.registry, "--once"]);
      assert.equal(down.code, 3);
      assert.match(down.stderr, /UNREACHABLE, nothing concluded: .* failed 5 times/);
      assert.equal(down.stdout, "", "no finding is printed");
    } finally {
      await rpc.close();
      await proxy.close();
      await s.db.dispose();
    }
  });
});
