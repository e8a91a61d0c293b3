import { buildAtomFeed } from "@/lib/portal/atom-feed";
import { readFeedBlocks } from "@/lib/portal/page-reads";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

const FEED_SIZE = 50;

/** The Atom feed of the latest sealed blocks, each updated when anchored. */
export async function GET(request: Request): Promise<Response> {
  const runtime = await getRuntime();
  const { blocks, activity } = await readFeedBlocks(runtime, FEED_SIZE);
  const anchoredAt = new Map(activity.map((a) => [a.height, a.anchoredAt]));
  const body = buildAtomFeed({
    ledgerId: runtime.ledger.ledgerId,
    origin: new URL(request.url).origin,
    blocks: blocks.map((b) => ({ ...b, anchoredAt: anchoredAt.get(b.height) ?? null })),
    now: new Date(),
  });
  return new Response(body, { headers: { "content-type": "application/atom+xml; charset=utf-8", "cache-control": "public, max-age=30" } });
}
