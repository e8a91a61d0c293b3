import type { Database, DatabaseHandle } from "../../db/client";
import { ledger } from "../../db/schema";
import type { MirrorReader } from "../protocol/mirror";
import { directoryMirrorReader } from "./mirror-directory";
import { genesisRootOf, prepareFastKeccak } from "../protocol/hash";
import type { Hash } from "../protocol/hex";
import { SignerKeyCache } from "./signers/signer-keys";

/** Everything a ledger operation needs: the database, the ledger's identity, and shared caches. */
export interface LedgerContext {
  db: Database;
  driver: DatabaseHandle["driver"];
  ledgerId: string;
  genesisRoot: Hash;
  keys: SignerKeyCache;
  /** The clock; tests replace it. */
  now: () => Date;
  /** Extra OIDs that make a certificate a record signer's (X509_SIGNING_PURPOSES; cert-rules.ts). */
  signingPurposes: readonly string[];
  /**
   * The published mirror files (SEALBOOK_PUBLISH_DIR), from which proofs and the audit read the
   * blocks `sealbook archive` took out of the database; absent when nothing is published here.
   */
  archive?: MirrorReader;
}

/**
 * Binds a database to the ledger `ledgerId`, creating the ledger row on first use.
 * Throws when the database already holds another ledger, so that two ledgers never mix.
 */
export async function openLedger(
  handle: DatabaseHandle,
  ledgerId: string,
  now: () => Date = () => new Date(),
  options: { signingPurposes?: readonly string[]; publishDir?: string } = {},
): Promise<LedgerContext> {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(ledgerId)) {
    throw new Error(`Ledger id ${JSON.stringify(ledgerId)} is not valid: use 1-64 letters, digits, dots, dashes or underscores.`);
  }
  // Ingest and audit hash every record: use the WebAssembly Keccak from here on.
  await prepareFastKeccak();
  const genesisRoot = genesisRootOf(ledgerId);
  const { db } = handle;
  await db.insert(ledger).values({ id: ledgerId, genesisRoot }).onConflictDoNothing();
  const rows = await db.select().from(ledger);
  if (rows.length !== 1 || rows[0].id !== ledgerId) {
    throw new Error(
      `This database holds the ledger ${rows.map((r) => JSON.stringify(r.id)).join(", ")}, not ${JSON.stringify(ledgerId)}. ` +
        `Set LEDGER_ID to match it, or use another database.`,
    );
  }
  if (rows[0].genesisRoot !== genesisRoot) {
    throw new Error(`The stored genesis root ${rows[0].genesisRoot} does not match ledger ${ledgerId} (${genesisRoot}).`);
  }
  return {
    db,
    driver: handle.driver,
    ledgerId,
    genesisRoot,
    keys: new SignerKeyCache(),
    now,
    signingPurposes: options.signingPurposes ?? [],
    archive: options.publishDir ? directoryMirrorReader(options.publishDir) : undefined,
  };
}
