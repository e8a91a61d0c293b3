import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildAtomFeed } from "../../lib/portal/atom-feed";
import { translator } from "../../lib/portal/i18n/translator";
import type { Hash } from "../../lib/protocol/hex";

const hash = (c: string) => `0x${c.repeat(64)}` as Hash;

describe("the Atom feed", () => {
  it("lists blocks with their roots and escapes what it prints", async () => {
    const feed = buildAtomFeed({
      locale: "en",
      t: await translator("en", "feed"),
      ledgerId: "a<b&c",
      origin: "https://portal.example",
      now: new Date("2026-11-22T10:00:00Z"),
      blocks: [
        { height: 2, root: hash("2"), prevRoot: hash("1"), entryCount: 3, sealedAt: new Date("2026-11-22T09:00:00Z"), anchor: null, anchoredAt: null },
        {
          height: 1,
          root: hash("1"),
          prevRoot: hash("0"),
          entryCount: 1,
          sealedAt: new Date("2026-11-22T08:00:00Z"),
          anchor: { chainId: 1, registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3", txHash: hash("9"), blockNumber: 5 },
          anchoredAt: new Date("2026-11-22T08:05:00Z"),
        },
      ],
    });
    assert.ok(feed.includes("a&lt;b&amp;c"));
    assert.ok(feed.includes(hash("2")) && feed.includes(hash("1")));
    assert.ok(feed.includes("<updated>2026-11-22T09:00:00.000Z</updated>"));
    assert.ok(feed.includes("Block 1 sealed and anchored (1 entry)"));
    assert.ok(feed.includes("https://portal.example/en/blocks/2"), "links keep the feed's language");
  });

  it("writes its titles in Ukrainian in the Ukrainian feed", async () => {
    const feed = buildAtomFeed({
      locale: "uk",
      t: await translator("uk", "feed"),
      ledgerId: "demo",
      origin: "https://portal.example",
      now: new Date("2026-11-22T10:00:00Z"),
      blocks: [{ height: 7, root: hash("7"), prevRoot: hash("6"), entryCount: 3, sealedAt: new Date("2026-11-22T09:00:00Z"), anchor: null, anchoredAt: null }],
    });
    assert.ok(feed.includes('xml:lang="uk"'));
    assert.ok(feed.includes("Блок 7 запечатано (3 записи)"), feed);
    assert.ok(feed.includes("https://portal.example/uk/blocks/7"));
  });
});
