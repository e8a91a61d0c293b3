import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { submitRecords } from "../../lib/ledger/ingest";
import { readHead } from "../../lib/ledger/head";
import { drivers, skipReason } from "../support/db";
import { addSealedBlock, ledgerWithSigner } from "../support/ledger";
import { signedRecord } from "../support/records";

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`append-only enforcement in the database on ${driver}`, { skip: skip ?? false }, () => {
    let env: Awaited<ReturnType<typeof ledgerWithSigner>>;
    before(async () => {
      env = await ledgerWithSigner(driver);
      await addSealedBlock(env.ledger, env.privateJwk, 3);
      await addSealedBlock(env.ledger, env.privateJwk, 2);
      const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
      await submitRecords(env.ledger, [await signedRecord(env.privateJwk, head.root)]);
    });
    after(async () => env?.db.dispose());

    const refused = async (statement: ReturnType<typeof sql>, what: string) => {
      await assert.rejects(env.db.db.execute(statement), (error: Error) => /append-only|may only go once|may change only|is not next|does not name/.test(String(error.cause ?? error)), what);
    };

    it("refuses a plain UPDATE or DELETE of a sealed block", async () => {
      await refused(sql`update blocks set root = decode(repeat('ab', 32), 'hex') where height = 1`, "update root");
      await refused(sql`update blocks set entry_count = 99 where height = 2`, "update count");
      await refused(sql`delete from blocks where height = 2`, "delete last block");
      await refused(sql`truncate blocks cascade`, "truncate");
    });

    const sealedIn1 = sql`entry_hash in (select entry_hash from entry_leaves where block_height = 1)`;
    const pending = sql`entry_hash not in (select entry_hash from entry_leaves)`;

    it("refuses changing or deleting a sealed entry, or its place in a block", async () => {
      await refused(sql`update entries set jws = jws || 'x' where ${sealedIn1}`, "update jws");
      await refused(sql`update entries set prev_root = decode(repeat('ab', 32), 'hex') where ${sealedIn1}`, "move entry by its prevRoot");
      await refused(sql`delete from entries where ${sealedIn1}`, "delete");
      await refused(sql`update entry_leaves set block_height = 2 where block_height = 1`, "move entry by its leaf row");
      await refused(sql`update entry_leaves set leaf_index = leaf_index + 100 where block_height = 1`, "reorder leaves");
      await refused(sql`delete from entry_leaves where block_height = 1`, "unseal");
      await refused(sql`truncate entry_leaves`, "truncate leaves");
    });

    it("refuses deleting or changing a pending entry", async () => {
      await refused(sql`delete from entries where ${pending}`, "delete pending");
      await refused(sql`update entries set signer_id = signer_id where ${pending}`, "update pending signer");
      await refused(sql`update entries set accepted_at = now() where ${pending}`, "update pending time");
    });

    it("refuses changing the tree tiles, the ledger row, or a block that does not extend the head", async () => {
      await refused(sql`update block_tree_tiles set nodes = '\\x00' where height = 1`, "update tile");
      await refused(sql`delete from block_tree_tiles where height = 1`, "delete tile");
      await refused(sql`update ledger set genesis_root = decode(repeat('00', 32), 'hex')`, "update ledger");
      await refused(sql`insert into blocks (height, root, prev_root, entry_count, sealed_at) values (9, decode(repeat('cd', 32), 'hex'), decode(repeat('00', 32), 'hex'), 1, now())`, "gap");
      await refused(
        sql`insert into blocks (height, root, prev_root, entry_count, sealed_at) values (3, decode(repeat('cd', 32), 'hex'), decode(repeat('00', 32), 'hex'), 1, now())`,
        "fork",
      );
    });

    it("refuses deleting a signer or un-revoking one, but allows relabelling", async () => {
      await refused(sql`delete from signers`, "delete signer");
      await refused(sql`update signers set public_jwk = '{}'::jsonb`, "swap key");
      await env.db.db.execute(sql`update signers set label = 'renamed' where kid = ${env.kid}`);
      await env.db.db.execute(sql`update signers set revoked_at = now() where kid = ${env.kid}`);
      await refused(sql`update signers set revoked_at = null where kid = ${env.kid}`, "un-revoke");
    });
  });
}
