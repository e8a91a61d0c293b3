import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSearchQuery } from "../../lib/portal/search";

describe("the search box", () => {
  it("reads heights in the ways people type them", () => {
    for (const text of ["42", " #42 ", "block 42", "Block42"]) assert.deepEqual(parseSearchQuery(text), { kind: "height", height: 42 });
  });
  it("reads 32-byte hashes with or without 0x, in either case", () => {
    assert.deepEqual(parseSearchQuery(`0x${"AB".repeat(32)}`), { kind: "hash", hash: `0x${"ab".repeat(32)}` });
    assert.deepEqual(parseSearchQuery("cd".repeat(32)), { kind: "hash", hash: `0x${"cd".repeat(32)}` });
  });
  it("explains anything else", () => {
    for (const text of ["", "0", "0x1234", "hello"]) assert.equal(parseSearchQuery(text).kind, "invalid");
  });
});
