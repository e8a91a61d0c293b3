/**
 * The mirror layout (docs/PROTOCOL.md, "Appendix: mirror layout"): sealed blocks published as
 * immutable files that any static file server or CDN can serve, and the checks a verifier runs on
 * them with no trust in whoever serves them. Pure: the files are read through a `MirrorReader`
 * handed in, so the same code runs in the CLI, the browser and the tests.
 *
 *     ledger.json                 the signed checkpoint of the head (the one file that changes)
 *     blocks/{height}/header.json the block header
 *     blocks/{height}/entries.bin the entry hashes in leaf order, 32 bytes each
 *     blocks/{height}/tree.bin    the 2n-1 tree nodes of PROTOCOL §3, 32 bytes each, node k at 32k
 */
import { recoverMessageAddress, type Hex } from "viem";
import { z } from "zod";
import { addressSchema, hashSchema } from "./wire/primitives";
import type { ProofBundle } from "./wire/proof-bundle";
import { buildBlockTreePacked } from "./fast-tree";
import { genesisRootOf } from "./hash";
import { bytesToHex, hashToBytes, type Hash } from "./hex";
import { NODE_BYTES, proofNodeIndices } from "./merkle";

const hash = hashSchema;
const address = addressSchema;

/** `blocks/{height}/header.json`. */
export const mirrorHeaderSchema = z.object({
  version: z.literal(1),
  ledgerId: z.string().min(1),
  height: z.number().int().min(1),
  root: hash,
  prevRoot: hash,
  entryCount: z.number().int().min(1),
  sealedAt: z.string(),
});
export type MirrorHeader = z.infer<typeof mirrorHeaderSchema>;

/** `ledger.json`: the head, signed (EIP-191 `personal_sign` of `checkpointMessage`) by the receipt signer. */
export const checkpointSchema = z.object({
  version: z.literal(1),
  ledgerId: z.string().min(1),
  genesisRoot: hash,
  height: z.number().int().min(1),
  root: hash,
  sealedAt: z.string(),
  /** Where the ledger anchors, when it does: lets a verifier check the roots on chain. */
  chainId: z.number().int().positive().nullable(),
  registry: address.nullable(),
  signer: address,
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;
export type UnsignedCheckpoint = Omit<Checkpoint, "signer" | "signature">;

export const CHECKPOINT_PATH = "ledger.json";
export const headerPath = (height: number) => `blocks/${height}/header.json`;
export const entriesPath = (height: number) => `blocks/${height}/entries.bin`;
export const treePath = (height: number) => `blocks/${height}/tree.bin`;

/** The text the checkpoint signer signs (EIP-191 version 0x45, `personal_sign`): every field but the signature, one a line. */
export function checkpointMessage(c: UnsignedCheckpoint): string {
  return [
    "Sealbook checkpoint v1",
    `ledger: ${c.ledgerId}`,
    `genesis: ${c.genesisRoot}`,
    `height: ${c.height}`,
    `root: ${c.root}`,
    `sealedAt: ${c.sealedAt}`,
    `chainId: ${c.chainId ?? "none"}`,
    `registry: ${c.registry?.toLowerCase() ?? "none"}`,
  ].join("\n");
}

/** A file of the mirror that is missing, malformed, or does not match what it must match. */
export class MirrorError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly expected?: string,
    readonly computed?: string,
  ) {
    super(message);
    this.name = "MirrorError";
  }
}

/** Reads one file of the mirror by its path in the layout; null when the mirror does not have it. */
export type MirrorReader = (path: string) => Promise<Uint8Array | null>;

/** A reader over HTTP(S): `baseUrl` + path, 404 is null, any other non-200 throws. */
export function httpMirrorReader(baseUrl: string, doFetch: typeof fetch = fetch): MirrorReader {
  const root = baseUrl.replace(/\/+$/, "");
  return async (path) => {
    const response = await doFetch(`${root}/${path}`, { cache: "no-store" });
    if (response.status === 404) return null;
    if (!response.ok) throw new MirrorError(`The mirror answered ${response.status} for ${root}/${path}.`, path);
    return new Uint8Array(await response.arrayBuffer());
  };
}

async function need(read: MirrorReader, path: string): Promise<Uint8Array> {
  const bytes = await read(path);
  if (!bytes) throw new MirrorError(`The mirror has no ${path}.`, path);
  return bytes;
}

async function readJson<T>(read: MirrorReader, path: string, schema: z.ZodType<T>): Promise<T> {
  const bytes = await need(read, path);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new MirrorError(`${path} on the mirror is not JSON: ${(error as Error).message}`, path);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new MirrorError(`${path} on the mirror is not in the documented layout: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}.`, path);
  return parsed.data;
}

/**
 * Reads `ledger.json` and checks it: its genesis root is the one its ledger id defines, and its
 * signature recovers to the signer it names. Whether that signer is the ledger's (it holds
 * RECEIPT_SIGNER_ROLE on the registry) is a chain question the caller asks.
 * Throws MirrorError otherwise.
 */
export async function readCheckpoint(read: MirrorReader): Promise<Checkpoint> {
  const checkpoint = await readJson(read, CHECKPOINT_PATH, checkpointSchema);
  const genesis = genesisRootOf(checkpoint.ledgerId);
  if (genesis !== checkpoint.genesisRoot) throw new MirrorError(`ledger.json names a genesis root that ledger "${checkpoint.ledgerId}" does not have.`, CHECKPOINT_PATH, genesis, checkpoint.genesisRoot);
  const recovered = await recoverMessageAddress({ message: checkpointMessage(checkpoint), signature: checkpoint.signature as Hex }).catch(() => null);
  if (recovered?.toLowerCase() !== checkpoint.signer.toLowerCase()) {
    throw new MirrorError("The signature of ledger.json is not the named signer's: the checkpoint was changed or forged.", CHECKPOINT_PATH, checkpoint.signer.toLowerCase(), recovered?.toLowerCase() ?? "(no signer)");
  }
  return checkpoint;
}

/** Reads a block header; throws MirrorError when it is missing, malformed or for another height. */
export async function readMirrorHeader(read: MirrorReader, height: number): Promise<MirrorHeader> {
  const header = await readJson(read, headerPath(height), mirrorHeaderSchema);
  if (header.height !== height) throw new MirrorError(`${headerPath(height)} is the header of block ${header.height}.`, headerPath(height), String(height), String(header.height));
  return header;
}

/** Reads a block's entry list (leaf order, packed) and checks its length against the header. */
export async function readMirrorEntries(read: MirrorReader, header: MirrorHeader): Promise<Uint8Array> {
  const path = entriesPath(header.height);
  const packed = await need(read, path);
  if (packed.length !== header.entryCount * 32) {
    throw new MirrorError(`${path} holds ${packed.length} bytes; block ${header.height} has ${header.entryCount} entries of 32 bytes.`, path, String(header.entryCount * 32), String(packed.length));
  }
  return packed;
}

/**
 * Verifies a whole block from the mirror: recomputes the tree from the entry list alone, and
 * checks that it gives the header's root, that the entries are in leaf order, and that `tree.bin`
 * is exactly that tree. Returns the header. Throws MirrorError with the expected and computed value.
 * (That the header's root is the ledger's is for the chain, or the next block's prevRoot, to say.)
 */
export async function verifyMirrorBlock(read: MirrorReader, height: number): Promise<MirrorHeader> {
  const header = await readMirrorHeader(read, height);
  const packed = await readMirrorEntries(read, header);
  const tree = buildBlockTreePacked(packed);
  if (tree.root !== header.root) {
    throw new MirrorError(`The entries of block ${height} give another root than its header: the entry list or the header was changed.`, entriesPath(height), header.root, tree.root);
  }
  if (tree.sortedEntryIndex.some((position, i) => position !== i)) {
    throw new MirrorError(`The entries of block ${height} are not in leaf order.`, entriesPath(height));
  }
  const path = treePath(height);
  const nodes = await need(read, path);
  if (nodes.length !== tree.nodes.length) throw new MirrorError(`${path} holds ${nodes.length} bytes, not the ${tree.nodes.length} of block ${height}'s tree.`, path, String(tree.nodes.length), String(nodes.length));
  for (let k = 0; k < tree.size * 2 - 1; k++) {
    const at = k * NODE_BYTES;
    for (let b = 0; b < NODE_BYTES; b++) {
      if (nodes[at + b] !== tree.nodes[at + b]) {
        throw new MirrorError(`Node ${k} of ${path} is not the node the entries give: the tree file was changed.`, path, bytesToHex(tree.nodes.subarray(at, at + NODE_BYTES)), bytesToHex(nodes.subarray(at, at + NODE_BYTES)));
      }
    }
  }
  return header;
}

function leafIndexIn(packed: Uint8Array, entry: Uint8Array): number {
  outer: for (let i = 0; i < packed.length / 32; i++) {
    for (let b = 0; b < 32; b++) if (packed[i * 32 + b] !== entry[b]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Builds the proof bundle (PROTOCOL §5) of `entryHash` from the mirror's files: finds the entry in
 * block `height`, or in the blocks from the checkpoint's head down when no height is given, and
 * reads its proof from `tree.bin`. The bundle's `anchor` is null: the mirror does not say where a
 * root was anchored, the chain does. Returns null when no block of the mirror holds the entry.
 * Nothing is trusted here: the bundle is checked by the one verification procedure (verification.ts) like any other.
 */
export async function proofBundleFromMirror(read: MirrorReader, entryHash: Hash, options: { height?: number; headHeight: number }): Promise<ProofBundle | null> {
  const entry = hashToBytes(entryHash);
  const heights = options.height !== undefined ? [options.height] : Array.from({ length: options.headHeight }, (_, i) => options.headHeight - i);
  for (const height of heights) {
    const header = await readMirrorHeader(read, height);
    const leafIndex = leafIndexIn(await readMirrorEntries(read, header), entry);
    if (leafIndex < 0) continue;
    const nodes = await need(read, treePath(height));
    const proof = proofNodeIndices(header.entryCount, leafIndex).map((k) => {
      if ((k + 1) * NODE_BYTES > nodes.length) throw new MirrorError(`${treePath(height)} is too short for the proof of leaf ${leafIndex}.`, treePath(height));
      return bytesToHex(nodes.subarray(k * NODE_BYTES, (k + 1) * NODE_BYTES));
    });
    const { ledgerId, root, prevRoot, entryCount, sealedAt } = header;
    return { version: 1, ledgerId, entryHash: entryHash.toLowerCase() as Hash, block: { height, root, prevRoot, entryCount, sealedAt }, proof, anchor: null };
  }
  return null;
}
