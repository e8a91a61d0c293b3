import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const root = path.resolve(import.meta.dirname, "../..");

/** The folder beside our own checkouts that people who clone the project do not have. Built, so this file does not name it. */
const OUTSIDE_FOLDER = ["..", "shared"].join("/");

function trackedFiles(): string[] {
  return execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
}

describe("the repository stands on its own", () => {
  it("has no tracked file that reads, imports or links the folder beside the checkout", () => {
    const offenders: string[] = [];
    for (const file of trackedFiles()) {
      let text: string;
      try {
        text = readFileSync(path.join(root, file), "utf8");
      } catch {
        continue; // deleted in the work tree but still tracked: nothing to read
      }
      text.split("\n").forEach((line, i) => {
        if (line.includes(OUTSIDE_FOLDER)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(offenders, [], `these lines name ${OUTSIDE_FOLDER}, which a clone does not have`);
  });

  it("keeps the protocol and its known-answer vectors in the repository", () => {
    const files = trackedFiles();
    assert.ok(files.includes("docs/PROTOCOL.md"), "docs/PROTOCOL.md is tracked");
    assert.ok(files.includes("test/vectors/protocol-v1.json"), "test/vectors/protocol-v1.json is tracked");
    const protocol = readFileSync(path.join(root, "docs/PROTOCOL.md"), "utf8");
    assert.match(protocol, /version 1\.1/i, "docs/PROTOCOL.md states the protocol version it follows");
  });

  it("links only to files inside the repository from the README and docs", () => {
    const broken: string[] = [];
    const files = trackedFiles();
    for (const file of files.filter((f) => f.endsWith(".md"))) {
      const text = readFileSync(path.join(root, file), "utf8");
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1].split("#")[0];
        if (target === "" || /^[a-z]+:/i.test(target)) continue; // an anchor or an absolute URL
        const resolved = path.resolve(path.dirname(path.join(root, file)), target);
        if (!resolved.startsWith(root + path.sep)) broken.push(`${file}: ${match[1]} leaves the repository`);
        else {
          try {
            readFileSync(resolved);
          } catch {
            if (!files.some((f) => path.join(root, f).startsWith(resolved))) broken.push(`${file}: ${match[1]} does not exist`);
          }
        }
      }
    }
    assert.deepEqual(broken, []);
  });
});
