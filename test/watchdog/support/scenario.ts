/**
 * A ledger for the watchdog tests: PostgreSQL, a registry on the test chain, the route handlers
 * answering for it, anchoring on demand, and the tampering a dishonest operator could do as a
 * database superuser (the append-only triggers switched off). Not a test file.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { sql } from "drizzle-orm";
import { queryRows } from "../../../db/client";
import { anchorSealedBlocks } from "../../../lib/chain/anchoring/anchor-job";
import { installChainInfo } from "../../../lib/chain/chain-info";
import { readConfig } from "../../../lib/config";
import { readHead } from "../../../lib/ledger/head";
import { bytesToHex, hashToBytes, type Hash } from "../../../lib/protocol/hex";
import { buildBlockTree } from "../../../lib/protocol/merkle";
import { installRuntime } from "../../../lib/server/runtime";
import { anchoringEnv } from "../../support/anchoring";
import { DEV_KEYS, type TestChain } from "../../support/chain";
import { signedRecord } from "../../support/records";

export type Scenario = Awaited<ReturnType<typeof ledgerScenario>>;

/**
 * A fresh ledger on PostgreSQL with a registry on `chain`, installed as the one the route
 * handlers serve. Receipts are signed by dev account #1 (RECEIPT_SIGNER_ROLE at deploy), with
 * sealBy = acceptedAt + 2 s (interval 1 s, margin 1 s), so that tests can let one pass.
 */
export async function ledgerScenario(chain: TestChain) {
  const env = await anchoringEnv("postgres", chain);
  const config = readConfig({
    LEDGER_ID: env.ledger.ledgerId,
    RPC_URL: chain.rpcUrl,
    REGISTRY_ADDRESS: env.registry,
    RECEIPT_PRIVATE_KEY: DEV_KEYS.receiptSigner,
    SEAL_INTERVAL_SECONDS: "1",
    SEAL_BY_MARGIN_SECONDS: "1",
  });
  installRuntime({ config, handle: env.db, ledger: env.ledger });
  installChainInfo({ chainId: 31337, registry: env.registry, rpcUrl: chain.rpcUrl });
  return {
    ...env,
    config,
    /** Anchors every sealed block now. */
    anchor: async () => {
      const pass = await anchorSealedBlocks(env.newJob());
      if (pass.outcome !== "anchored" && pass.outcome !== "up_to_date") throw new Error(`Anchoring did not go through: ${JSON.stringify(pass.outcome)}`);
    },
    /** `count` records signed against the head root, not submitted. */
    records: async (count: number) => {
      const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
      return Promise.all(Array.from({ length: count }, () => signedRecord(env.privateJwk, head.root)));
    },
    /** The entry hashes of block `height`, in leaf order. */
    entriesOf: async (height: number): Promise<Hash[]> =>
      (await queryRows<{ entry_hash: Uint8Array }>(env.db.db, sql`select entry_hash from entry_leaves where block_height = ${height} order by leaf_index`)).map((r) => bytesToHex(r.entry_hash)),
    /**
     * Rewrites block `height` consistently, as an operator with full database access would: one
     * entry swapped for a forged one, the leaf rows and the root recomputed to match. Returns the new root.
     */
    rewriteBlock: async (height: number): Promise<Hash> => {
      const rows = await queryRows<{ entry_hash: Uint8Array }>(env.db.db, sql`select entry_hash from entry_leaves where block_height = ${height} order by leaf_index`);
      const entries = rows.map((r) => new Uint8Array(r.entry_hash));
      entries[0] = new Uint8Array(randomBytes(32));
      const tree = buildBlockTree(entries);
      await env.db.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`delete from entry_leaves where block_height = ${height}`);
        for (let i = 0; i < tree.size; i++) {
          const entry = Buffer.from(entries[tree.sortedEntryIndex[i]]);
          await tx.execute(sql`insert into entry_leaves (entry_hash, block_height, leaf_index) values (${entry}, ${height}, ${i})`);
        }
        await tx.execute(sql`update blocks set root = ${Buffer.from(hashToBytes(tree.root))} where height = ${height}`);
      });
      return tree.root;
    },
    /** Deletes an accepted entry, as an operator dropping a record before it is sealed. */
    dropEntry: async (entryHash: Hash) => {
      await env.db.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`delete from entries where entry_hash = ${Buffer.from(hashToBytes(entryHash))}`);
      });
    },
  };
}

const tsx = path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");

/** Starts `sealbook <args>` as a user does (a child process), with no Sealbook setting inherited. */
export function sealbookChild(args: string[]): ChildProcessWithoutNullStreams {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(LEDGER_ID|DATABASE_URL|SEALBOOK_.*|PORT|RPC_URL|NEXT_PUBLIC_RPC_URL|REGISTRY_ADDRESS|.*_PRIVATE_KEY|CONFIRMATIONS|.*_INTERVAL_SECONDS|HARDHAT_PORT)$/.test(name)) delete env[name];
  }
  return spawn(process.execPath, [tsx, "scripts/sealbook.ts", ...args], { env });
}

/** Runs `sealbook <args>` to the end (see sealbookChild). */
export function sealbookCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = sealbookChild(args);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
