import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BlockEntries } from "@/components/blocks/block-entries";
import { PageIntro } from "@/components/ui/page-intro";
import { TrustNote } from "@/components/ui/trust-note";
import { getBlock } from "@/lib/ledger/reads";
import { ENTRIES_PER_PAGE, heightFromSegment, pageFromSegment } from "@/lib/portal/params";
import { getLedger } from "@/lib/server/runtime";

// The entries of a sealed block never change: cached, refreshed now and then in the background.
export const revalidate = 300;
export const dynamicParams = true;
export function generateStaticParams(): Array<{ height: string; page: string }> {
  return [];
}

type Params = { params: Promise<{ height: string; page: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { height, page } = await params;
  return { title: `Block ${heightFromSegment(height) ?? "?"}, entries page ${pageFromSegment(page) ?? "?"}` };
}

export default async function BlockEntriesPage({ params }: Params) {
  const segments = await params;
  const height = heightFromSegment(segments.height);
  const page = pageFromSegment(segments.page);
  if (height === null || page === null) notFound();
  const ledger = await getLedger();
  const block = await getBlock(ledger, height);
  if (!block || (page - 1) * ENTRIES_PER_PAGE >= Math.max(block.entryCount, 1)) notFound();
  return (
    <>
      <PageIntro title={`Block ${height}: entries, page ${page}`} eyebrow="Sealed block">
        <p>
          The fingerprints of the records sealed in{" "}
          <Link className="link" href={`/blocks/${height}`}>
            block {height}
          </Link>
          , in the order of the block’s Merkle tree.
        </p>
      </PageIntro>
      <BlockEntries ledger={ledger} block={block} page={page} />
      <TrustNote>
        <p>
          These pages only make the list easy to read. The downloads above hold every entry of the block; from them anyone can recompute
          the block’s root and compare it with the root the blockchain holds for block {height}.
        </p>
      </TrustNote>
    </>
  );
}
