import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import { bytesToHex, type Hash } from "../protocol/hex";

/** The latest sealed block's height and root; height 0 and the genesis root before block 1. */
export interface Head {
  height: number;
  root: Hash;
}

/** Reads the head of the chain of blocks. */
export async function readHead(db: Database, genesisRoot: Hash): Promise<Head> {
  const rows = await queryRows<{ height: number; root: Uint8Array }>(
    db,
    sql`select height, root from blocks order by height desc limit 1`,
  );
  return rows[0] ? { height: Number(rows[0].height), root: bytesToHex(rows[0].root) } : { height: 0, root: genesisRoot };
}

/**
 * Takes the ledger row lock for the rest of the transaction: `share` for submitters (many at once),
 * `update` for the sealer (alone). This is what makes "sealed, or rejected as stale, never lost" hold:
 * a sealer waits for in-flight submissions to commit, and submissions wait for the seal to commit.
 */
export async function lockLedger(db: Database, ledgerId: string, mode: "share" | "update"): Promise<void> {
  const rows =
    mode === "share"
      ? await queryRows(db, sql`select id from ledger where id = ${ledgerId} for share`)
      : await queryRows(db, sql`select id from ledger where id = ${ledgerId} for update`);
  if (rows.length !== 1) throw new Error(`The ledger row ${ledgerId} is missing: the database was tampered with or not initialised.`);
}
