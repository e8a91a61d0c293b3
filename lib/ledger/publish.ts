/**
 * Publishes sealed blocks as the immutable files of the mirror layout (lib/protocol/mirror.ts,
 * docs/PROTOCOL.md "Appendix: mirror layout"), so that any static file server can serve
 * verification with the database stopped. The files are derived from the public reads (the block
 * header and its entry list in leaf order), and the tree is rebuilt from the entries and checked
 * against the sealed root before anything is written. Every file is written under a temporary name
 * and renamed into place, so a half-written file is never served.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { hashToBytes } from "../protocol/hex";
import {
  CHECKPOINT_PATH,
  checkpointMessage,
  entriesPath,
  headerPath,
  treePath,
  type Checkpoint,
  type MirrorHeader,
  type UnsignedCheckpoint,
} from "../protocol/mirror";
import type { LedgerContext } from "./context";
import { readHead } from "./head";
import { getBlock, listBlockEntries } from "./reads";
import { buildTreeFromPacked } from "./tree";

/** Signs the checkpoint text (EIP-191 `personal_sign`) with the receipt signer's key. */
export interface CheckpointSigner {
  address: `0x${string}`;
  signMessage(message: string): Promise<`0x${string}`>;
}

/** Where and how to publish. */
export interface PublishTarget {
  dir: string;
  signer: CheckpointSigner;
  /** Where the ledger anchors now, stated in the checkpoint (nulls when it does not). */
  chain(): Promise<{ chainId: number | null; registry: `0x${string}` | null }>;
}

export interface PublishProgress {
  height: number;
  head: number;
}

/** Writes `bytes` to `dir/relative` through a temporary file and a rename. */
async function writeAtomically(dir: string, relative: string, bytes: Uint8Array | string): Promise<void> {
  const file = path.join(dir, ...relative.split("/"));
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

const PAGE = 10_000;

/**
 * Writes block `height`'s header, entry list and tree files. Throws when the block does not exist
 * or when the tree rebuilt from its entries does not give its sealed root (then nothing is written).
 */
export async function publishBlock(ctx: LedgerContext, dir: string, height: number): Promise<MirrorHeader> {
  const block = await getBlock(ctx, height);
  if (!block) throw new Error(`Block ${height} does not exist, so it cannot be published.`);
  const packed = new Uint8Array(block.entryCount * 32);
  let count = 0;
  for (let from: number | null = 0; from !== null; ) {
    const page = await listBlockEntries(ctx, height, { from, limit: PAGE });
    for (const entry of page.entries) packed.set(hashToBytes(entry.entryHash), entry.leafIndex * 32);
    count += page.entries.length;
    from = page.next;
  }
  if (count !== block.entryCount) throw new Error(`Block ${height} lists ${count} entries, but its header says ${block.entryCount}; it was not published.`);
  const tree = buildTreeFromPacked(packed);
  if (tree.root !== block.root) throw new Error(`The entries of block ${height} give the root ${tree.root}, not its sealed root ${block.root}; it was not published.`);
  const header: MirrorHeader = {
    version: 1,
    ledgerId: ctx.ledgerId,
    height,
    root: block.root,
    prevRoot: block.prevRoot,
    entryCount: block.entryCount,
    sealedAt: block.sealedAt.toISOString(),
  };
  // The header last: a verifier that finds a header finds the files it describes.
  await writeAtomically(dir, entriesPath(height), packed);
  await writeAtomically(dir, treePath(height), tree.nodes);
  await writeAtomically(dir, headerPath(height), `${JSON.stringify(header, null, 2)}\n`);
  return header;
}

/** The height of the checkpoint already in `dir`, or 0 when there is none (or it cannot be read). */
export async function publishedHeight(dir: string): Promise<number> {
  try {
    const value = JSON.parse(await readFile(path.join(dir, CHECKPOINT_PATH), "utf8")) as { height?: unknown };
    return typeof value.height === "number" && Number.isInteger(value.height) ? value.height : 0;
  } catch {
    return 0; // no checkpoint yet, or a broken one: publish from the start
  }
}

/**
 * Publishes the blocks from `from` (default: the one after the checkpoint already in the
 * directory) up to the head, then a signed `ledger.json` of the head. Returns the heights written.
 */
export async function publishBlocks(
  ctx: LedgerContext,
  target: PublishTarget,
  options: { from?: number; onProgress?: (p: PublishProgress) => void } = {},
): Promise<{ published: number[]; head: number }> {
  const head = await readHead(ctx.db, ctx.genesisRoot);
  const from = Math.max(1, options.from ?? (await publishedHeight(target.dir)) + 1);
  const published: number[] = [];
  for (let height = from; height <= head.height; height++) {
    options.onProgress?.({ height, head: head.height });
    await publishBlock(ctx, target.dir, height);
    published.push(height);
  }
  if (head.height > 0 && (published.length > 0 || (await publishedHeight(target.dir)) !== head.height)) {
    const block = await getBlock(ctx, head.height);
    if (!block) throw new Error(`The head block ${head.height} is missing.`);
    const chain = await target.chain();
    const unsigned: UnsignedCheckpoint = {
      version: 1,
      ledgerId: ctx.ledgerId,
      genesisRoot: ctx.genesisRoot,
      height: block.height,
      root: block.root,
      sealedAt: block.sealedAt.toISOString(),
      chainId: chain.chainId,
      registry: chain.registry,
    };
    const checkpoint: Checkpoint = { ...unsigned, signer: target.signer.address, signature: await target.signer.signMessage(checkpointMessage(unsigned)) };
    await writeAtomically(target.dir, CHECKPOINT_PATH, `${JSON.stringify(checkpoint, null, 2)}\n`);
  }
  return { published, head: head.height };
}

/**
 * A publisher for the seal loop: `publishNew()` after each seal publishes what is new, one run at
 * a time (a call during a run makes one more run after it). A failure is reported and retried by
 * the next call, since the next run starts after the last checkpoint written.
 */
export function createPublisher(ctx: LedgerContext, target: PublishTarget, log: { published(heights: number[]): void; error(error: unknown): void }) {
  let running: Promise<void> | null = null;
  let again = false;
  const run = async (): Promise<void> => {
    do {
      again = false;
      try {
        const { published } = await publishBlocks(ctx, target);
        if (published.length > 0) log.published(published);
      } catch (error) {
        log.error(error);
      }
    } while (again);
  };
  return {
    publishNew(): Promise<void> {
      if (running) {
        again = true;
        return running;
      }
      running = run().finally(() => {
        running = null;
      });
      return running;
    },
  };
}
