import type { Metadata } from "next";
import { BlockTable } from "@/components/blocks/block-table";
import { PageIntro } from "@/components/ui/page-intro";
import { Pager } from "@/components/ui/pager";
import { TrustNote } from "@/components/ui/trust-note";
import { getLedgerStatus, listBlocks } from "@/lib/ledger/reads";
import { getLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Blocks", description: "Every sealed block of the ledger, newest first." };

const PAGE_SIZE = 25;

/** Reads `?before=N` (list blocks below height N); anything else means "from the newest". */
function readBefore(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !/^[0-9]{1,10}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 2 && n <= 2_147_483_647 ? n : undefined;
}

export default async function BlocksPage({ searchParams }: { searchParams: Promise<{ before?: string | string[] }> }) {
  const before = readBefore((await searchParams).before);
  const ledger = await getLedger();
  const [status, page] = await Promise.all([getLedgerStatus(ledger), listBlocks(ledger, { before, limit: PAGE_SIZE })]);
  const first = page.blocks[0];
  const last = page.blocks.at(-1);
  const newerBefore = first ? first.height + PAGE_SIZE + 1 : null;
  const newer =
    before !== undefined && first && first.height < status.head.height
      ? { href: newerBefore !== null && newerBefore <= status.head.height ? `/blocks?before=${newerBefore}` : "/blocks", text: "Newer blocks" }
      : null;
  const older = page.nextBefore !== null ? { href: `/blocks?before=${page.nextBefore}`, text: "Older blocks" } : null;

  return (
    <>
      <PageIntro title="Sealed blocks">
        <p>
          Every few seconds the ledger seals the records it has accepted into a new block. A block lists the fingerprints (entry
          hashes) of its records and is summed up by one value, its root. This list shows every block, newest first, and whether its
          root is already written on the blockchain.
        </p>
      </PageIntro>
      <BlockTable blocks={page.blocks} caption="Sealed blocks, newest first" />
      {first && last ? (
        <Pager
          label="Block list pages"
          previous={newer}
          next={older}
          position={`Blocks ${last.height} to ${first.height} of ${status.head.height}`}
        />
      ) : null}
      <TrustNote>
        <p>
          A block’s root is computed from its entries with a public recipe (a Merkle tree), and every entry of a block was signed
          against the root of the block before it. Download any block’s entries from its page and recompute its root yourself; then
          compare it with the root held by the blockchain.
        </p>
      </TrustNote>
    </>
  );
}
