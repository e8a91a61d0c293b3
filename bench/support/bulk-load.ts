/**
 * The bulk-load path of the scale benchmark: a ledger of millions of real records, built far faster
 * than through the API, that the audit cannot tell from one built by ingest.
 *
 * Each block's records are real Ed25519 JWS, signed (on worker threads) by registered signers
 * against the root of the block sealed just before, as a client would. They are decoded by the
 * protocol's own decoder, turned into rows by ingest's own `acceptedEntryRow`, written with COPY
 * (about 1.5× the rate of ingest's batch INSERT on 2 cores: 51,000 against 33,000 rows/s, 100,000
 * records with the indexes in place), and sealed by the product's `sealPendingEntries`.
 *
 * It is a benchmark fixture, not a product path: it holds the signers' private keys (no operator
 * does), and it stores records without the checks of PROTOCOL §1 because it signed them itself a
 * moment ago. A door that stores records unchecked does not belong in the product; an operator
 * who loads a ledger from an export has `sealbook restore`, which checks everything against the
 * chain. The audit run over a bulk-loaded ledger verifies every signature.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { driverClientOf, queryRows, sql } from "../../db/client";
import type { LedgerContext } from "../../lib/ledger/context";
import { readHead } from "../../lib/ledger/head";
import { acceptedEntryRow } from "../../lib/ledger/ingest";
import { sealPendingEntries, type BlockHeader } from "../../lib/ledger/seal";
import { registerSigner } from "../../lib/ledger/signers/signers";
import { decodeRecord } from "../../lib/protocol/record";
import { signManyRecords } from "./sign-workers";

/** A registered signer whose private key the loader holds. */
export interface BulkSigner {
  kid: string;
  privateJwk: JWK;
}

/** Registers `count` Ed25519 signers in the ledger's directory, valid from a day ago. */
export async function registerBulkSigners(ledger: LedgerContext, count: number): Promise<BulkSigner[]> {
  const signers: BulkSigner[] = [];
  for (let i = 0; i < count; i++) {
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const signer = await registerSigner(ledger, {
      publicJwk: await exportJWK(publicKey),
      label: `bulk-load signer ${i + 1}`,
      validFrom: new Date(Date.now() - 86_400_000),
    });
    signers.push({ kid: signer.kid, privateJwk: await exportJWK(privateKey) });
  }
  return signers;
}

const ENTRY_COLUMNS = "entries (entry_hash, record_id, signer_id, prev_root, jws, accepted_at)";

/**
 * Stores signed records as accepted at `acceptedAt`, with COPY: the rows ingest would write for
 * them (`acceptedEntryRow`), without its checks. Throws a ProtocolError for a JWS that does not
 * decode; the database refuses a repeated record id. On PostgreSQL the rows are streamed; on
 * PGlite they are handed over as one blob (`COPY … FROM '/dev/blob'`).
 */
export async function copyAcceptedRecords(ledger: LedgerContext, jws: readonly string[], acceptedAt: Date): Promise<void> {
  const at = acceptedAt.toISOString();
  // Entries name their signer by its number (migration 0010), as ingest's insert looks it up.
  const signerIds = new Map((await queryRows<{ kid: string; id: number }>(ledger.db, sql`select kid, id from signers`)).map((s) => [s.kid, s.id]));
  const lines = jws.map((text) => {
    const row = acceptedEntryRow(decodeRecord(text));
    const signerId = signerIds.get(row.kid);
    if (signerId === undefined) throw new Error(`The signer ${row.kid} is not registered: register it before loading its records.`);
    return `\\\\x${row.entryHash.slice(2)}\t${row.recordId}\t${signerId}\t\\\\x${row.prevRoot.slice(2)}\t\\\\x${row.jws.toString("hex")}\t${at}\n`;
  });
  const client = driverClientOf(ledger.db);
  if (!client) throw new Error("copyAcceptedRecords needs a database opened by openDatabase (not a transaction), to reach its driver's COPY.");
  if (client.driver === "postgres") {
    const BATCH = 1_000; // lines per stream chunk: fewer, larger writes
    const chunks = function* () {
      for (let i = 0; i < lines.length; i += BATCH) yield lines.slice(i, i + BATCH).join("");
    };
    await pipeline(Readable.from(chunks()), await client.sql.unsafe(`copy ${ENTRY_COLUMNS} from stdin`).writable());
  } else {
    await client.pglite.query(`copy ${ENTRY_COLUMNS} from '/dev/blob'`, [], { blob: new Blob(lines) });
  }
}

export interface BulkProgress {
  /** Entries stored so far, over all blocks. */
  loaded: number;
  /** Blocks sealed so far. */
  sealed: number;
}

export interface BulkLoadOptions {
  /** Entries in all, spread evenly over `blocks` (the first blocks take the remainder). */
  entries: number;
  blocks: number;
  /** Records signed and copied at a time (default 50,000). */
  chunk?: number;
  onProgress?: (progress: BulkProgress) => void;
  /** Called after each seal with the block and how long `sealPendingEntries` took (ms). */
  onSealed?: (block: BlockHeader, sealMs: number) => void;
}

/**
 * Appends `blocks` sealed blocks holding `entries` records in all to `ledger`: for each block, signs
 * its records against the head root (round robin over `signers`, a chunk per signer at a time),
 * copies them in while the next chunk is being signed, then seals them with `sealPendingEntries`.
 * Requires that nothing else writes or seals the ledger meanwhile; throws if the head moves.
 */
export async function bulkLoadLedger(ledger: LedgerContext, signers: readonly BulkSigner[], options: BulkLoadOptions): Promise<BlockHeader[]> {
  const { entries, blocks } = options;
  if (!Number.isInteger(blocks) || blocks < 1 || !Number.isInteger(entries) || entries < blocks) {
    throw new RangeError(`Bulk load needs at least one block and one entry per block: asked for ${entries} entries in ${blocks} blocks.`);
  }
  if (signers.length === 0) throw new RangeError("Bulk load needs at least one registered signer.");
  const chunk = options.chunk ?? 50_000;
  const sealedBlocks: BlockHeader[] = [];
  let loaded = 0;
  let turn = 0;
  for (let b = 0; b < blocks; b++) {
    const size = Math.floor(entries / blocks) + (b < entries % blocks ? 1 : 0);
    const head = await readHead(ledger.db, ledger.genesisRoot);
    const signChunk = (n: number) => {
      const signer = signers[turn++ % signers.length];
      const signing = signManyRecords(signer.privateJwk, signer.kid, head.root, n);
      // Awaited later, or abandoned when the copy before it fails: not an unhandled rejection then.
      signing.catch(() => {});
      return signing;
    };
    let next: Promise<string[]> | null = signChunk(Math.min(chunk, size));
    for (let done = 0; done < size; ) {
      const records: string[] = await next!;
      const after = done + records.length;
      // Sign the next chunk on the worker threads while this one is decoded and copied.
      next = after < size ? signChunk(Math.min(chunk, size - after)) : null;
      await copyAcceptedRecords(ledger, records, ledger.now());
      done = after;
      loaded += records.length;
      options.onProgress?.({ loaded, sealed: sealedBlocks.length });
    }
    const start = performance.now();
    const block = await sealPendingEntries(ledger);
    const sealMs = performance.now() - start;
    if (!block || block.prevRoot !== head.root || block.entryCount !== size) {
      throw new Error(`Block ${head.height + 1} was expected to seal the ${size} records signed against ${head.root}, but the seal gave ${JSON.stringify(block)}: did something else write to the ledger?`);
    }
    sealedBlocks.push(block);
    options.onSealed?.(block, sealMs);
    options.onProgress?.({ loaded, sealed: sealedBlocks.length });
  }
  return sealedBlocks;
}
