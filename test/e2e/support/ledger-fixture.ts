/**
 * The ledger the browser tests look at: a fresh PostgreSQL database with one signer, a few sealed
 * blocks of real signed records submitted over HTTP, and one record left pending. Not a test file.
 */
import type { JWK } from "jose";
import { openLedger, type LedgerContext } from "../../../lib/ledger/context";
import { readHead } from "../../../lib/ledger/head";
import { sealPendingEntries, type BlockHeader } from "../../../lib/ledger/seal";
import { registerSigner } from "../../../lib/ledger/signers/signers";
import { entryHashOf } from "../../../lib/protocol/hash";
import type { Hash } from "../../../lib/protocol/hex";
import { freshDatabase } from "../../support/db";
import { newKeyPair, signedRecord } from "../../support/records";
import { freePortIn } from "./portal-server";

export const E2E_LEDGER_ID = "e2e-portal";

export interface HeldRecord {
  jws: string;
  entryHash: Hash;
}

/** A fresh, migrated PostgreSQL database holding the e2e ledger and its signer. */
export async function createE2eDatabase(): Promise<{ databaseUrl: string; ledger: LedgerContext; privateJwk: JWK; dispose(): Promise<void> }> {
  const db = await freshDatabase("postgres");
  if (!db.url) throw new Error("freshDatabase(postgres) returned no URL.");
  const ledger = await openLedger(db, E2E_LEDGER_ID);
  const keys = await newKeyPair("EdDSA");
  await registerSigner(ledger, {
    publicJwk: keys.publicJwk,
    label: "E2E test clinic (synthetic)",
    organization: "Sealbook browser tests",
    validFrom: new Date(Date.now() - 60_000),
  });
  return { databaseUrl: db.url, ledger, privateJwk: keys.privateJwk, dispose: () => db.dispose() };
}

async function submitOverHttp(baseUrl: string, jws: string): Promise<void> {
  const response = await fetch(`${baseUrl}/api/v1/records`, { method: "POST", headers: { "content-type": "application/jose" }, body: jws });
  if (response.status !== 201) throw new Error(`The portal refused a test record: ${response.status} ${await response.text()}`);
}

/**
 * Submits `sizes[i]` records for block i+1 through the running portal's API and seals each block
 * from this process (the server's sealing timer is off), then leaves one record pending.
 */
export async function fillLedger(
  baseUrl: string,
  fixture: { ledger: LedgerContext; privateJwk: JWK },
  sizes: number[],
): Promise<{ blocks: BlockHeader[]; held: HeldRecord & { height: number }; pending: HeldRecord }> {
  const blocks: BlockHeader[] = [];
  let held: (HeldRecord & { height: number }) | null = null;
  for (const [index, size] of sizes.entries()) {
    const head = await readHead(fixture.ledger.db, fixture.ledger.genesisRoot);
    const records = await Promise.all(Array.from({ length: size }, () => signedRecord(fixture.privateJwk, head.root)));
    for (const jws of records) await submitOverHttp(baseUrl, jws);
    const block = await sealPendingEntries(fixture.ledger);
    if (!block) throw new Error(`Block ${index + 1} was not sealed.`);
    blocks.push(block);
    if (index === 1) held = { jws: records[2], entryHash: entryHashOf(records[2]), height: block.height };
  }
  if (!held) throw new Error("fillLedger needs at least two blocks.");
  const head = await readHead(fixture.ledger.db, fixture.ledger.genesisRoot);
  const pendingJws = await signedRecord(fixture.privateJwk, head.root);
  await submitOverHttp(baseUrl, pendingJws);
  return { blocks, held, pending: { jws: pendingJws, entryHash: entryHashOf(pendingJws) } };
}

/**
 * The environment of `scripts/start.ts` serving the e2e ledger on `databaseUrl`: no demo data, no
 * sealing timer (the tests seal), its own data folder and local chain port, anchoring every second.
 */
export async function e2eServerEnv(databaseUrl: string, dataDir: string): Promise<Record<string, string>> {
  return {
    DATABASE_URL: databaseUrl,
    LEDGER_ID: E2E_LEDGER_ID,
    SEALBOOK_DEMO: "0",
    SEALBOOK_DATA_DIR: dataDir,
    SEAL_INTERVAL_SECONDS: "0",
    HARDHAT_PORT: String(await freePortIn(8600, 8699)),
    ANCHOR_INTERVAL_SECONDS: "1",
    CONFIRMATIONS: "1",
  };
}
