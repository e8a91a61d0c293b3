import { listBlocks } from "@/lib/ledger/reads";
import { listBlockActivity } from "@/lib/ledger/activity";
import { buildAtomFeed } from "@/lib/portal/atom-feed";
import { isLocale } from "@/lib/portal/i18n/routing";
import { translator } from "@/lib/portal/i18n/translator";
import { getLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

const FEED_SIZE = 50;

/** The Atom feed of the latest sealed blocks, each updated when anchored, in the language of its URL. */
export async function GET(request: Request, { params }: { params: Promise<{ locale: string }> }): Promise<Response> {
  const { locale } = await params;
  if (!isLocale(locale)) return new Response("Not found: the feed exists in /uk/feed.xml and /en/feed.xml.\n", { status: 404, headers: { "content-type": "text/plain" } });
  const t = await translator(locale, "feed");
  const ledger = await getLedger();
  const [{ blocks }, activity] = await Promise.all([listBlocks(ledger, { limit: FEED_SIZE }), listBlockActivity(ledger, FEED_SIZE)]);
  const anchoredAt = new Map(activity.map((a) => [a.height, a.anchoredAt]));
  const body = buildAtomFeed({
    ledgerId: ledger.ledgerId,
    origin: new URL(request.url).origin,
    blocks: blocks.map((b) => ({ ...b, anchoredAt: anchoredAt.get(b.height) ?? null })),
    now: new Date(),
    locale,
    t,
  });
  return new Response(body, { headers: { "content-type": "application/atom+xml; charset=utf-8", "cache-control": "public, max-age=30" } });
}
