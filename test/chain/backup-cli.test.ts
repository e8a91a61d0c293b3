/**
 * `sealbook backup`, `restore` and `repair` run as a user runs them (a child process), against
 * PostgreSQL and a real Hardhat node: exit codes, output, and the admin log a repair writes.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { queryRows, sql } from "../../db/client";
import { anchoringEnv, type AnchoringEnv } from "../support/anchoring";
import { anchorAll, backupFolder } from "../support/backup";
import { startTestChain, type TestChain } from "../support/chain";
import { freshDatabase, skipReason } from "../support/db";

const skip = await skipReason("postgres");
const tsx = path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");
const SEALBOOK_VARIABLES = /^(LEDGER_ID|DATABASE_URL|SEALBOOK_.*|PORT|RPC_URL|NEXT_PUBLIC_RPC_URL|REGISTRY_ADDRESS|.*_PRIVATE_KEY|CONFIRMATIONS|.*_INTERVAL_SECONDS|HARDHAT_PORT)$/;

describe("the backup, restore and repair commands", { skip: skip ?? false }, () => {
  let chain: TestChain;
  let env: AnchoringEnv;
  const file = path.join(backupFolder(), "cli.sealbook.gz");

  /** Runs `sealbook <args>` on `databaseUrl` (default the test ledger's) to the end. */
  function sealbook(args: string[], databaseUrl = env.db.url!): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const vars: NodeJS.ProcessEnv = { ...process.env };
    for (const name of Object.keys(vars)) if (SEALBOOK_VARIABLES.test(name)) delete vars[name];
    Object.assign(vars, { LEDGER_ID: env.ledger.ledgerId, DATABASE_URL: databaseUrl, RPC_URL: chain.rpcUrl, REGISTRY_ADDRESS: env.registry });
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [tsx, "scripts/sealbook.ts", ...args], { env: vars });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.once("error", reject);
      child.once("exit", (code) => resolve({ code, stdout, stderr }));
    });
  }

  before(async () => {
    chain = await startTestChain();
    env = await anchoringEnv("postgres", chain);
    await env.seal(2, 6);
    await anchorAll(env);
  });
  after(async () => {
    await env?.db.dispose();
    await chain?.stop();
  });

  it("`backup` writes the file and says what is in it, with progress on stderr", async () => {
    const run = await sealbook(["backup", "--out", file, "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { counts: { blocks: number; entries: number }; inconsistentBlocks: unknown[] };
    assert.equal(result.counts.blocks, 2);
    assert.equal(result.counts.entries, 12);
    assert.deepEqual(result.inconsistentBlocks, []);
    assert.match(run.stderr, /backing up/);
    const again = await sealbook(["backup", "--out", file]);
    assert.equal(again.code, 2, "an existing file is not overwritten without --force");
  });

  it("`restore` rebuilds the ledger in an empty database, and `audit --chain` passes there", async () => {
    const empty = await freshDatabase("postgres");
    try {
      const run = await sealbook(["restore", "--from", file], empty.url);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Blocks 1–2: every root is the one on chain/);
      const audit = await sealbook(["audit", "--chain"], empty.url);
      assert.equal(audit.code, 0, audit.stdout);
      const refused = await sealbook(["restore", "--from", file], empty.url);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /not empty/);
    } finally {
      await empty.dispose();
    }
  });

  it("`repair --dry-run` says what it would put back; `repair` puts it back, logs it, and exits 0 with a clean audit", async () => {
    await env.ledger.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`delete from entries where seq = (select min(seq) from entries)`);
    });
    assert.equal((await sealbook(["audit", "--chain"])).code, 1);
    const dry = await sealbook(["repair", "--from", file, "--dry-run"]);
    assert.equal(dry.code, 1, dry.stderr);
    assert.match(dry.stdout, /Block 1: would put back 1 rows \(1 entries put back\)/);
    assert.match(dry.stdout, /Dry run: nothing was changed/);
    const run = await sealbook(["repair", "--from", file]);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /The audit after the repair is clean/);
    const logged = await queryRows<{ target: string; outcome: string }>(env.db.db, sql`select target, outcome from admin_log where action = 'ledger.repair' order by id`);
    assert.deepEqual([...logged], [
      { target: "block 1", outcome: "ok" },
      { target: "ledger", outcome: "ok" },
    ]);
    assert.equal((await sealbook(["audit", "--chain"])).code, 0);
  });
});
