/**
 * The browser verifier's procedure (PROTOCOL §5): it fetches what it needs through small injected
 * services and runs the protocol's own checks (lib/protocol/bundle.ts) on the result. Nothing here
 * talks to the network by itself, so the same flow runs in the browser and in tests.
 */
import type { JWK } from "jose";
import {
  checkChainRoots,
  checkMerkleProof,
  checkRecordAgainstBundle,
  checkSignature,
  type ProofBundle,
  type StepResult,
} from "../protocol/bundle";
import { genesisRootOf } from "../protocol/hash";
import type { Hash } from "../protocol/hex";
import { decodeRecord } from "../protocol/record";
import type { RegistryReader } from "./registry-reader";
import { verdictOf, type Verdict } from "./verdict";
import type { VerifyInput } from "./verify-input";

/** The portal's answer about an entry: the three cases of `GET /api/v1/proofs/{entryHash}`. */
export type ProofLookup =
  | { status: "sealed"; bundle: ProofBundle }
  | { status: "pending"; acceptedAt: string }
  | { status: "unknown" };

/** A signer as the public directory (`GET /api/v1/signers`) publishes it. */
export interface PublishedSigner {
  kid: string;
  alg: string;
  label: string;
  publicJwk: JWK;
  status: string;
}

/** What the flow may ask of the outside world. Only an entry hash ever leaves through these. */
export interface VerifyServices {
  fetchProof(entryHash: Hash): Promise<ProofLookup>;
  fetchSigners(): Promise<PublishedSigner[]>;
  /** A reader of `registry` on the reader's chosen RPC endpoint, or null when none is set. */
  registryReader(registry: `0x${string}`): Promise<RegistryReader | null>;
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
  const steps: StepResult[] = [];
  if (jws) steps.push(...checkRecordAgainstBundle(bundle, jws));
  steps.push(checkMerkleProof(bundle));
  steps.push(...(await chainSteps(bundle, services, options.trustedRegistry ?? null, options.genesisRoot ?? genesisRootOf(bundle.ledgerId))));
  if (jws) steps.push(await signatureStep(jws, services));
  return { kind: "checked", entryHash, bundle, steps, verdict: verdictOf(steps, Boolean(jws)) };
}

async function chainSteps(bundle: ProofBundle, services: VerifyServices, trusted: `0x${string}` | null, genesisRoot: Hash): Promise<StepResult[]> {
  const { height } = bundle.block;
  if (!trusted) {
    const message = bundle.anchor
      ? `No registry contract you trust is set. The proof names the registry ${bundle.anchor.registry}, but anyone can deploy a contract that holds whatever roots they like, so looking there proves nothing; the on-chain check was not made.`
      : `Block ${height} has not been anchored on a blockchain yet, as far as the proof says, and no registry contract you trust is set to look it up in.`;
    return [{ step: "root_on_chain", status: "skipped", message: `${message} Enter the registry address the ledger's operator publishes in its official channels.` }];
  }
  const registry = trusted;
  if (bundle.anchor && bundle.anchor.registry.toLowerCase() !== trusted.toLowerCase()) {
    return [
      {
        step: "root_on_chain",
        status: "fail",
        message: `The proof points to the registry contract ${bundle.anchor.registry}, but the registry you chose to trust is ${trusted}: this proof was not anchored where you expect.`,
        expected: trusted.toLowerCase(),
        computed: bundle.anchor.registry.toLowerCase(),
      },
    ];
  }
  let reader: RegistryReader | null;
  try {
    reader = await services.registryReader(registry);
  } catch (error) {
    const message = `${(error as Error).message} The on-chain check was not made.`;
    return [{ step: "root_on_chain", status: "skipped", message }];
  }
  if (!reader) {
    return [
      {
        step: "root_on_chain",
        status: "skipped",
        message: "No blockchain node is set, so the on-chain check was not made. Enter the address of an Ethereum RPC endpoint in the settings.",
      },
    ];
  }
  let chainId: number;
  try {
    chainId = await reader.chainId();
  } catch (error) {
    const message = `${(error as Error).message} The on-chain check was not made; try again later or use another RPC endpoint.`;
    return [
      { step: "root_on_chain", status: "skipped", message },
      { step: "chain_linkage", status: "skipped", message },
    ];
  }
  if (bundle.anchor && chainId !== bundle.anchor.chainId) {
    return [
      {
        step: "root_on_chain",
        status: "fail",
        message: `The blockchain node you use serves chain ${chainId}, but block ${height} was anchored on chain ${bundle.anchor.chainId}. Use a node of chain ${bundle.anchor.chainId}.`,
        expected: String(bundle.anchor.chainId),
        computed: String(chainId),
      },
    ];
  }
  let onChainGenesis: Hash;
  try {
    onChainGenesis = await reader.readRoot(0);
  } catch (error) {
    const message = `${(error as Error).message} The on-chain check was not made; try again later or use another RPC endpoint.`;
    return [{ step: "root_on_chain", status: "skipped", message }];
  }
  if (onChainGenesis !== genesisRoot) {
    return [
      {
        step: "root_on_chain",
        status: "fail",
        message: `The registry ${registry} does not belong to this ledger: its genesis root (rootOf(0)) is ${onChainGenesis}, but this ledger's is ${genesisRoot}.`,
        expected: genesisRoot,
        computed: onChainGenesis,
      },
    ];
  }
  return checkChainRoots(bundle, (h) => reader.readRoot(h));
}

async function signatureStep(jws: string, services: VerifyServices): Promise<StepResult> {
  let kid: string;
  try {
    kid = decodeRecord(jws.trim()).header.kid;
  } catch (error) {
    return { step: "signature", status: "fail", message: `The record cannot be read, so its signature cannot be checked: ${(error as Error).message}` };
  }
  let signers: PublishedSigner[];
  try {
    signers = await services.fetchSigners();
  } catch (error) {
    return { step: "signature", status: "skipped", message: `The public signer directory could not be fetched (${(error as Error).message}), so the signature was not checked.` };
  }
  const signer = signers.find((s) => s.kid === kid) ?? null;
  return checkSignature(jws, signer);
}
