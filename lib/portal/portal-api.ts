/**
 * The two questions the browser verifier asks the portal's public API. Only an entry hash is ever
 * sent; a signed record never leaves the browser. Answers are checked, not trusted: a bundle is
 * parsed against the protocol's schema and then verified step by step.
 */
import { parseProofBundle } from "../protocol/bundle";
import type { Hash } from "../protocol/hex";
import type { ProofLookup, PublishedSigner } from "./verify-flow";

/** Reads the `detail` of a problem+json answer, or says what the status was. */
async function problemDetail(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { detail?: unknown };
    if (typeof body.detail === "string") return body.detail;
  } catch {
    // Not a problem document: fall through to the status line.
  }
  return `the portal answered ${response.status} ${response.statusText}`.trim();
}

/**
 * `GET /api/v1/proofs/{entryHash}` from this portal: sealed (200), pending (202) or unknown (404).
 * Throws an Error with a plain sentence when the portal cannot be reached or answers otherwise.
 */
export async function fetchProofFromPortal(entryHash: Hash): Promise<ProofLookup> {
  let response: Response;
  try {
    response = await fetch(`/api/v1/proofs/${entryHash}`, { headers: { accept: "application/json" } });
  } catch (error) {
    throw new Error(`The portal could not be reached to fetch the proof (${(error as Error).message}). Check your connection and try again.`, { cause: error });
  }
  if (response.status === 404) return { status: "unknown" };
  if (response.status === 202) {
    const body = (await response.json()) as { acceptedAt?: unknown };
    return { status: "pending", acceptedAt: typeof body.acceptedAt === "string" ? body.acceptedAt : "" };
  }
  if (!response.ok) throw new Error(`The proof could not be fetched: ${await problemDetail(response)}.`);
  return { status: "sealed", bundle: parseProofBundle(await response.json()) };
}

/**
 * `GET /api/v1/signers`: the public signer directory.
 * Throws an Error when it cannot be fetched or is not a list of signers.
 */
export async function fetchSignersFromPortal(): Promise<PublishedSigner[]> {
  const response = await fetch("/api/v1/signers", { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(await problemDetail(response));
  const body = (await response.json()) as { signers?: unknown };
  if (!Array.isArray(body.signers)) throw new Error("the directory's answer has no list of signers");
  return body.signers as PublishedSigner[];
}
