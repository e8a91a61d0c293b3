/**
 * What the portal's public pages read, through the read replicas of DATABASE_READ_URL
 * (lib/ledger/replicas.ts), with the same guarantee as the API: a lagging replica never answers
 * wrongly. Two kinds of reads:
 * - lookups of something immutable once written (a block, an entry, a search): the replica's answer
 *   is taken when it has the thing, sealed and with its leaf positions written; anything it lacks
 *   is asked of the primary, so a page never says "unknown" or 404 while the primary knows better;
 * - the newest state (the home page, the list of blocks, the feed): taken from the replica only when
 *   its head has caught up with the primary's head as it was when asked (lib/ledger/runtime.ts).
 * What changes after a block is sealed (its anchor, the pending count, a signer's revocation) may
 * then show up to the replica's lag late, which `/api/v1/health` reports. Without replicas, every
 * read is on the primary.
 */
import { getAnchoringProgress, listBlockActivity, type AnchoringProgress, type BlockActivity } from "../ledger/activity";
import type { LedgerContext } from "../ledger/context";
import { getBlock, getEntryStatus, getLedgerStatus, listBlocks, type BlockSummary, type LedgerStatus } from "../ledger/reads";
import { readBlockWithLeaves } from "../ledger/replica-reads";
import { readNewest, readThrough, type Runtime } from "../ledger/runtime";
import { listSigners, type Signer } from "../ledger/signers/signers";
import type { Hash } from "../protocol/hex";
import { getChainSettings, type PortalChainSettings } from "./chain-settings";
import { resolveSearch, type SearchResolution } from "./search";

type Reads = Pick<Runtime, "config" | "ledger" | "reads">;

/** What the home page shows: the ledger's status, the latest blocks, recent activity, anchoring and the chain. */
export interface HomePageData {
  status: LedgerStatus;
  latest: BlockSummary[];
  activity: BlockActivity[];
  anchoring: AnchoringProgress;
  chain: PortalChainSettings;
}

/** Reads the home page's data, from a replica that has the primary's head, else from the primary. */
export async function readHomePage(runtime: Reads, options: { latest: number; activity: number }): Promise<HomePageData> {
  return readNewest(
    runtime,
    async (ledger) => {
      const [status, latest, activity, anchoring, chain] = await Promise.all([
        getLedgerStatus(ledger),
        listBlocks(ledger, { limit: options.latest }),
        listBlockActivity(ledger, options.activity),
        getAnchoringProgress(ledger),
        getChainSettings({ config: runtime.config, ledger }),
      ]);
      return { status, latest: latest.blocks, activity, anchoring, chain };
    },
    (data, primaryHeight) => data.status.head.height >= primaryHeight,
  );
}

/** Reads the ledger's status and one page of the block list (below `before`, newest first), from a replica that has the primary's head. */
export async function readBlockList(
  runtime: Reads,
  options: { before?: number; limit: number },
): Promise<{ status: LedgerStatus; blocks: BlockSummary[]; nextBefore: number | null }> {
  return readNewest(
    runtime,
    async (ledger) => {
      const [status, page] = await Promise.all([getLedgerStatus(ledger), listBlocks(ledger, options)]);
      return { status, ...page };
    },
    (data, primaryHeight) => data.status.head.height >= primaryHeight,
  );
}

/** Reads the newest `size` blocks and their anchoring times, for the Atom feed, from a replica that has the primary's head. */
export async function readFeedBlocks(runtime: Reads, size: number): Promise<{ blocks: BlockSummary[]; activity: BlockActivity[] }> {
  return readNewest(
    runtime,
    async (ledger) => {
      const [{ blocks }, activity] = await Promise.all([listBlocks(ledger, { limit: size }), listBlockActivity(ledger, size)]);
      return { blocks, activity };
    },
    (data, primaryHeight) => (data.blocks[0]?.height ?? 0) >= primaryHeight,
  );
}

/**
 * A block page's data: the block, the next one (for the link), the chain settings, and the database
 * (`ledger`) that answered, for the page's list of entries: a replica only once it has the block
 * with its leaf positions (lib/ledger/replica-reads.ts); `block` is null only when the primary
 * lacks it too.
 */
export async function readBlockPage(
  runtime: Reads,
  height: number,
): Promise<{ ledger: LedgerContext; block: BlockSummary | null; next: BlockSummary | null; chain: PortalChainSettings }> {
  const { ledger, block } = await readBlockWithLeaves(runtime, height);
  const [next, chain] = await Promise.all([block ? getBlock(ledger, height + 1) : null, getChainSettings({ config: runtime.config, ledger })]);
  return { ledger, block, next, chain };
}

/** Where an entry stands, as `getEntryStatus` says it. */
export type EntryStatus = Awaited<ReturnType<typeof getEntryStatus>>;

/**
 * An entry page's data: where the entry stands and, once sealed, its block. Only a sealed entry is
 * taken from a replica; one the replica does not know, or knows only as pending, is asked of the
 * primary, so the page never says "unknown" or "pending" while the primary has it sealed.
 */
export async function readEntryPage(runtime: Reads, entryHash: Hash): Promise<{ status: EntryStatus; block: BlockSummary | null }> {
  return readThrough(
    runtime,
    async (ledger) => {
      const status = await getEntryStatus(ledger, entryHash);
      return { status, block: status?.status === "sealed" ? await getBlock(ledger, status.height) : null };
    },
    (data) => data.status?.status === "sealed" && data.block !== null,
  );
}

/** Resolves the search box (lib/portal/search.ts): a match on a replica is taken; "nothing matches" is the primary's answer. */
export async function searchLedger(runtime: Reads, query: string): Promise<SearchResolution> {
  return readThrough(runtime, (ledger) => resolveSearch(ledger, query), (result) => result.found);
}

/** The chain settings a page shows (lib/portal/chain-settings.ts), the chain id completed from a replica's anchors when the configuration lacks it. */
export async function readChainSettings(runtime: Reads): Promise<PortalChainSettings> {
  return readThrough(runtime, (ledger) => getChainSettings({ config: runtime.config, ledger }));
}

/** The signers directory, from a replica: a signer added or revoked a moment ago shows up to the replica's lag late (the ledger itself refuses a revoked key at once). */
export async function readSigners(runtime: Reads): Promise<Signer[]> {
  return readThrough(runtime, (ledger) => listSigners(ledger));
}
