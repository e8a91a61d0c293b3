import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";

describe("npm start with a bad configuration", () => {
  for (const format of ["pretty", "json"]) {
    it(`refuses to start, naming each variable and its fix, without a stack trace (${format})`, () => {
      const result = spawnSync(process.execPath, ["--import", "tsx", path.join(process.cwd(), "scripts", "start.ts")], {
        env: { ...process.env, LOG_FORMAT: format, PORT: "not-a-port", SEAL_INTERVAL_SECONDS: "-5", RECEIPT_PRIVATE_KEY: "0xnot-a-key" },
        encoding: "utf8",
        timeout: 60_000,
      });
      const output = result.stdout + result.stderr;
      assert.equal(result.status, 1, output);
      // In JSON the message is one string field of one line; in the human format, the lines themselves.
      const message = format === "json" ? result.stdout.trimEnd().split("\n").map((line) => (JSON.parse(line) as { message: string }).message).join("\n") : output;
      assert.match(message, /Sealbook cannot start: 3 settings are not valid/);
      for (const name of ["PORT", "SEAL_INTERVAL_SECONDS", "RECEIPT_PRIVATE_KEY"]) assert.match(message, new RegExp(`${name}: [^\\n]*\\n +fix: `));
      assert.ok(!/\n\s+at .+:\d+:\d+\)?\n/.test(message), `no stack trace:\n${output}`);
      assert.ok(!output.includes("0xnot-a-key"), "the key's value is not printed");
    });
  }
});
