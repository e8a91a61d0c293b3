import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { repeatedMemberName } from "../../lib/protocol/json-members";

describe("repeated JSON member names (I-JSON)", () => {
  const cases: Array<[string, string | null]> = [
    ['{"a":1,"b":2}', null],
    ['{"a":1,"a":2}', "a"],
    ['{ "kind" : "x" , "body" : { "kind" : "y" } }', null],
    ['{"body":{"x":1,"y":{"x":2},"x":3}}', "x"],
    ['{"k\\u0069nd":1,"kind":2}', "kind"],
    ['{"a":"a:","b":"\\"a\\":"}', null],
    ['[{"a":1},{"a":1}]', null],
    ['{"a":[{"a":1}],"b":[1,"a",{"b":2}]}', null],
    ['{"":1,"":2}', ""],
    ['{"a\\\\":1,"a\\\\":2}', "a\\"],
    ['"just a string"', null],
    ["[1,2,3]", null],
  ];
  for (const [text, expected] of cases) {
    it(`${text} → ${expected === null ? "none" : JSON.stringify(expected)}`, () => {
      JSON.parse(text); // every case is valid JSON
      assert.equal(repeatedMemberName(text), expected);
    });
  }
});
