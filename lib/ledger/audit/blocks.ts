/** The audit's view of the sealed blocks: reading them, and checking that they form one chain. */
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../../db/client";
import { bytesToHex, type Hash } from "../../protocol/hex";
import type { Block, Report } from "./findings";

/** Every sealed block, lowest first, with whether its derived data (leaf list, tiles) is written. */
export async function readBlocks(db: Database): Promise<Block[]> {
  const rows = await queryRows<{ height: number; root: Uint8Array; prev_root: Uint8Array; entry_count: number; derived: boolean }>(
    db,
    sql`select b.height, b.root, b.prev_root, b.entry_count, exists (select 1 from block_derived d where d.height = b.height) as derived
        from blocks b order by b.height`,
  );
  return rows.map((b) => ({
    height: Number(b.height),
    root: bytesToHex(b.root),
    prevRoot: bytesToHex(b.prev_root),
    entryCount: Number(b.entry_count),
    derived: Boolean(b.derived),
  }));
}

/** The chain of blocks: consecutive heights from 1 to `head`, each naming its predecessor's root (block 1 the genesis root). */
export function checkChainOfBlocks(byHeight: Map<number, Block>, head: number, genesisRoot: Hash, report: Report): void {
  for (let h = 1; h <= head; h++) {
    const block = byHeight.get(h);
    if (!block) {
      report({ code: "block_missing", height: h, message: `Block ${h} is missing: heights must run 1…${head} without a gap.` });
      continue;
    }
    const expected = h === 1 ? genesisRoot : byHeight.get(h - 1)?.root;
    if (expected && block.prevRoot !== expected) {
      report({
        code: "block_prev_root_mismatch",
        height: h,
        message: `Block ${h} names prevRoot ${block.prevRoot}, but ${h === 1 ? "the genesis root" : `block ${h - 1}'s root`} is ${expected}.`,
      });
    }
  }
}
