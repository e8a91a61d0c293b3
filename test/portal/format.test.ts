import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDuration } from "../../lib/portal/format";

describe("durations in words", () => {
  it("picks a unit a reader can picture", () => {
    assert.equal(formatDuration(45_000), "45 seconds");
    assert.equal(formatDuration(60_000), "1 minute");
    assert.equal(formatDuration(125 * 60_000), "2 hours 5 minutes");
    assert.equal(formatDuration(5 * 86_400_000), "5 days");
  });
});
