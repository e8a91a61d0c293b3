import type { JWK } from "jose";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { submitRecords } from "../../lib/ledger/ingest";
import { readHead } from "../../lib/ledger/head";
import { sealPendingEntries, type BlockHeader } from "../../lib/ledger/seal";
import { registerSigner } from "../../lib/ledger/signers/signers";
import type { Driver } from "./db";
import { freshDatabase } from "./db";
import { newKeyPair, signedRecord } from "./records";

/** A fresh ledger with one registered Ed25519 signer. */
export async function ledgerWithSigner(driver: Driver, ledgerId = "test") {
  const db = await freshDatabase(driver);
  const ledger = await openLedger(db, ledgerId);
  const keys = await newKeyPair("EdDSA");
  const signer = await registerSigner(ledger, { publicJwk: keys.publicJwk, label: "test signer", validFrom: new Date(Date.now() - 60_000) });
  return { db, ledger, privateJwk: keys.privateJwk, kid: signer.kid };
}

/** Submits `count` valid records against the head and seals them; returns the block. */
export async function addSealedBlock(ledger: LedgerContext, privateJwk: JWK, count: number): Promise<BlockHeader> {
  const head = await readHead(ledger.db, ledger.genesisRoot);
  const jws = await Promise.all(Array.from({ length: count }, () => signedRecord(privateJwk, head.root)));
  const results = await submitRecords(ledger, jws);
  const rejected = results.filter((r) => !r.ok);
  if (rejected.length > 0) throw new Error(`Test records were rejected: ${JSON.stringify(rejected)}`);
  const block = await sealPendingEntries(ledger);
  if (!block) throw new Error("Nothing was sealed.");
  return block;
}
