/**
 * The one verification procedure of PROTOCOL §5 (a proof bundle, with its signed record when held)
 * and §6 (an acceptance receipt), run by the browser's verifier (lib/portal/verify-flow.ts),
 * `sealbook verify` and `sealbook verify --mirror` (lib/watchdog/verify.ts). The network is handed
 * in (a reader of the registry, the signer directory), so one procedure runs everywhere; the
 * front-ends only choose their policy (`VerificationPolicy`), sum up the steps and render them.
 *
 * Each step keeps its stable id (`step`, and `check` for a receipt's), its outcome and its values
 * (`expected`, `computed`), so that a front-end can word or translate it. Never throws for a failed
 * check: failures are steps.
 */
import type { JWK } from "jose";
import { zeroHash, type Address } from "viem";
import { checkChainRoots, checkMerkleProof, checkRecordAgainstBundle, checkSignature, type ProofBundle, type StepResult } from "./bundle";
import { genesisRootOf } from "./hash";
import type { Hash } from "./hex";
import type { SignedReceipt } from "./receipt";
import { checkReceiptAgainstBundle, checkReceiptSignature, checkReceiptSignerRole, type ReceiptStep } from "./receipt-checks";
import { decodeRecord } from "./record";

/** What the procedure reads from a registry (lib/chain/registry/reader.ts is one). Roots 0x-lowercase. */
export interface RegistryReads {
  chainId(): Promise<number>;
  /** `rootOf(height)`: 0x00…00 where nothing is anchored. */
  readRoot(height: number): Promise<Hash>;
  /** Whether there is a contract at the registry; needed only for a receipt's signer. */
  deployed?(): Promise<boolean>;
  /** Whether `account` holds RECEIPT_SIGNER_ROLE; needed only for a receipt's signer. */
  isReceiptSigner?(account: Address): Promise<boolean>;
}

/** A registry to read, and the chain it should be on when that is known. */
export interface RegistryPlace {
  registry: Address;
  chainId: number | null;
}

/** Why the chain cannot be read: a clause (`why`, no final stop), and what the reader can do about it. */
export interface ChainSkip {
  skip: string;
  hint?: string;
}

/** A signer as the public directory (`GET /api/v1/signers`) publishes it. */
export interface PublishedSigner {
  kid: string;
  alg: string;
  label: string;
  publicJwk: JWK;
  status: string;
}

/** A reader of a registry on the verifier's chosen RPC endpoint, or why none can be had. */
export type ChainAccess = (place: RegistryPlace) => Promise<RegistryReads | ChainSkip>;

/** The network, handed in. Only an entry hash, a kid or a registry address ever leaves through it. */
export interface VerificationServices {
  /** A reader of a registry on the verifier's chosen RPC endpoint; or, for every registry, why none can be had. */
  chain: ChainAccess | ChainSkip;
  /** The public signer directory; without it the signature step is left out. */
  signers?: () => Promise<PublishedSigner[]>;
}

/** What to verify, and what the verifier trusts. */
export interface VerificationInputs {
  bundle: ProofBundle;
  /** The signed record the bundle is about, when held. */
  jws?: string;
  receipt?: SignedReceipt;
  /**
   * The registry the verifier trusts (the address the operator publishes); the bundle's must be the
   * same, and its rootOf(0) the ledger's genesis root. Anyone can deploy a contract that holds
   * whatever roots they like, so the bundle's own `anchor.registry` proves nothing by itself.
   */
  trustedRegistry?: Address | null;
  /** The genesis root of the ledger meant (default: the one of the bundle's `ledgerId`). */
  genesisRoot?: Hash;
  /** The chain to check the roots on when neither the bundle nor a receipt names one (a mirror's checkpoint does). */
  anchoredOn?: { chainId: number; registry: Address } | null;
}

/**
 * How a front-end reads what cannot be concluded. The browser and `sealbook verify` differ here on
 * purpose (README, "What the browser verifier trusts"), and nowhere else.
 */
export interface VerificationPolicy {
  /** Without a trusted registry: skip the chain steps, or read the registry the bundle names and say it proves less. */
  untrustedRegistry: "skip" | "read_named";
  /** How to name a trusted registry, as a clause: appended to the chain step when none is trusted. */
  registryHint: string;
  /** A node of another chain than the registry's: a failed chain step, or a skipped one. */
  otherChain: "fail" | "skip";
  /** A block that claims no anchor and has none yet: a failed step with a zero root (a "not yet"), or a skipped one. */
  notAnchoredYet: "fail" | "skip";
  /** Without a signed record: leave the entry_hash step out, or list it as skipped. */
  withoutRecord: "omit" | "skip";
}

/** A step of the procedure: one of §5, or a receipt's check of §6. */
export type VerificationStep = StepResult | ReceiptStep;

/** Runs every step of §5 and §6 the inputs allow, in order: record, Merkle proof, chain, signature, receipt. */
export async function runVerification(inputs: VerificationInputs, services: VerificationServices, policy: VerificationPolicy): Promise<VerificationStep[]> {
  const { bundle, receipt } = inputs;
  const jws = inputs.jws?.trim() || undefined;
  const steps: VerificationStep[] = [];
  if (jws) steps.push(...checkRecordAgainstBundle(bundle, jws));
  else if (policy.withoutRecord === "skip") steps.push({ step: "entry_hash", status: "skipped", message: "No signed record was given, so the entry hash was taken from the bundle as it is." });
  steps.push(checkMerkleProof(bundle));
  steps.push(...(await chainSteps(inputs, services, policy)));
  if (jws && services.signers) steps.push(await signatureStep(jws, services.signers));
  if (receipt) steps.push(await checkReceiptSignature(receipt), ...checkReceiptAgainstBundle(receipt, bundle), await signerRoleStep(receipt, services));
  return steps;
}

const skipped = (step: "root_on_chain" | "chain_linkage", message: string): StepResult => ({ step, status: "skipped", message });
const sameAddress = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const skipSentence = ({ skip, hint }: ChainSkip) => `${skip}, so the on-chain check was skipped: the roots were not compared with the blockchain.${hint ? ` ${hint}` : ""}`;

/** The place the bundle's roots are claimed at: its anchor, else the receipt's registry, else `anchoredOn`. */
function namedPlace({ bundle, receipt, anchoredOn }: VerificationInputs): { chainId: number; registry: Address } | null {
  if (bundle.anchor) return { chainId: bundle.anchor.chainId, registry: bundle.anchor.registry as Address };
  if (receipt) return { chainId: receipt.domain.chainId, registry: receipt.domain.verifyingContract };
  return anchoredOn ?? null;
}

/** Step 3 of §5 with what it needs first: the trusted registry, a reader on the right chain, the ledger's genesis root. */
async function chainSteps(inputs: VerificationInputs, services: VerificationServices, policy: VerificationPolicy): Promise<StepResult[]> {
  const { bundle } = inputs;
  const { height } = bundle.block;
  const named = namedPlace(inputs);
  const trusted = inputs.trustedRegistry ?? null;
  if (trusted && named && !sameAddress(named.registry, trusted)) {
    return [
      {
        step: "root_on_chain",
        status: "fail",
        message: `The proof points to the registry ${named.registry}, but the registry you trust is ${trusted}: this proof was not anchored where you expect.`,
        expected: trusted.toLowerCase(),
        computed: named.registry.toLowerCase(),
      },
    ];
  }
  if (typeof services.chain !== "function") return [skipped("root_on_chain", skipSentence(services.chain))];
  const registry = trusted ?? (policy.untrustedRegistry === "read_named" ? (named?.registry ?? null) : null);
  if (!registry) {
    if (policy.untrustedRegistry === "read_named") return [skipped("root_on_chain", skipSentence({ skip: "The block is not anchored yet and no receipt names a registry" }))];
    const message = bundle.anchor
      ? `No registry contract you trust is set. The proof names the registry ${bundle.anchor.registry}, but anyone can deploy a contract that holds whatever roots they like, so looking there proves nothing; the on-chain check was not made.`
      : `Block ${height} has not been anchored on a blockchain yet, as far as the proof says, and no registry contract you trust is set to look it up in.`;
    return [skipped("root_on_chain", `${message} To check it, ${policy.registryHint}.`)];
  }
  const reader = await services.chain({ registry, chainId: named?.chainId ?? null });
  if ("skip" in reader) return [skipped("root_on_chain", skipSentence(reader))];
  let served: number;
  try {
    served = await reader.chainId();
  } catch (error) {
    const message = `${(error as Error).message} The on-chain check was not made; try again later or use another RPC endpoint.`;
    return [skipped("root_on_chain", message), skipped("chain_linkage", message)];
  }
  if (named && served !== named.chainId) {
    const message = `The blockchain node you use serves chain ${served}, but the registry ${registry} is on chain ${named.chainId}: use a node of chain ${named.chainId}.`;
    return [policy.otherChain === "fail" ? { step: "root_on_chain", status: "fail", message, expected: String(named.chainId), computed: String(served) } : skipped("root_on_chain", message)];
  }
  if (trusted) {
    const wrongLedger = await genesisStep(bundle, registry, inputs.genesisRoot ?? genesisRootOf(bundle.ledgerId), reader);
    if (wrongLedger) return [wrongLedger];
  }
  return (await checkChainRoots(bundle, (h) => reader.readRoot(h))).map((step) => {
    if (step.step !== "root_on_chain") return step;
    if (policy.notAnchoredYet === "skip" && !bundle.anchor && step.status === "fail" && step.computed === zeroHash) {
      return skipped("root_on_chain", `Block ${height} is not anchored on the blockchain yet, so its root is not publicly fixed yet: verify again once it is.`);
    }
    return trusted ? step : { ...step, message: `${step.message} (Read from ${registry}, the registry the bundle names: ${policy.registryHint}.)` };
  });
}

/** Null when the registry's rootOf(0) is the ledger's genesis root; otherwise the failed (or, unread, skipped) chain step. */
async function genesisStep(bundle: ProofBundle, registry: Address, genesisRoot: Hash, reader: RegistryReads): Promise<StepResult | null> {
  let onChain: Hash;
  try {
    onChain = await reader.readRoot(0);
  } catch (error) {
    return skipped("root_on_chain", `The registry's genesis root could not be read (${(error as Error).message}), so the on-chain check was not made; try again later or use another RPC endpoint.`);
  }
  if (onChain === genesisRoot) return null;
  return {
    step: "root_on_chain",
    status: "fail",
    message: `The registry ${registry} does not belong to ledger "${bundle.ledgerId}": its genesis root (rootOf(0)) is ${onChain}, but this ledger's is ${genesisRoot}.`,
    expected: genesisRoot,
    computed: onChain,
  };
}

/** Step 4 of §5: the record's signature under the key the directory publishes for its kid. */
async function signatureStep(jws: string, signers: () => Promise<PublishedSigner[]>): Promise<StepResult> {
  let kid: string;
  try {
    kid = decodeRecord(jws).header.kid;
  } catch (error) {
    return { step: "signature", status: "fail", message: `The record cannot be read, so its signature cannot be checked: ${(error as Error).message}` };
  }
  let directory: PublishedSigner[];
  try {
    directory = await signers();
  } catch (error) {
    return { step: "signature", status: "skipped", message: `The public signer directory could not be fetched (${(error as Error).message}), so the signature was not checked.` };
  }
  return checkSignature(jws, directory.find((s) => s.kid === kid) ?? null);
}

/** §6 on chain: the receipt's signer holds RECEIPT_SIGNER_ROLE on the registry the receipt names, on its chain. */
async function signerRoleStep(receipt: SignedReceipt, services: VerificationServices): Promise<ReceiptStep> {
  const { chainId, verifyingContract } = receipt.domain;
  if (typeof services.chain !== "function") return checkReceiptSignerRole(receipt, null, services.chain.skip);
  const reader = await services.chain({ registry: verifyingContract, chainId });
  if ("skip" in reader) return checkReceiptSignerRole(receipt, null, reader.skip);
  let served: number;
  try {
    served = await reader.chainId();
  } catch (error) {
    return checkReceiptSignerRole(receipt, null, `The blockchain could not be reached (${(error as Error).message})`);
  }
  if (served !== chainId) return checkReceiptSignerRole(receipt, null, `The RPC serves chain ${served}, but the receipt's registry is on chain ${chainId}`);
  if (!reader.isReceiptSigner) return checkReceiptSignerRole(receipt, null, "This verifier reads no roles from the registry");
  if ((await reader.deployed?.().catch(() => null)) === false) {
    return {
      step: "receipt",
      check: "signer_role",
      status: "fail",
      message: `There is no contract at ${verifyingContract} on chain ${chainId}: the receipt names a registry that does not exist, so no ledger stands by it.`,
    };
  }
  return checkReceiptSignerRole(receipt, (account) => reader.isReceiptSigner!(account));
}
