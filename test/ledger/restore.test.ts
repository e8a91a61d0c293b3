/**
 * Backup and restore against a real local chain, on PGlite and PostgreSQL: a restored ledger is the
 * same ledger, and a backup the chain does not vouch for is refused with nothing written.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { openLedger } from "../../lib/ledger/context";
import { BackupRefusedError } from "../../lib/ledger/backup-check";
import { readBackupFile } from "../../lib/ledger/backup-file";
import { BackupFormatError, type BackupLine } from "../../lib/ledger/backup-format";
import { restoreLedger } from "../../lib/ledger/restore";
import { buildTreeFromPacked } from "../../lib/ledger/tree";
import { submitRecords } from "../../lib/ledger/ingest";
import { readHead } from "../../lib/ledger/head";
import { hashToBytes, type Hash } from "../../lib/protocol/hex";
import { anchoringEnv, type AnchoringEnv } from "../support/anchoring";
import { allProofBundles, anchorAll, backupFolder, backupTo, chainAudit, ledgerDigest, registryRoots, useTestChain } from "../support/backup";
import { drivers, freshDatabase, skipReason } from "../support/db";
import { signedRecord } from "../support/records";

/** Rewrites a backup file line by line; `edit` returns the lines to write in place of one. */
function rewriteBackup(from: string, to: string, edit: (line: BackupLine, all: BackupLine[]) => BackupLine[]): void {
  const lines = gunzipSync(readFileSync(from)).toString("utf8").trim().split("\n").map((l) => JSON.parse(l) as BackupLine);
  const out = lines.flatMap((l) => edit(l, lines));
  writeFileSync(to, gzipSync(out.map((l) => JSON.stringify(l)).join("\n") + "\n"));
}

const testChain = useTestChain();

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`backup and restore on ${driver}`, { skip: skip ?? false }, () => {
    let env: AnchoringEnv;
    const folder = backupFolder();
    const file = path.join(folder, "ledger.sealbook.gz");

    before(async () => {
      env = await anchoringEnv(driver, testChain());
      await env.seal(1, 4);
      await env.seal(1, 5);
      await env.seal(1, 40);
      await anchorAll(env);
      const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
      await submitRecords(env.ledger, [await signedRecord(env.privateJwk, head.root)]);
      await backupTo(env.ledger, file);
    });
    after(async () => env?.db.dispose());

    /** Restores `backupFile` into a fresh database; returns the outcome and the database's digest afterwards. */
    async function restoreInto(backupFile: string, options: { acceptUnanchored?: boolean } = {}) {
      const db = await freshDatabase(driver);
      const ledger = await openLedger(db, env.ledger.ledgerId);
      try {
        const report = await restoreLedger(ledger, readBackupFile(backupFile), await registryRoots(testChain(), env.registry), options).then(
          (r) => ({ ok: true as const, report: r }),
          (error: unknown) => ({ ok: false as const, error: error as Error }),
        );
        return { report, ledger, db, digest: await ledgerDigest(ledger) };
      } catch (error) {
        await db.dispose();
        throw error;
      }
    }
    const emptyDigest = async () => {
      const db = await freshDatabase(driver);
      try {
        return await ledgerDigest(await openLedger(db, env.ledger.ledgerId));
      } finally {
        await db.dispose();
      }
    };

    it("restores a backup into an empty database as the same ledger: rows, proofs, and audit --chain passes", async () => {
      const restored = await restoreInto(file);
      try {
        assert.ok(restored.report.ok, restored.report.ok ? "" : restored.report.error.message);
        assert.deepEqual(restored.report.report.counts, { trustedCas: 0, signers: 1, signerCertificates: 0, blocks: 3, entries: 50, pending: 1, anchors: 3 });
        assert.deepEqual(restored.report.report.vouched, { from: 1, to: 3 });
        assert.deepEqual(restored.report.report.unvouched, []);
        assert.deepEqual(restored.digest, await ledgerDigest(env.ledger), "every row is the same");
        assert.deepEqual(await allProofBundles(restored.ledger), await allProofBundles(env.ledger), "every proof bundle is the same");
        const audit = await chainAudit(testChain(), env.registry, restored.ledger);
        assert.deepEqual(audit.findings, []);
        assert.deepEqual(audit.checked, { blocks: 3, entries: 50, pending: 1 });
      } finally {
        await restored.db.dispose();
      }
    });

    it("refuses to restore into a database that is not empty", async () => {
      await assert.rejects(restoreLedger(env.ledger, readBackupFile(file), await registryRoots(testChain(), env.registry)), (error: Error) => error instanceof BackupRefusedError && /not empty/.test(error.message));
    });

    /** Asserts that restoring `tampered` is refused, naming `height` when given, and writes nothing. */
    async function assertRefused(tampered: string, expected: { height?: number; message: RegExp; format?: boolean }) {
      const restored = await restoreInto(tampered);
      try {
        assert.equal(restored.report.ok, false, "the tampered backup was restored");
        if (restored.report.ok) return;
        const { error } = restored.report;
        assert.ok(expected.format ? error instanceof BackupFormatError : error instanceof BackupRefusedError, `${error.name}: ${error.message}`);
        assert.match(error.message, expected.message);
        if (expected.height !== undefined) assert.equal((error as BackupRefusedError).height, expected.height, error.message);
        assert.deepEqual(restored.digest, await emptyDigest(), "nothing was written");
      } finally {
        await restored.db.dispose();
      }
    }

    it("refuses a backup with one changed byte in an entry's JWS, naming its block, and writes nothing", async () => {
      const tampered = path.join(folder, "jws.sealbook.gz");
      let done = false;
      rewriteBackup(file, tampered, (line, all) => {
        const block2 = all.findIndex((l) => l.type === "block" && l.height === 2);
        if (line.type === "entry" && !done && all.indexOf(line) > block2 && block2 >= 0) {
          done = true;
          const [h, p, s] = line.jws.split(".");
          const flipped = p.slice(0, 20) + (p[20] === "A" ? "B" : "A") + p.slice(21);
          return [{ ...line, jws: [h, flipped, s].join(".") }];
        }
        return [line];
      });
      await assertRefused(tampered, { height: 2, message: /entry 0x[0-9a-f]{64}/ });
    });

    it("refuses a backup rewritten consistently (an entry dropped, the root recomputed) because the chain holds another root, naming the first height that differs", async () => {
      const tampered = path.join(folder, "rewritten.sealbook.gz");
      const lines = gunzipSync(readFileSync(file)).toString("utf8").trim().split("\n").map((l) => JSON.parse(l) as BackupLine);
      const entriesOf2: Hash[] = [];
      let inBlock = 0;
      for (const l of lines) {
        if (l.type === "block") inBlock = l.height;
        else if (l.type !== "entry") inBlock = 0;
        if (l.type === "entry" && inBlock === 2) entriesOf2.push(l.entryHash);
      }
      const dropped = entriesOf2[0];
      const kept = entriesOf2.slice(1);
      const packed = new Uint8Array(kept.length * 32);
      kept.forEach((h, i) => packed.set(hashToBytes(h), i * 32));
      const newRoot = buildTreeFromPacked(packed).root;
      rewriteBackup(file, tampered, (line) => {
        if (line.type === "entry" && line.entryHash === dropped) return [];
        if (line.type === "block" && line.height === 2) return [{ ...line, root: newRoot, entryCount: kept.length }];
        if (line.type === "manifest") return [{ ...line, roots: line.roots.map((r, i) => (i === 1 ? newRoot : r)), counts: { ...line.counts, entries: line.counts.entries - 1 } }];
        return [line];
      });
      await assertRefused(tampered, { height: 2, message: /does not match the chain from block 2/ });
    });

    it("refuses a backup cut short (no manifest at its end), and writes nothing", async () => {
      const tampered = path.join(folder, "cut.sealbook.gz");
      rewriteBackup(file, tampered, (line) => (line.type === "manifest" || line.type === "anchor" ? [] : [line]));
      await assertRefused(tampered, { message: /cut short/, format: true });
    });

    it("refuses blocks the chain cannot vouch for unless told to accept them, and then says they are not vouched", async () => {
      await env.seal(1, 3); // block 4: sealed, never anchored
      const withUnanchored = path.join(folder, "unanchored.sealbook.gz");
      await backupTo(env.ledger, withUnanchored);
      await assertRefused(withUnanchored, { height: 4, message: /above the registry's latest height 3.*--accept-unanchored/s });
      const restored = await restoreInto(withUnanchored, { acceptUnanchored: true });
      try {
        assert.ok(restored.report.ok, restored.report.ok ? "" : restored.report.error.message);
        assert.deepEqual(restored.report.report.unvouched, [4]);
        assert.deepEqual(restored.report.report.vouched, { from: 1, to: 3 });
        assert.deepEqual(restored.digest, await ledgerDigest(env.ledger));
        assert.deepEqual((await chainAudit(testChain(), env.registry, restored.ledger)).findings, []);
      } finally {
        await restored.db.dispose();
      }
    });

    it("refuses a backup older than the chain: the registry holds blocks it lacks", async () => {
      await anchorAll(env); // the chain now holds block 4; the first backup ends at 3
      await assertRefused(file, { height: 4, message: /older than the chain/ });
    });
  });
}
