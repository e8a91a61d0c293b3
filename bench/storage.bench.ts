/**
 * `npm run bench storage`: bytes per entry in each table (pg_total_relation_size: heap, indexes,
 * TOAST, free-space and visibility maps) after 100,000 records (1,000,000 with `--million`) are
 * sealed into one block on PostgreSQL, beside the targets of the compact store: the tree tiles at
 * most 1.2× the tree's node bytes ((2n-1) × 32), and the whole ledger at most 1.5 × the JWS bytes
 * + 100 bytes per entry.
 */
import postgres from "postgres";
import type { BenchResult } from "./harness";
import { round3 } from "./harness";
import { sealedFixture } from "./support/sealed";
import { LEDGER_TABLES, ledgerStorage } from "./support/storage-sizes";

export async function run(args: string[]): Promise<BenchResult> {
  const count = args.includes("--million") ? 1_000_000 : 100_000;
  const log = (line: string) => console.log(`  ${line}`);
  const fixture = await sealedFixture(count, log);
  const db = postgres(fixture.url, { max: 1, onnotice: () => {} });
  try {
    // Steady state: what autovacuum leaves (visibility and free-space maps), not a fresh-insert artefact.
    await db.unsafe("vacuum analyze");
    const { entries: n, jwsBytes: jws, storedJwsBytes: stored, entriesPerPage: perPage, blocks, tables: sizes, total } = await ledgerStorage(db);
    const [{ nodes }] = await db<{ nodes: number }[]>`select coalesce(sum(2 * entry_count - 1), 0)::float8 * 32 as nodes from blocks`;
    const perEntry = (bytes: number) => round3(bytes / n);
    const tiles = sizes.block_tree_tiles.total;
    const totalTarget = 1.5 * (jws / n) + 100;
    return {
      title: `storage after ${n.toLocaleString("en")} records sealed into ${blocks} block(s), PostgreSQL, bytes per entry`,
      rows: [
        { measure: "JWS, average (B)", value: perEntry(jws), target: "≈ 513" },
        { measure: "JWS as stored, average (B)", value: perEntry(stored), target: "reference" },
        { measure: "entry rows per 8 KB page", value: round3(perPage), target: "reference" },
        ...LEDGER_TABLES.map((table) => ({
          measure: `${table}: total (heap + TOAST / indexes) (B)`,
          value: `${perEntry(sizes[table].total)} (${perEntry(sizes[table].heap)} / ${perEntry(sizes[table].indexes)})`,
          target: table === "block_tree_tiles" ? `≤ ${round3((1.2 * nodes) / n)}` : "",
        })),
        { measure: "tree: node bytes (2n-1) × 32 (B)", value: perEntry(nodes), target: "reference" },
        { measure: "tree storage ÷ node bytes", value: `${round3(tiles / nodes)}×`, target: "≤ 1.2×" },
        { measure: "all ledger tables (B)", value: perEntry(total), target: `≤ ${round3(totalTarget)} (1.5 × JWS + 100)` },
        { measure: "all ÷ target", value: `${round3(total / n / totalTarget)}×`, target: "≤ 1×" },
      ],
      notes: [
        "Sizes are pg_total_relation_size after VACUUM ANALYZE: heap, TOAST, indexes, free-space and visibility maps.",
        "Tiles are dense and cut from the bottom of the tree (lib/protocol/tiles.ts): up to 126 nodes (4,032 B) inline per row, two rows to a page.",
      ],
    };
  } finally {
    await db.end();
  }
}
