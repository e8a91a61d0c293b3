import { exportJWK, generateKeyPair } from "jose";
import { sql } from "drizzle-orm";
import { openDatabase } from "../../db/client";
import { packJws } from "../../db/packed-jws";
import { openLedger } from "../../lib/ledger/context";
import { registerSigner } from "../../lib/ledger/signers/signers";
import { entryHashOf } from "../../lib/protocol/hash";
import { BENCH_LEDGER } from "./ingest-setup";
import { analyzed, createBenchDatabase, databaseExists } from "./server";
import { signManyRecords } from "./sign-workers";

const INSERT_CHUNK = 10_000;

/**
 * A template database holding `count` valid, signed, pending entries (ledger "bench"), built once
 * and kept between runs (its name carries the count), because signing and inserting a million
 * records takes minutes. Benchmarks copy it with CREATE DATABASE … TEMPLATE.
 * The entries are inserted with SQL rather than through the API: this is the fixture, not the
 * thing measured; the ingest benchmark measures the API.
 */
export async function pendingTemplate(count: number, log: (line: string) => void): Promise<string> {
  const name = `sealbook_bench_pending_${count}_v10`; // v10: built with the compact rows of migration 0010
  if (await databaseExists(name)) return name;
  log(`building the ${count}-entry fixture (once; kept as database ${name}) …`);
  const building = `${name}_building`;
  const database = await createBenchDatabase(building);
  const handle = await openDatabase({ url: database.url, maxConnections: 2 });
  try {
    const ledger = await openLedger(handle, BENCH_LEDGER);
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const signer = await registerSigner(ledger, { publicJwk: await exportJWK(publicKey), label: "benchmark signer", validFrom: new Date(Date.now() - 86_400_000) });
    const privateJwk = await exportJWK(privateKey);
    for (let done = 0; done < count; ) {
      const n = Math.min(100_000, count - done);
      const records = await signManyRecords(privateJwk, signer.kid, ledger.genesisRoot, n);
      for (let i = 0; i < records.length; i += INSERT_CHUNK) {
        const rows = records.slice(i, i + INSERT_CHUNK).map((jws) => {
          const payload = JSON.parse(Buffer.from(jws.split(".")[1], "base64url").toString("utf8"));
          return { h: entryHashOf(jws).slice(2), id: payload.id, j: packJws(jws).toString("base64") };
        });
        await handle.db.execute(
          sql`insert into entries (entry_hash, record_id, signer_id, prev_root, jws, accepted_at)
              select decode(r.h, 'hex'), r.id::uuid, (select s.id from signers s where s.kid = ${signer.kid}), ${Buffer.from(ledger.genesisRoot.slice(2), "hex")}, decode(r.j, 'base64'), now()
              from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(h text, id text, j text)`,
        );
      }
      done += n;
      log(`  fixture: ${done}/${count} entries`);
    }
  } finally {
    await handle.close();
  }
  await analyzed(database.url);
  const { default: postgres } = await import("postgres");
  const { benchAdminUrl } = await import("./server");
  const admin = postgres(benchAdminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`alter database ${building} rename to ${name}`);
  await admin.end();
  return name;
}
