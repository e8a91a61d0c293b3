import type { BlockSummary } from "../ledger/reads";
import type { Locale } from "./i18n/routing";
import type { Translate } from "./i18n/translator";

/** A block as the feed shows it: its header, its anchor and when the anchor was confirmed. */
export type FeedBlock = BlockSummary & { anchoredAt: Date | null };

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/**
 * An Atom 1.0 feed (RFC 4287) of sealed blocks, newest first. An entry is updated when its block
 * is anchored, so feed readers see both events. `origin` makes the links absolute; `t` (the
 * "feed" messages of `locale`) writes the titles and summaries in the feed's language.
 */
export function buildAtomFeed(input: { ledgerId: string; origin: string; blocks: FeedBlock[]; now: Date; locale: Locale; t: Translate }): string {
  const { ledgerId, origin, blocks, locale, t } = input;
  const updated = blocks.reduce((latest, b) => Math.max(latest, (b.anchoredAt ?? b.sealedAt).getTime()), 0);
  const feedId = `${origin}/${locale}/feed.xml`;
  const entries = blocks.map((block) => {
    const link = `${origin}/${locale}/blocks/${block.height}`;
    const height = String(block.height);
    const anchored = block.anchor
      ? t("anchored", { chain: String(block.anchor.chainId), registry: block.anchor.registry, tx: block.anchor.txHash, chainBlock: String(block.anchor.blockNumber) })
      : t("notAnchored");
    const summary = `${t("summary", { height, count: block.entryCount, root: block.root, prevRoot: block.prevRoot })} ${anchored}`;
    return [
      "  <entry>",
      `    <id>${escapeXml(link)}</id>`,
      `    <title>${escapeXml(t(block.anchor ? "entryTitleAnchored" : "entryTitleSealed", { height, count: block.entryCount }))}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(link)}"/>`,
      `    <published>${block.sealedAt.toISOString()}</published>`,
      `    <updated>${(block.anchoredAt ?? block.sealedAt).toISOString()}</updated>`,
      `    <summary>${escapeXml(summary)}</summary>`,
      "  </entry>",
    ].join("\n");
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">`,
    `  <id>${escapeXml(feedId)}</id>`,
    `  <title>${escapeXml(t("title", { ledgerId }))}</title>`,
    `  <subtitle>${escapeXml(t("subtitle"))}</subtitle>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(feedId)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(`${origin}/${locale}/blocks`)}"/>`,
    `  <updated>${new Date(updated || input.now.getTime()).toISOString()}</updated>`,
    "  <author><name>Sealbook</name></author>",
    ...entries,
    "</feed>",
    "",
  ].join("\n");
}
