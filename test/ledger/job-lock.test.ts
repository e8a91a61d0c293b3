import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { openLedger } from "../../lib/ledger/context";
import { tryJobLock } from "../../db/job-lock";
import { freshDatabase, skipReason } from "../support/db";

/** A child process that competes for the seal lock; resolves `said(line)` when it prints that line. */
function competitor(url: string) {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "..", "support", "lock-child.ts"), url], { stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  child.stdout!.on("data", (d: Buffer) => lines.push(...d.toString().trim().split("\n")));
  const said = async (line: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!lines.includes(line)) {
      if (Date.now() > deadline) throw new Error(`the competitor did not say "${line}" (said ${JSON.stringify(lines)})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, lines, said };
}

const skip = await skipReason("postgres");
describe("exactly one sealer at a time, through a PostgreSQL advisory lock", { skip: skip ?? false }, () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  const children: ChildProcess[] = [];
  before(async () => {
    db = await freshDatabase("postgres");
    await openLedger(db, "test");
  });
  after(async () => {
    for (const c of children) c.kill("SIGKILL");
    await db?.dispose();
  });

  it("lets one of two processes hold the seal lock, and hands it over when the holder dies", async () => {
    const first = competitor(db.url!);
    children.push(first.child);
    await first.said("held");
    const second = competitor(db.url!);
    children.push(second.child);
    await second.said("standby");
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!second.lines.includes("held"), "the second process must not hold the lock while the first does");
    first.child.kill("SIGKILL");
    await second.said("held");
  });

  it("excludes a second loop in the same process, and frees the lock on release", async () => {
    const ledger = await openLedger(db, "test");
    for (const c of children) c.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    const lock = await tryJobLock(ledger, "seal");
    assert.ok(lock, "the lock is free once the processes are gone");
    assert.equal(await tryJobLock(ledger, "seal"), null);
    assert.ok(await tryJobLock(ledger, "anchor").then(async (l) => (await l?.release(), l !== null)), "another job's lock is independent");
    await lock.release();
    const again = await tryJobLock(ledger, "seal");
    assert.ok(again);
    await again.release();
  });
});
