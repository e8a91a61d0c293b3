import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ERROR_CODES } from "../../lib/protocol/errors";

describe("the protocol's error codes", () => {
  it("lists each code once, so that no reader has to remove duplicates", () => {
    const repeated = ERROR_CODES.filter((code, index) => ERROR_CODES.indexOf(code) !== index);
    assert.deepEqual(repeated, [], `ERROR_CODES (lib/protocol/errors.ts) lists these codes more than once: ${repeated.join(", ")}`);
  });

  it("writes every code in snake_case, as PROTOCOL §7 does", () => {
    for (const code of ERROR_CODES) assert.match(code, /^[a-z]+(?:_[a-z]+)*$/, `error code ${JSON.stringify(code)}`);
  });
});
