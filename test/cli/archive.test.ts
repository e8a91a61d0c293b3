/**
 * `sealbook archive --below H` from the command line: its help, its refusal (exit 2, the reason and
 * what to do), its progress and its --json answer, and proofs from the files afterwards.
 * PostgreSQL only: the CLI and the test share the database.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { privateKeyToAccount } from "viem/accounts";
import { setPartitionWidth } from "../../db/partitions";
import { DEV_ACCOUNTS } from "../../lib/chain/dev-accounts";
import { directoryMirrorReader } from "../../lib/ledger/mirror-directory";
import { proofForEntry } from "../../lib/ledger/proofs";
import { publishBlocks } from "../../lib/ledger/publish";
import { listBlockEntries } from "../../lib/ledger/reads";
import { runSealbook } from "../support/cli";
import { skipReason } from "../support/db";
import { addSealedBlock, ledgerWithSigner } from "../support/ledger";

const LEDGER_ID = "cli-archive";
const sealbook = (args: string[], env: Record<string, string> = {}) => runSealbook(args, { LEDGER_ID, ...env });
const account = privateKeyToAccount(DEV_ACCOUNTS.receiptSigner);

const skip = await skipReason("postgres");
describe("sealbook archive on postgres", { skip: skip ?? false }, () => {
  let env: Awaited<ReturnType<typeof ledgerWithSigner>>;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sealbook-cli-archive-"));
    env = await ledgerWithSigner("postgres", LEDGER_ID);
    await setPartitionWidth(env.ledger.db, "block_tree_tiles", 2);
    for (const size of [3, 4, 5]) await addSealedBlock(env.ledger, env.privateJwk, size);
    await publishBlocks(env.ledger, {
      dir,
      signer: { address: account.address, signMessage: (message) => account.signMessage({ message }) },
      chain: async () => ({ chainId: null, registry: null }),
    });
  });
  after(async () => {
    await env?.db.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("explains itself in its help", async () => {
    const run = await sealbook(["archive", "--help"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /sealbook archive --below H/);
    assert.match(run.stdout, /sealbook_archive/);
  });

  it("refuses blocks that are not anchored, saying which and what to do", async () => {
    const run = await sealbook(["archive", "--below", "3", "--dir", dir], { DATABASE_URL: env.db.url! });
    assert.equal(run.code, 2, run.stdout);
    assert.match(run.stderr, /Blocks 1, 2 are not anchored.*sealbook anchor/);
  });

  it("archives once the blocks are anchored, answers --json, and proofs come from the files", async () => {
    // The anchoring job's record of roots confirmed on chain (the chain itself is not under test here).
    for (const height of [1, 2]) {
      await env.ledger.db.execute(
        sql`insert into anchors (height, status, chain_id, registry, tx_hash, chain_block_number, attempts)
            values (${height}, 'confirmed', 31337, '0x5fbdb2315678afecb367f032d93f642f64180aa3', ${`0x${String(height).padStart(64, "0")}`}, ${height}, 1)`,
      );
    }
    const entry = (await listBlockEntries(env.ledger, 1, { limit: 10 })).entries[0].entryHash;
    const before = await proofForEntry(env.ledger, entry);
    const run = await sealbook(["archive", "--below", "3", "--dir", dir, "--json"], { DATABASE_URL: env.db.url! });
    assert.equal(run.code, 0, run.stderr);
    const answer = JSON.parse(run.stdout) as { below: number; checked: number; detached: Array<{ table: string; name: string }> };
    assert.equal(answer.below, 3);
    assert.equal(answer.checked, 2);
    assert.ok(answer.detached.some((p) => p.table === "block_tree_tiles"), run.stdout);
    const fromFiles = await proofForEntry({ ...env.ledger, archive: directoryMirrorReader(dir) }, entry);
    assert.ok(before.status === "sealed" && fromFiles.status === "sealed");
    assert.deepEqual(fromFiles.bundle.proof, before.bundle.proof);
    assert.equal(fromFiles.bundle.anchor?.chainId, 31337);
  });
});
