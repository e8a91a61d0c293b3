import { listBlocks } from "@/lib/ledger/reads";
import { listBlockActivity } from "@/lib/ledger/activity";
import { buildAtomFeed } from "@/lib/portal/atom-feed";
import { getLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

const FEED_SIZE = 50;

/** The Atom feed of the latest sealed blocks, each updated when anchored. */
export async function GET(request: Request): Promise<Response> {
  const ledger = await getLedger();
  const [{ blocks }, activity] = await Promise.all([listBlocks(ledger, { limit: FEED_SIZE }), listBlockActivity(ledger, FEED_SIZE)]);
  const anchoredAt = new Map(activity.map((a) => [a.height, a.anchoredAt]));
  const body = buildAtomFeed({
    ledgerId: ledger.ledgerId,
    origin: new URL(request.url).origin,
    blocks: blocks.map((b) => ({ ...b, anchoredAt: anchoredAt.get(b.height) ?? null })),
    now: new Date(),
  });
  return new Response(body, { headers: { "content-type": "application/atom+xml; charset=utf-8", "cache-control": "public, max-age=30" } });
}
