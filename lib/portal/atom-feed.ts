import type { BlockSummary } from "../ledger/reads";

/** A block as the feed shows it: its header, its anchor and when the anchor was confirmed. */
export type FeedBlock = BlockSummary & { anchoredAt: Date | null };

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/**
 * An Atom 1.0 feed (RFC 4287) of sealed blocks, newest first. An entry is updated when its block
 * is anchored, so feed readers see both events. `origin` makes the links absolute.
 */
export function buildAtomFeed(input: { ledgerId: string; origin: string; blocks: FeedBlock[]; now: Date }): string {
  const { ledgerId, origin, blocks } = input;
  const updated = blocks.reduce((latest, b) => Math.max(latest, (b.anchoredAt ?? b.sealedAt).getTime()), 0);
  const feedId = `${origin}/feed.xml`;
  const entries = blocks.map((block) => {
    const link = `${origin}/blocks/${block.height}`;
    const anchored = block.anchor
      ? `Anchored on chain ${block.anchor.chainId} in registry ${block.anchor.registry}, transaction ${block.anchor.txHash} (chain block ${block.anchor.blockNumber}).`
      : "Not anchored on the blockchain yet.";
    const summary = `Block ${block.height} seals ${block.entryCount} ${block.entryCount === 1 ? "entry" : "entries"}. Root ${block.root}, previous root ${block.prevRoot}. ${anchored}`;
    return [
      "  <entry>",
      `    <id>${escapeXml(link)}</id>`,
      `    <title>${escapeXml(`Block ${block.height} ${block.anchor ? "sealed and anchored" : "sealed"} (${block.entryCount} ${block.entryCount === 1 ? "entry" : "entries"})`)}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(link)}"/>`,
      `    <published>${block.sealedAt.toISOString()}</published>`,
      `    <updated>${(block.anchoredAt ?? block.sealedAt).toISOString()}</updated>`,
      `    <summary>${escapeXml(summary)}</summary>`,
      "  </entry>",
    ].join("\n");
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(feedId)}</id>`,
    `  <title>${escapeXml(`Sealbook ledger “${ledgerId}”: sealed and anchored blocks`)}</title>`,
    `  <subtitle>Every block sealed by the ledger, updated when its root is anchored on the blockchain.</subtitle>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(feedId)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(`${origin}/blocks`)}"/>`,
    `  <updated>${new Date(updated || input.now.getTime()).toISOString()}</updated>`,
    "  <author><name>Sealbook</name></author>",
    ...entries,
    "</feed>",
    "",
  ].join("\n");
}
