import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_SEARCH_LENGTH, parseSearchQuery } from "../../lib/portal/search";

describe("the search box", () => {
  it("reads heights in the ways people type them", () => {
    for (const text of ["42", " #42 ", "block 42", "Block42"]) assert.deepEqual(parseSearchQuery(text), { kind: "height", height: 42 });
  });
  it("reads 32-byte hashes with or without 0x, in either case", () => {
    assert.deepEqual(parseSearchQuery(`0x${"AB".repeat(32)}`), { kind: "hash", hash: `0x${"ab".repeat(32)}` });
    assert.deepEqual(parseSearchQuery("cd".repeat(32)), { kind: "hash", hash: `0x${"cd".repeat(32)}` });
  });
  it("reads a height with white space around the number sign", () => {
    for (const text of ["block # 42", "block  #42", "#  42"]) assert.deepEqual(parseSearchQuery(text), { kind: "height", height: 42 });
  });
  it("refuses text longer than 200 characters unread, saying so", () => {
    const result = parseSearchQuery(`block${" ".repeat(15_500)}x`);
    assert.equal(result.kind, "invalid");
    assert.match(result.kind === "invalid" ? result.reason : "", /at most 200/);
    assert.equal(MAX_SEARCH_LENGTH, 200);
  });
  it("explains anything else", () => {
    for (const text of ["", "0", "0x1234", "hello"]) assert.equal(parseSearchQuery(text).kind, "invalid");
  });
});
