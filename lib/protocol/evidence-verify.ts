/**
 * Checks an evidence bundle (PROTOCOL §8) with no trust in whoever produced it. Pure: the chain
 * reads and the receipt check (§6, which needs EIP-712 and a chain read) are handed in, as
 * the one verification procedure of §5 and §6 (verification.ts) takes its chain read, so the same procedure runs in the browser, the CLI and
 * the tests. Every check is reported: passed, failed, or skipped with the reason; a check that
 * cannot be made is never reported as passed.
 */
import type { JWK } from "jose";
import { checkChainRoots, checkMerkleProof, checkRecordAgainstBundle, type StepResult } from "./bundle";
import type { EvidenceAnchor, EvidenceBundle, EvidenceItem } from "./evidence";
import type { BlockHeader } from "./wire/proof-bundle";
import { genesisRootOf } from "./hash";
import { ZERO_HASH, type Hash } from "./hex";
import { decodeRecord, importRecordKey, verifyRecordSignature, type RecordAlg, type RecordVerifyKey } from "./record";
import { publicSignerKey, signerKid, type SignerPublicJwk } from "./signer-key";

/** Which §8 check a result is. Item checks carry the item's entry hash; bundle checks do not. */
export type EvidenceCheckId =
  | "item_bundle"
  | "entry_hash"
  | "prev_root"
  | "merkle_proof"
  | "root_on_chain"
  | "chain_linkage"
  | "item_anchor"
  | "signature"
  | "signer_kid"
  | "signer_validity"
  | `receipt_${string}`
  | "block_in_blocks"
  | "genesis_root"
  | "blocks_cover"
  | "blocks_chain"
  | "anchors_cover"
  | "anchor_root";

export interface EvidenceCheck {
  check: EvidenceCheckId;
  status: "pass" | "fail" | "skipped";
  /** One plain-language sentence for a reader who is not a developer. */
  message: string;
  /** The item this check is about, when it is about one. */
  entryHash?: Hash;
  /** The block (or anchored height) this check is about, when it is about one. */
  height?: number;
  expected?: string;
  computed?: string;
}

/** Where a root is published: one registry on one chain. */
export interface ChainTarget {
  chainId: number;
  registry: string;
}

/**
 * Reads `rootOf(height)` from `target`'s registry. Throws when that chain cannot be read (no RPC
 * for it, unreachable, another chain): the chain checks on it are then skipped with that message.
 */
export type ReadRootOn = (target: ChainTarget, height: number) => Promise<Hash>;

/** Checks an item's receipt (PROTOCOL §6); its results are reported as `receipt_<check>`. */
export type CheckReceipt = (receipt: Record<string, unknown>, item: EvidenceItem) => Promise<EvidenceCheck[]>;

export interface EvidenceVerifyInputs {
  /** The chain read; without it every on-chain check is skipped. */
  readRoot?: ReadRootOn;
  /** Why there is no chain read, for the skipped checks' sentence. */
  offlineReason?: string;
  /** The receipt check; without it a present receipt is reported as skipped. */
  checkReceipt?: CheckReceipt;
  /** Called after each item, for progress on long bundles. */
  onItem?: (done: number, total: number) => void;
}

export type EvidenceVerdict = "verified" | "failed" | "incomplete";

export interface EvidenceReport {
  checks: EvidenceCheck[];
  /**
   * failed: a check that could be made failed; incomplete: none failed, but an on-chain check was
   * skipped, so nothing ties the records to the public chain yet; verified: nothing failed and
   * every on-chain check ran (checks that need the JWS or a receipt may be skipped when the bundle
   * has none: they are listed as skipped).
   */
  verdict: EvidenceVerdict;
  counts: { pass: number; fail: number; skipped: number };
}

/** The checks that need a chain: skipped offline, and an offline check may accept only those. */
export const CHAIN_CHECKS: ReadonlySet<string> = new Set(["root_on_chain", "chain_linkage", "anchor_root", "receipt_signer_role"]);

/**
 * Runs every check of PROTOCOL §8 on `bundle`: per item, the steps of §5 (with the JWS when
 * present), the signature under `signer.jwk`, the key's thumbprint against `signer.kid`, the
 * signer's validity at acceptance, the receipt (§6) and the item's block header against `blocks`;
 * then that `blocks` runs without a gap from the lowest item's block to the highest anchor, that
 * `anchors` covers every item, and that each anchored root is the one the chain holds.
 * Never throws for a failed check: failures are results.
 */
export async function verifyEvidenceBundle(bundle: EvidenceBundle, inputs: EvidenceVerifyInputs = {}): Promise<EvidenceReport> {
  const checks: EvidenceCheck[] = [];
  const readRoot = inputs.readRoot ? memoizedRoots(inputs.readRoot) : undefined;
  const offline = inputs.offlineReason ?? "No blockchain connection was given";
  const headers = new Map(bundle.blocks.map((b) => [b.height, b]));
  const keys = new KeyCache();
  checks.push(checkGenesis(bundle));
  let done = 0;
  for (const item of bundle.items) {
    checks.push(...(await checkItem(bundle, item, headers, keys, readRoot, offline, inputs.checkReceipt)));
    inputs.onItem?.(++done, bundle.items.length);
  }
  checks.push(checkBlocksCover(bundle), checkBlocksChain(bundle), checkAnchorsCover(bundle));
  for (const anchor of bundle.anchors) checks.push(await checkAnchorRoot(anchor, headers.get(anchor.height), readRoot, offline));
  return conclude(checks);
}

/** Sums checks up into a report. */
export function conclude(checks: EvidenceCheck[]): EvidenceReport {
  const counts = { pass: 0, fail: 0, skipped: 0 };
  for (const c of checks) counts[c.status]++;
  const chainSkipped = checks.some((c) => c.status === "skipped" && CHAIN_CHECKS.has(c.check));
  const verdict: EvidenceVerdict = counts.fail > 0 ? "failed" : chainSkipped ? "incomplete" : "verified";
  return { checks, verdict, counts };
}

async function checkItem(
  bundle: EvidenceBundle,
  item: EvidenceItem,
  headers: Map<number, BlockHeader>,
  keys: KeyCache,
  readRoot: ReadRootOn | undefined,
  offline: string,
  checkReceipt: CheckReceipt | undefined,
): Promise<EvidenceCheck[]> {
  const about = { entryHash: item.entryHash, height: item.bundle.block.height };
  const out: EvidenceCheck[] = [];
  const fromStep = (s: StepResult): EvidenceCheck => ({ ...about, ...s, check: s.step as EvidenceCheckId });
  const sameEntry = item.bundle.entryHash === item.entryHash && item.bundle.ledgerId === bundle.ledgerId;
  out.push(
    sameEntry
      ? { ...about, check: "item_bundle", status: "pass", message: `The item's proof is about this entry, in ledger "${bundle.ledgerId}".` }
      : {
          ...about,
          check: "item_bundle",
          status: "fail",
          message: "The item's proof is about another entry or another ledger than the item itself.",
          expected: `${item.entryHash} in ${bundle.ledgerId}`,
          computed: `${item.bundle.entryHash} in ${item.bundle.ledgerId}`,
        },
  );
  if (item.jws !== undefined) out.push(...checkRecordAgainstBundle({ ...item.bundle, entryHash: item.entryHash }, item.jws).map(fromStep));
  else {
    const message = "This is a public bundle without the signed record, so the record itself could not be compared with the entry.";
    out.push({ ...about, check: "entry_hash", status: "skipped", message }, { ...about, check: "prev_root", status: "skipped", message });
  }
  out.push(fromStep(checkMerkleProof(item.bundle)));
  out.push(...(await itemChainChecks(item, readRoot, offline)).map(fromStep));
  out.push(await signatureCheck(item, about, keys));
  out.push(await kidCheck(item, about, keys));
  out.push(validityCheck(item, about));
  if (!item.receipt) {
    out.push({ ...about, check: "receipt_present", status: "skipped", message: "The bundle holds no acceptance receipt for this record, so there is none to check." });
  } else if (!checkReceipt) {
    out.push({ ...about, check: "receipt_present", status: "skipped", message: "This verifier was given no receipt check, so the acceptance receipt was not checked." });
  } else {
    out.push(...(await checkReceipt(item.receipt, item)).map((c) => ({ ...about, ...c })));
  }
  out.push(headerCheck(item, headers.get(item.bundle.block.height), about));
  return out;
}

/** §5 step 3 for an item: on its anchor's chain, rootOf(h) is the block's root and rootOf(h-1) its prevRoot. */
async function itemChainChecks(item: EvidenceItem, readRoot: ReadRootOn | undefined, offline: string): Promise<StepResult[]> {
  const { anchor, block } = item.bundle;
  if (!anchor) {
    const message = `The item's own proof names no anchor for block ${block.height}; the block is tied to the chain only through the chain of blocks up to an anchored one (see below).`;
    return [{ step: "item_anchor" as StepResult["step"], status: "skipped", message }];
  }
  if (!readRoot) {
    const message = `${offline}, so block ${block.height}'s roots were not compared with the blockchain.`;
    return [
      { step: "root_on_chain", status: "skipped", message },
      { step: "chain_linkage", status: "skipped", message },
    ];
  }
  return checkChainRoots(item.bundle, (h) => readRoot(anchor, h));
}

async function signatureCheck(item: EvidenceItem, about: Pick<EvidenceCheck, "entryHash" | "height">, keys: KeyCache): Promise<EvidenceCheck> {
  if (item.jws === undefined) {
    return { ...about, check: "signature", status: "skipped", message: "This is a public bundle without the signed record, so its signature could not be checked." };
  }
  let key: ReturnType<typeof publicSignerKey>;
  let kid: string;
  try {
    key = publicSignerKey(item.signer.jwk as JWK);
    kid = decodeRecord(item.jws.trim()).header.kid;
  } catch (error) {
    return { ...about, check: "signature", status: "fail", message: `The signature cannot be checked: ${(error as Error).message}` };
  }
  if (kid !== item.signer.kid) {
    return { ...about, check: "signature", status: "fail", message: "The record names another signing key than the signer in the bundle.", expected: item.signer.kid, computed: kid };
  }
  try {
    await verifyRecordSignature(item.jws.trim(), await keys.imported(key.publicJwk, key.alg), key.alg);
  } catch (error) {
    return { ...about, check: "signature", status: "fail", message: `The signature does not verify under the signer's key given in the bundle (${(error as Error).message}).` };
  }
  return { ...about, check: "signature", status: "pass", message: `The record carries a valid signature by ${item.signer.label}, under the key given in the bundle.` };
}

/**
 * Keys imported and thumbprints computed once per distinct key: a bundle of 100,000 records usually
 * has a handful of signers, and importing a key costs as much as checking a signature.
 */
class KeyCache {
  private readonly importedKeys = new Map<string, Promise<RecordVerifyKey>>();
  private readonly thumbprints = new Map<string, Promise<string>>();
  imported(publicJwk: SignerPublicJwk, alg: RecordAlg): Promise<RecordVerifyKey> {
    const id = `${alg}|${JSON.stringify(publicJwk)}`;
    let key = this.importedKeys.get(id);
    if (!key) this.importedKeys.set(id, (key = importRecordKey(publicJwk as JWK, alg)));
    return key;
  }
  thumbprint(publicJwk: SignerPublicJwk): Promise<string> {
    const id = JSON.stringify(publicJwk);
    let kid = this.thumbprints.get(id);
    if (!kid) this.thumbprints.set(id, (kid = signerKid(publicJwk)));
    return kid;
  }
}


async function kidCheck(item: EvidenceItem, about: Pick<EvidenceCheck, "entryHash" | "height">, keys: KeyCache): Promise<EvidenceCheck> {
  let thumbprint: string;
  try {
    thumbprint = await keys.thumbprint(publicSignerKey(item.signer.jwk as JWK).publicJwk);
  } catch (error) {
    return { ...about, check: "signer_kid", status: "fail", message: `The signer's key cannot be read: ${(error as Error).message}` };
  }
  return thumbprint === item.signer.kid
    ? { ...about, check: "signer_kid", status: "pass", message: `The signer's key is the key named ${item.signer.kid} (its RFC 7638 thumbprint).` }
    : {
        ...about,
        check: "signer_kid",
        status: "fail",
        message: "The signer's key is not the key its id names: its RFC 7638 thumbprint differs, so the key was swapped or altered.",
        expected: item.signer.kid,
        computed: thumbprint,
      };
}

function validityCheck(item: EvidenceItem, about: Pick<EvidenceCheck, "entryHash" | "height">): EvidenceCheck {
  const accepted = Date.parse(item.acceptedAt);
  const from = Date.parse(item.signer.validFrom);
  const revoked = item.signer.revokedAt === null ? null : Date.parse(item.signer.revokedAt);
  const base = { ...about, check: "signer_validity" as const };
  if (from > accepted) {
    return { ...base, status: "fail", message: `The signer's key was valid only from ${item.signer.validFrom}, after the record was accepted (${item.acceptedAt}).`, expected: `validFrom <= ${item.acceptedAt}`, computed: item.signer.validFrom };
  }
  if (revoked !== null && !(accepted < revoked)) {
    return { ...base, status: "fail", message: `The signer's key was revoked at ${item.signer.revokedAt}, before the record was accepted (${item.acceptedAt}).`, expected: `revokedAt after ${item.acceptedAt}`, computed: item.signer.revokedAt! };
  }
  const still = revoked === null ? "and is not revoked" : `and was revoked only later, at ${item.signer.revokedAt}`;
  return { ...base, status: "pass", message: `The signer's key was valid when the record was accepted (${item.acceptedAt}): valid from ${item.signer.validFrom}, ${still}.` };
}

function headerCheck(item: EvidenceItem, header: BlockHeader | undefined, about: Pick<EvidenceCheck, "entryHash" | "height">): EvidenceCheck {
  const own = item.bundle.block;
  if (!header) return { ...about, check: "block_in_blocks", status: "fail", message: `Block ${own.height}, which holds this record, is missing from the bundle's chain of blocks.` };
  return sameHeader(own, header)
    ? { ...about, check: "block_in_blocks", status: "pass", message: `Block ${own.height} is in the bundle's chain of blocks with the same header.` }
    : {
        ...about,
        check: "block_in_blocks",
        status: "fail",
        message: `The bundle's chain of blocks holds another header for block ${own.height} than the record's proof.`,
        expected: JSON.stringify(own),
        computed: JSON.stringify(header),
      };
}

function sameHeader(a: BlockHeader, b: BlockHeader): boolean {
  return a.height === b.height && a.root === b.root && a.prevRoot === b.prevRoot && a.entryCount === b.entryCount && a.sealedAt === b.sealedAt;
}

function checkGenesis(bundle: EvidenceBundle): EvidenceCheck {
  const expected = genesisRootOf(bundle.ledgerId);
  return bundle.genesisRoot === expected
    ? { check: "genesis_root", status: "pass", message: `The genesis root is the one of ledger "${bundle.ledgerId}".` }
    : { check: "genesis_root", status: "fail", message: `The genesis root is not the one of ledger "${bundle.ledgerId}".`, expected, computed: bundle.genesisRoot };
}

function checkBlocksCover(bundle: EvidenceBundle): EvidenceCheck {
  const lowest = Math.min(...bundle.items.map((i) => i.bundle.block.height));
  const highestAnchor = bundle.anchors.length > 0 ? Math.max(...bundle.anchors.map((a) => a.height)) : null;
  const from = bundle.blocks[0]?.height;
  const to = bundle.blocks.at(-1)?.height;
  const want = `blocks ${lowest} to ${highestAnchor ?? "an anchored height"}`;
  if (from === undefined || to === undefined) return { check: "blocks_cover", status: "fail", message: "The bundle holds no block headers.", expected: want, computed: "none" };
  if (from > lowest || highestAnchor === null || to < highestAnchor) {
    return { check: "blocks_cover", status: "fail", message: `The chain of blocks must run from the lowest record's block (${lowest}) to the highest anchored height (${highestAnchor ?? "none"}).`, expected: want, computed: `blocks ${from} to ${to}` };
  }
  return { check: "blocks_cover", status: "pass", message: `The chain of blocks runs from block ${from} to block ${to}, covering every record's block and the highest anchored height.` };
}

function checkBlocksChain(bundle: EvidenceBundle): EvidenceCheck {
  const blocks = bundle.blocks;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (i === 0) {
      if (b.height === 1 && b.prevRoot !== bundle.genesisRoot) {
        return { check: "blocks_chain", status: "fail", height: 1, message: "Block 1 does not build on the ledger's genesis root.", expected: bundle.genesisRoot, computed: b.prevRoot };
      }
      continue;
    }
    const before = blocks[i - 1];
    if (b.height !== before.height + 1) {
      return { check: "blocks_chain", status: "fail", height: before.height + 1, message: `The chain of blocks has a gap: block ${before.height} is followed by block ${b.height}.`, expected: String(before.height + 1), computed: String(b.height) };
    }
    if (b.prevRoot !== before.root) {
      return { check: "blocks_chain", status: "fail", height: b.height, message: `Block ${b.height} does not build on block ${before.height}: the root it names is not that block's root.`, expected: before.root, computed: b.prevRoot };
    }
  }
  if (blocks.length === 0) return { check: "blocks_chain", status: "fail", message: "The bundle holds no block headers to chain." };
  return { check: "blocks_chain", status: "pass", message: `Blocks ${blocks[0].height} to ${blocks.at(-1)!.height} form one unbroken chain: each builds on the root of the one before.` };
}

function checkAnchorsCover(bundle: EvidenceBundle): EvidenceCheck {
  const highestAnchor = bundle.anchors.length > 0 ? Math.max(...bundle.anchors.map((a) => a.height)) : 0;
  const uncovered = bundle.items.find((i) => i.bundle.block.height > highestAnchor);
  return uncovered
    ? {
        check: "anchors_cover",
        status: "fail",
        entryHash: uncovered.entryHash,
        height: uncovered.bundle.block.height,
        message: `Block ${uncovered.bundle.block.height} holds a record, but the bundle names no anchored height at or above it, so nothing ties it to the blockchain.`,
      }
    : { check: "anchors_cover", status: "pass", message: `Every record's block is at or below an anchored height (the highest is ${highestAnchor}).` };
}

async function checkAnchorRoot(anchor: EvidenceAnchor, header: BlockHeader | undefined, readRoot: ReadRootOn | undefined, offline: string): Promise<EvidenceCheck> {
  const base = { check: "anchor_root" as const, height: anchor.height };
  const where = `registry ${anchor.registry} on chain ${anchor.chainId}`;
  if (!header) return { ...base, status: "fail", message: `The bundle names an anchor at height ${anchor.height}, but holds no header for that block.` };
  if (!readRoot) return { ...base, status: "skipped", message: `${offline}, so the root of block ${anchor.height} was not compared with the ${where}.` };
  let onChain: Hash;
  try {
    onChain = await readRoot(anchor, anchor.height);
  } catch (error) {
    return { ...base, status: "skipped", message: `The ${where} could not be read (${(error as Error).message}), so the root of block ${anchor.height} was not compared with it.` };
  }
  if (onChain.toLowerCase() === header.root) {
    return { ...base, status: "pass", message: `The ${where} holds this exact root for block ${anchor.height} (transaction ${anchor.txHash}): it cannot be changed any more.` };
  }
  const absent = onChain.toLowerCase() === ZERO_HASH;
  return {
    ...base,
    status: "fail",
    message: absent ? `The ${where} holds no root for block ${anchor.height}: the bundle claims an anchor that does not exist.` : `The ${where} holds another root for block ${anchor.height} than the bundle.`,
    expected: header.root,
    computed: onChain.toLowerCase(),
  };
}

/** One chain read per registry and height, however many items share it. */
function memoizedRoots(read: ReadRootOn): ReadRootOn {
  const cache = new Map<string, Promise<Hash>>();
  return (target, height) => {
    const key = `${target.chainId}|${target.registry.toLowerCase()}|${height}`;
    let root = cache.get(key);
    if (!root) {
      root = read(target, height);
      cache.set(key, root);
    }
    return root;
  };
}
