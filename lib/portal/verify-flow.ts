/**
 * The browser verifier: it fetches what it needs through small injected services (the proof by
 * entry hash, the signer directory, a reader of the registry on the reader's chosen node) and runs
 * the one verification procedure (lib/protocol/verification.ts) under the browser's policy.
 * Nothing here talks to the network by itself, so the same flow runs in the browser and in tests.
 */
import type { ProofBundle, StepResult } from "../protocol/bundle";
import type { Hash } from "../protocol/hex";
import { runVerification, type ChainAccess, type PublishedSigner, type RegistryReads, type VerificationPolicy } from "../protocol/verification";
import { verdictOf, type Verdict } from "./verdict";
import type { VerifyInput } from "./verify-input";

export type { PublishedSigner } from "../protocol/verification";

/** The portal's answer about an entry: the three cases of `GET /api/v1/proofs/{entryHash}`. */
export type ProofLookup =
  | { status: "sealed"; bundle: ProofBundle }
  | { status: "pending"; acceptedAt: string }
  | { status: "unknown" };

/** What the flow may ask of the outside world. Only an entry hash ever leaves through these. */
export interface VerifyServices {
  fetchProof(entryHash: Hash): Promise<ProofLookup>;
  fetchSigners(): Promise<PublishedSigner[]>;
  /** A reader of `registry` on the reader's chosen RPC endpoint, or null when none is set. */
  registryReader(registry: `0x${string}`): Promise<RegistryReads | null>;
}

export interface VerifyOptions {
  /** A signed record held beside a bundle, to check against it. */
  record?: string;
  /**
   * The registry the reader trusts (the portal's configured one, or the reader's own); a bundle
   * naming another one fails the on-chain step. Without it the on-chain step is skipped: the
   * bundle's own `anchor.registry` proves nothing, since anyone can deploy a contract that holds
   * whatever roots they like.
   */
  trustedRegistry?: `0x${string}` | null;
  /**
   * The genesis root of the ledger the reader means (the portal's); the trusted registry's
   * `rootOf(0)` must equal it, so that a registry of another ledger cannot vouch for this one.
   * Defaults to the genesis root of the bundle's `ledgerId`.
   */
  genesisRoot?: Hash;
}

export type VerifyOutcome =
  | { kind: "checked"; entryHash: Hash; bundle: ProofBundle; steps: StepResult[]; verdict: Verdict }
  | { kind: "pending"; entryHash: Hash; acceptedAt: string }
  | { kind: "unknown"; entryHash: Hash }
  | { kind: "lookup_failed"; entryHash: Hash; message: string };

/**
 * Verifies what the reader gave: fetches the proof bundle for a record or an entry hash (sending
 * only the entry hash), then runs the steps of PROTOCOL §5 that the inputs allow.
 * Never throws for a failed check: failures are steps. Throws only when a service breaks its contract.
 */
export async function verifyEntry(input: VerifyInput, services: VerifyServices, options: VerifyOptions = {}): Promise<VerifyOutcome> {
  const entryHash = input.kind === "bundle" ? input.bundle.entryHash : input.entryHash;
  let bundle: ProofBundle;
  if (input.kind === "bundle") {
    bundle = input.bundle;
  } else {
    let lookup: ProofLookup;
    try {
      lookup = await services.fetchProof(entryHash);
    } catch (error) {
      return { kind: "lookup_failed", entryHash, message: (error as Error).message };
    }
    if (lookup.status === "pending") return { kind: "pending", entryHash, acceptedAt: lookup.acceptedAt };
    if (lookup.status === "unknown") return { kind: "unknown", entryHash };
    bundle = lookup.bundle;
    if (input.kind === "entry_hash" && bundle.entryHash !== entryHash) {
      return { kind: "lookup_failed", entryHash, message: `The portal answered with a proof about another entry (${bundle.entryHash}); it cannot be used.` };
    }
  }

  const jws = input.kind === "record" ? input.jws : options.record?.trim() || undefined;
  const steps: StepResult[] = await runVerification(
    { bundle, jws, trustedRegistry: options.trustedRegistry ?? null, genesisRoot: options.genesisRoot },
    { chain: (place) => readerOf(place.registry, services), signers: services.fetchSigners },
    BROWSER_POLICY,
  );
  return { kind: "checked", entryHash, bundle, steps, verdict: verdictOf(steps, Boolean(jws)) };
}

/**
 * The browser's reading of what cannot be concluded: no trusted registry, no chain step; a node of
 * another chain fails the step; a block not anchored yet is a failed step the verdict calls "not yet".
 */
export const BROWSER_POLICY: VerificationPolicy = {
  untrustedRegistry: "skip",
  registryHint: "enter the registry address the ledger's operator publishes in its official channels",
  otherChain: "fail",
  notAnchoredYet: "fail",
  withoutRecord: "omit",
};

/** The reader's registry reader, or why there is none (no node set, or one the browser cannot use). */
async function readerOf(registry: `0x${string}`, services: VerifyServices): ReturnType<ChainAccess> {
  try {
    const reader = await services.registryReader(registry);
    return reader ?? { skip: "No blockchain node is set", hint: "Enter the address of an Ethereum RPC endpoint in the settings." };
  } catch (error) {
    return { skip: (error as Error).message.replace(/\.$/, "") };
  }
}
