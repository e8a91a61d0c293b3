/**
 * A path segment with a malformed percent-escape (`%E0%A4%A`) is the client's mistake: it is
 * answered 400 (issue 12, item 15), never a 500 with a stack trace in the log.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEntryHash } from "../../lib/http/params";
import { proofResponse } from "../../lib/http/proof-response";
import { entryHashFromSegment } from "../../lib/portal/params";

describe("malformed percent-escapes in a path", () => {
  it("make an entry hash invalid_request, not a URIError", () => {
    assert.throws(() => parseEntryHash("%E0%A4%A"), { code: "invalid_request" });
  });
  it("answer the proofs endpoint 400 problem+json", async () => {
    const response = await proofResponse(() => Promise.reject(new Error("the runtime is not needed for a malformed hash")), "%E0%A4%A");
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("content-type"), "application/problem+json");
    assert.equal(((await response.json()) as { code: string }).code, "invalid_request");
  });
  it("make an entry page's hash unreadable rather than throwing", () => {
    assert.equal(entryHashFromSegment("%E0%A4%A"), null);
  });
});
