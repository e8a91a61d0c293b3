/**
 * Anchored answers are cached `immutable` only once the anchor is final (issue 12, item 16): with
 * CONFIRMATIONS below FINALITY_DEPTH a reorg can still drop an anchor, so a block or proof that
 * carries one is cached a minute until the chain head this process saw is FINALITY_DEPTH past it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { noteChainHead } from "../../lib/chain/anchoring/finality";
import { readConfig } from "../../lib/config";
import { anchoredCacheControl } from "../../lib/http/anchored-cache";
import { IMMUTABLE } from "../../lib/http/request";

describe("how long an anchored answer may be cached", () => {
  it("is ten seconds before the anchor exists", () => {
    assert.equal(anchoredCacheControl(null, readConfig({})), "public, max-age=10");
  });

  it("is not immutable with the default CONFIRMATIONS=1 until the anchor is FINALITY_DEPTH (64) blocks deep", () => {
    const config = readConfig({});
    assert.equal(config.FINALITY_DEPTH, 64);
    const anchor = { chainId: 7001, blockNumber: 1000 };
    assert.notEqual(anchoredCacheControl(anchor, config), IMMUTABLE, "no chain head seen: a reorg may still drop it");
    noteChainHead(7001, 1062);
    assert.notEqual(anchoredCacheControl(anchor, config), IMMUTABLE, "63 blocks deep");
    noteChainHead(7001, 1063);
    assert.equal(anchoredCacheControl(anchor, config), IMMUTABLE, "64 blocks deep, its own included");
    noteChainHead(7001, 900);
    assert.equal(anchoredCacheControl(anchor, config), IMMUTABLE, "an older head seen later does not undo it");
  });

  it("is immutable at once when CONFIRMATIONS already reaches FINALITY_DEPTH", () => {
    const anchor = { chainId: 7002, blockNumber: 5 };
    assert.equal(anchoredCacheControl(anchor, readConfig({ CONFIRMATIONS: "12", FINALITY_DEPTH: "12" })), IMMUTABLE);
    assert.notEqual(anchoredCacheControl(anchor, readConfig({ CONFIRMATIONS: "11", FINALITY_DEPTH: "12" })), IMMUTABLE);
  });
});
