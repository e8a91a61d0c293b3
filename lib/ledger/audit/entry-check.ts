/**
 * The audit's check of one stored record on its own: its hash, its form, its stored columns, its
 * signer's validity at acceptance and its signature. Remembers the entries and record ids it saw,
 * to report duplicates.
 */
import { unpackJws } from "../../../db/packed-jws";
import { entryHashOf } from "../../protocol/hash";
import { ProtocolError } from "../../protocol/errors";
import { bytesToHex, type Hash } from "../../protocol/hex";
import { decodeRecord, type DecodedRecord, type RecordAlg } from "../../protocol/record";
import type { LedgerContext } from "../context";
import type { SignerRow } from "../signers/signers";
import { signerValidityAt } from "../signers/validity";
import type { EntryRow, Report } from "./findings";

type Where = { height: number | undefined; entryHash: Hash };

/** Checks entries one by one against the signer directory `signerByKid`, reporting to `report`. */
export class EntryChecker {
  private readonly seenIds = new Map<string, Hash>();
  private readonly checkedEntries = new Set<Hash>();
  /** Entries checked so far (each once). */
  done = 0;

  constructor(
    private readonly ctx: LedgerContext,
    private readonly signerByKid: Map<string, SignerRow>,
    private readonly report: Report,
  ) {}

  /** Checks one stored record on its own: hash, form, stored fields, signer validity, signature. */
  readonly check = async (row: EntryRow, height: number | undefined): Promise<void> => {
    const where: Where = { height, entryHash: bytesToHex(row.entry_hash) };
    if (!this.firstSighting(where)) return;
    // A stored form that no JWS packs to reads as a text that is no record: named below.
    const jws = unpackJws(row.jws);
    const decoded = this.decodedRecord(jws, where);
    if (!decoded) return;
    this.checkRecordId(decoded, where);
    this.checkStoredFields(row, decoded, where);
    const signer = this.validSigner(row, decoded, where);
    if (signer) await this.checkSignature(jws, signer, where);
  };

  /** False (and a `duplicate_entry` finding) for an entry already checked. */
  private firstSighting(where: Where): boolean {
    const { entryHash } = where;
    if (this.checkedEntries.has(entryHash)) {
      this.report({ code: "duplicate_entry", ...where, message: `Entry ${entryHash} appears more than once.` });
      return false;
    }
    this.checkedEntries.add(entryHash);
    this.done++;
    return true;
  }

  /** The record of the stored JWS, after checking that it hashes to its entry hash; null when it is no valid record. */
  private decodedRecord(jws: string, where: Where): DecodedRecord | null {
    const { entryHash } = where;
    const computed = entryHashOf(jws);
    if (computed !== entryHash) {
      this.report({ code: "entry_hash_mismatch", ...where, message: `Entry ${entryHash}: its JWS hashes to ${computed}; the record was altered.` });
    }
    try {
      return decodeRecord(jws);
    } catch (error) {
      this.report({ code: "entry_invalid", ...where, message: `Entry ${entryHash}: the stored JWS is not a valid record (${(error as Error).message}).` });
      return null;
    }
  }

  /** A record id must be in one entry only. */
  private checkRecordId(decoded: DecodedRecord, where: Where): void {
    const { entryHash } = where;
    const recordId = decoded.payload.id.toLowerCase();
    const firstWithId = this.seenIds.get(recordId);
    if (firstWithId && firstWithId !== entryHash) {
      this.report({ code: "duplicate_entry", ...where, message: `Entry ${entryHash} repeats record id ${recordId}, already in entry ${firstWithId}.` });
    }
    this.seenIds.set(recordId, entryHash);
  }

  /**
   * The stored columns must be the signed payload's. The signer column must name the JWS's kid; a
   * kid not in the directory is reported by `validSigner`.
   */
  private checkStoredFields(row: EntryRow, decoded: DecodedRecord, where: Where): void {
    const recordId = decoded.payload.id.toLowerCase();
    const named = this.signerByKid.get(decoded.header.kid);
    if (decoded.payload.prevRoot !== bytesToHex(row.prev_root) || recordId !== row.record_id || (named !== undefined && named.id !== row.signer_id)) {
      this.report({ code: "entry_fields_mismatch", ...where, message: `Entry ${where.entryHash}: the stored columns (id, signer, prevRoot) differ from its signed payload.` });
    }
  }

  /** The record's signer, reporting when it is unknown (then null) or was not valid at acceptance. */
  private validSigner(row: EntryRow, decoded: DecodedRecord, where: Where): SignerRow | null {
    const { entryHash } = where;
    const signer = this.signerByKid.get(decoded.header.kid);
    const acceptedAt = new Date(row.accepted_at);
    if (!signer) {
      this.report({ code: "entry_signer_invalid", ...where, message: `Entry ${entryHash} is signed by ${decoded.header.kid}, which is not in the signer directory.` });
      return null;
    }
    if (signerValidityAt(signer, acceptedAt, decoded.header.alg) !== "valid") {
      this.report({
        code: "entry_signer_invalid",
        ...where,
        message: `Entry ${entryHash} was accepted at ${acceptedAt.toISOString()} under key ${signer.kid}, which was not valid for ${decoded.header.alg} then.`,
      });
    }
    return signer;
  }

  /** The signature must verify under the signer's key. */
  private async checkSignature(jws: string, signer: SignerRow, where: Where): Promise<void> {
    try {
      await this.ctx.keys.verifyJws(jws, signer.kid, signer.publicJwk, signer.alg as RecordAlg);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.report({ code: "entry_bad_signature", ...where, message: `Entry ${where.entryHash}: the signature does not verify under key ${signer.kid}.` });
    }
  }
}
