/**
 * The chain commands of the CLI, run as a user runs them (a child process), against PostgreSQL and a
 * real Hardhat node: deploy, anchor, chain status, audit --chain, and the worker with a clean Ctrl-C.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { keccak256, toBytes, type Address } from "viem";
import { rootRegistryAbi } from "../../lib/chain/registry/abi";
import { ANCHORER_ROLE, RECEIPT_SIGNER_ROLE } from "../../lib/chain/registry/reads";
import { submitRecords } from "../../lib/ledger/ingest";
import { readHead } from "../../lib/ledger/head";
import { genesisRootOf } from "../../lib/protocol/hash";
import { addressOf, DEV_KEYS, setAnchorerRole, startTestChain, type TestChain } from "../support/chain";
import { assertChainAndLedgerAgree, assertNoKeyIn } from "../support/anchoring";
import { skipReason } from "../support/db";
import { addSealedBlock, ledgerWithSigner } from "../support/ledger";
import { signedRecord } from "../support/records";

const skip = await skipReason("postgres");
const tsx = path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");

type Env = Awaited<ReturnType<typeof ledgerWithSigner>>;
let chain: TestChain;
let env: Env;

/** The test's environment for a CLI run: the inherited one without any Sealbook setting, plus ours. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const vars: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(vars)) if (SEALBOOK_VARIABLES.test(name)) delete vars[name];
  return Object.assign(vars, {
    LEDGER_ID: env.ledger.ledgerId,
    DATABASE_URL: env.db.url!,
    RPC_URL: chain.rpcUrl,
    ANCHOR_PRIVATE_KEY: DEV_KEYS.anchorer,
    RECEIPT_PRIVATE_KEY: DEV_KEYS.receiptSigner,
    DEPLOYER_PRIVATE_KEY: DEV_KEYS.admin,
    ...extra,
  });
}

const SEALBOOK_VARIABLES = /^(LEDGER_ID|DATABASE_URL|SEALBOOK_.*|PORT|RPC_URL|NEXT_PUBLIC_RPC_URL|REGISTRY_ADDRESS|.*_PRIVATE_KEY|CONFIRMATIONS|.*_INTERVAL_SECONDS|HARDHAT_PORT)$/;

/** Runs `sealbook <args>` to the end. */
function sealbook(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, "scripts/sealbook.ts", ...args], { env: cliEnv(extraEnv) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** No output shows any of the configured keys. */
const assertNoKeys = (texts: string[]) => [DEV_KEYS.anchorer, DEV_KEYS.admin, DEV_KEYS.receiptSigner].forEach((key) => assertNoKeyIn(texts, key));

describe("the chain commands of the CLI", { skip: skip ?? false }, () => {
  let registry: Address;
  before(async () => {
    chain = await startTestChain();
    env = await ledgerWithSigner("postgres");
  });
  after(async () => {
    await env?.db.dispose();
    await chain?.stop();
  });

  it("`sealbook deploy` deploys the ledger's registry and grants the roles to the configured accounts", async () => {
    const run = await sealbook(["deploy", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const deployed = JSON.parse(run.stdout) as { address: Address; chainId: number; genesisRoot: string };
    registry = deployed.address;
    assert.equal(deployed.chainId, 31337);
    assert.equal(deployed.genesisRoot, genesisRootOf(env.ledger.ledgerId));
    const hasRole = (role: `0x${string}`, account: Address) => chain.client.readContract({ address: registry, abi: rootRegistryAbi, functionName: "hasRole", args: [role, account] });
    assert.ok(await hasRole(ANCHORER_ROLE, addressOf(DEV_KEYS.anchorer)));
    assert.ok(await hasRole(RECEIPT_SIGNER_ROLE, addressOf(DEV_KEYS.receiptSigner)));
    const text = await sealbook(["deploy"]);
    assert.match(text.stdout, /Set REGISTRY_ADDRESS=0x[0-9a-fA-F]{40}/);
    assertNoKeys([run.stdout, run.stderr, text.stdout, text.stderr]);
  });

  it("`sealbook anchor` anchors once with progress on stderr and a result on stdout, then `chain status` and `audit --chain` agree", async () => {
    for (let i = 0; i < 3; i++) await addSealedBlock(env.ledger, env.privateJwk, 2);
    const run = await sealbook(["anchor", "--json"], { REGISTRY_ADDRESS: registry });
    assert.equal(run.code, 0, run.stderr);
    const pass = JSON.parse(run.stdout) as { outcome: string; anchoredHeight: number; sent: { count: number }[] };
    assert.deepEqual([pass.outcome, pass.anchoredHeight, pass.sent[0].count], ["anchored", 3, 3]);
    assert.match(run.stderr, /anchor: sent blocks 1–3 in transaction 0x/);
    await assertChainAndLedgerAgree(chain, registry, env.ledger);

    const status = await sealbook(["chain", "status", "--json"], { REGISTRY_ADDRESS: registry });
    assert.equal(status.code, 0, status.stderr);
    const s = JSON.parse(status.stdout);
    assert.deepEqual(
      [s.chainId, s.registry, s.ledgerHead, s.chainLatestHeight, s.lag, s.anchorer, s.anchorerHasRole, s.alarm],
      [31337, registry, 3, 3, 0, addressOf(DEV_KEYS.anchorer), true, null],
    );
    assert.ok(Number(s.anchorerBalanceEth) > 0);

    const audit = await sealbook(["audit", "--chain", "--json", "--quiet"], { REGISTRY_ADDRESS: registry });
    assert.equal(audit.code, 0, audit.stdout + audit.stderr);
    assert.equal(JSON.parse(audit.stdout).ok, true);
    assertNoKeys([run.stdout, run.stderr, status.stdout, status.stderr, audit.stdout, audit.stderr]);
  });

  it("reports a registry holding another root: `audit --chain` finds it, `anchor` and `chain status` show the alarm and exit 1", async () => {
    const forgedRegistry = (await chain.deployRegistry(env.ledger.genesisRoot)).address;
    await setAnchorerRole(chain, forgedRegistry, addressOf(DEV_KEYS.intruder), true);
    await chain.send(DEV_KEYS.intruder, forgedRegistry, { functionName: "anchor", args: [1n, keccak256(toBytes("forged")), env.ledger.genesisRoot, 1] });

    const audit = await sealbook(["audit", "--chain", "--json", "--quiet"], { REGISTRY_ADDRESS: forgedRegistry });
    assert.equal(audit.code, 1);
    assert.deepEqual(JSON.parse(audit.stdout).findings.map((f: { code: string; height: number }) => [f.code, f.height]), [["chain_root_mismatch", 1]]);

    const anchor = await sealbook(["anchor"], { REGISTRY_ADDRESS: forgedRegistry });
    assert.equal(anchor.code, 1);
    assert.match(anchor.stdout, /ALARM \(root_mismatch/);
    const status = await sealbook(["chain", "status"], { REGISTRY_ADDRESS: forgedRegistry });
    assert.equal(status.code, 1);
    assert.match(status.stdout, /ALARM \(root_mismatch/);
  });

  it("`sealbook worker` seals and anchors on its timers and stops cleanly on SIGINT", async () => {
    const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
    const jws = await Promise.all([1, 2].map(() => signedRecord(env.privateJwk, head.root)));
    await submitRecords(env.ledger, jws);
    const child = spawn(process.execPath, [tsx, "scripts/sealbook.ts", "worker"], {
      env: cliEnv({ REGISTRY_ADDRESS: registry, SEAL_INTERVAL_SECONDS: "1", ANCHOR_INTERVAL_SECONDS: "1" }),
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const deadline = Date.now() + 60_000;
      while (!/anchored block 4 in chain block/.test(out)) {
        assert.ok(Date.now() < deadline, `the worker did not seal and anchor block 4:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.match(out, /\[worker\] sealed block 4: 2 entries/);
      child.kill("SIGINT");
      assert.equal(await exited, 0, out);
      assert.match(out, /\[worker\] stopped/);
      await assertChainAndLedgerAgree(chain, registry, env.ledger);
      assertNoKeys([out]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
