import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AnchorFields, BlockHeaderFields } from "@/components/blocks/block-fields";
import { BlockEntries } from "@/components/blocks/block-entries";
import { LiveRootCheck } from "@/components/chain/live-root-check";
import { PageIntro } from "@/components/ui/page-intro";
import { TrustNote } from "@/components/ui/trust-note";
import { getBlock } from "@/lib/ledger/reads";
import { getChainSettings } from "@/lib/portal/chain-settings";
import { formatCount } from "@/lib/portal/format";
import { heightFromSegment } from "@/lib/portal/params";
import { getRuntime } from "@/lib/server/runtime";

// A sealed block never changes, so its page is rendered once and served from the cache. Only its
// anchoring status can appear later: the cached page is refreshed in the background every 30 s.
export const revalidate = 30;
export const dynamicParams = true;
export function generateStaticParams(): Array<{ height: string }> {
  return [];
}

type Params = { params: Promise<{ height: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const height = heightFromSegment((await params).height);
  return { title: height ? `Block ${height}` : "Block" };
}

export default async function BlockPage({ params }: Params) {
  const height = heightFromSegment((await params).height);
  if (height === null) notFound();
  const runtime = await getRuntime();
  const ledger = runtime.ledger;
  const [block, next, chain] = await Promise.all([getBlock(ledger, height), getBlock(ledger, height + 1), getChainSettings(runtime)]);
  if (!block) notFound();
  const registry = block.anchor?.registry ?? chain.registry;

  return (
    <>
      <PageIntro title={`Block ${block.height}`} eyebrow="Sealed block">
        <p>
          This block seals {formatCount(block.entryCount)} {block.entryCount === 1 ? "record" : "records"}. Its root sums up all of
          them, and it builds on the root of the block before it, so it also commits to the whole history of the ledger.
        </p>
      </PageIntro>

      <nav aria-label="Neighbouring blocks" className="mb-6 flex flex-wrap gap-3">
        {block.height > 1 ? (
          <Link className="rounded border border-slate-300 bg-white px-3 py-2 font-medium text-blue-900 hover:bg-slate-100" href={`/blocks/${block.height - 1}`} rel="prev">
            ← Block {block.height - 1}
          </Link>
        ) : null}
        {next ? (
          <Link className="rounded border border-slate-300 bg-white px-3 py-2 font-medium text-blue-900 hover:bg-slate-100" href={`/blocks/${next.height}`} rel="next">
            Block {next.height} →
          </Link>
        ) : null}
        <Link className="rounded px-3 py-2 font-medium text-blue-900 underline" href="/blocks">
          All blocks
        </Link>
      </nav>

      <section aria-labelledby="header-heading">
        <h2 id="header-heading" className="mb-3 text-2xl font-semibold">
          Block header
        </h2>
        <BlockHeaderFields block={block} />
      </section>

      <section aria-labelledby="anchor-heading" className="mt-10">
        <h2 id="anchor-heading" className="mb-3 text-2xl font-semibold">
          Anchoring on the blockchain
        </h2>
        <AnchorFields block={block} />
        <div className="mt-4">
          <LiveRootCheck
            height={block.height}
            root={block.root}
            registry={registry}
            rpcUrl={chain.rpcUrl ?? chain.rpcSuggestions[0] ?? null}
            rpcIsSuggestion={chain.rpcUrl === null}
            chainId={block.anchor?.chainId ?? chain.chainId}
          />
        </div>
      </section>

      <BlockEntries ledger={ledger} block={block} page={1} />

      <TrustNote>
        <p>
          You can recompute this block’s root yourself: download its entries, and build an OpenZeppelin “StandardMerkleTree” over them
          (the recipe is in the <Link className="link" href="/about#check-by-hand">protocol</Link>). If the result equals the root above
          and the blockchain holds the same root for block {block.height}, then no entry of this block can have been added, removed or
          changed since it was sealed.
        </p>
      </TrustNote>
    </>
  );
}
