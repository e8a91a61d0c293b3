import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_ACCOUNTS } from "../../lib/chain/dev-accounts";
import { publishBlocks, type PublishTarget } from "../../lib/ledger/publish";
import { listBlockEntries } from "../../lib/ledger/reads";
import { runVerification, type VerificationServices } from "../../lib/protocol/verification";
import { CLI_POLICY } from "../../lib/watchdog/verify";
import type { Hash } from "../../lib/protocol/hex";
import { entriesPath, headerPath, httpMirrorReader, MirrorError, proofBundleFromMirror, readCheckpoint, treePath, verifyMirrorBlock, type MirrorReader } from "../../lib/protocol/mirror";
import { fetchProofFromMirror } from "../../lib/portal/mirror-lookup";
import { verifyEntry } from "../../lib/portal/verify-flow";
import { drivers, skipReason } from "../support/db";
import { addSealedBlock, ledgerWithSigner } from "../support/ledger";
import { serveDirectory } from "../support/static-server";

const account = privateKeyToAccount(DEV_ACCOUNTS.receiptSigner);
/** The procedure with no chain: only the offline steps run. */
const OFFLINE: VerificationServices = { chain: { skip: "This is an offline check" } };

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`mirror files published from a ${driver} ledger`, { skip: skip ?? false }, () => {
    let dir: string;
    let served: Awaited<ReturnType<typeof serveDirectory>>;
    let read: MirrorReader;
    const entries: Hash[][] = [];

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "sealbook-mirror-"));
      const { db, ledger, privateJwk } = await ledgerWithSigner(driver, "mirror-test");
      const target: PublishTarget = {
        dir,
        signer: { address: account.address, signMessage: (message) => account.signMessage({ message }) },
        chain: async () => ({ chainId: 31337, registry: "0x5fbdb2315678afecb367f032d93f642f64180aa3" }),
      };
      for (const count of [1, 7, 300]) {
        await addSealedBlock(ledger, privateJwk, count);
        const result = await publishBlocks(ledger, target);
        assert.deepEqual(result.published, [entries.length + 1]);
        entries.push((await listBlockEntries(ledger, entries.length + 1, { limit: 1000 })).entries.map((e) => e.entryHash));
      }
      // The database goes away: what follows reads the files alone, through a plain static server.
      await db.dispose();
      served = await serveDirectory(dir);
      read = httpMirrorReader(served.url);
    });

    after(async () => {
      await served?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it("serves a signed checkpoint of the head that names its signer", async () => {
      const checkpoint = await readCheckpoint(read);
      assert.equal(checkpoint.height, 3);
      assert.equal(checkpoint.ledgerId, "mirror-test");
      assert.equal(checkpoint.signer, account.address);
      assert.equal(checkpoint.registry, "0x5fbdb2315678afecb367f032d93f642f64180aa3");
    });

    it("verifies every whole block, and each block's prevRoot is the root before it", async () => {
      let prevRoot: Hash | null = null;
      for (const height of [1, 2, 3]) {
        const header = await verifyMirrorBlock(read, height);
        if (prevRoot) assert.equal(header.prevRoot, prevRoot);
        prevRoot = header.root;
      }
      assert.equal(prevRoot, (await readCheckpoint(read)).root);
    });

    it("builds a proof of an entry from the files that verifies against its block's root", async () => {
      for (const [i, entryHash] of [entries[0][0], entries[1][3], entries[2][299]].entries()) {
        const bundle = await proofBundleFromMirror(read, entryHash, { headHeight: 3 });
        assert.ok(bundle);
        assert.equal(bundle.block.height, i + 1);
        const steps = await runVerification({ bundle }, OFFLINE, CLI_POLICY);
        assert.equal(steps.find((s) => s.step === "merkle_proof")?.status, "pass");
      }
      assert.equal(await proofBundleFromMirror(read, `0x${"ab".repeat(32)}`, { headHeight: 3 }), null);
    });

    it("lets the portal's verifier take the proof from the mirror instead of the portal", async () => {
      const services = { fetchProof: fetchProofFromMirror(served.url), fetchSigners: async () => [], registryReader: async () => null };
      const outcome = await verifyEntry({ kind: "entry_hash", entryHash: entries[1][2] }, services);
      assert.equal(outcome.kind, "checked");
      assert.equal(outcome.kind === "checked" && outcome.steps.find((s) => s.step === "merkle_proof")?.status, "pass");
      const unknown = await verifyEntry({ kind: "entry_hash", entryHash: `0x${"cd".repeat(32)}` }, services);
      assert.equal(unknown.kind, "unknown");
    });

    it("catches an entry list, a tree file, a header or a checkpoint changed on the mirror", async () => {
      const tamper = async (relative: string, change: (bytes: Buffer) => Buffer, check: () => Promise<unknown>) => {
        const file = path.join(dir, ...relative.split("/"));
        const original = await readFile(file);
        await writeFile(file, change(Buffer.from(original)));
        try {
          await assert.rejects(check, MirrorError);
        } finally {
          await writeFile(file, original);
        }
      };
      const flip = (at: number) => (bytes: Buffer) => {
        bytes[at] ^= 1;
        return bytes;
      };
      await tamper(entriesPath(3), flip(5 * 32), () => verifyMirrorBlock(read, 3));
      await tamper(treePath(3), flip(40), () => verifyMirrorBlock(read, 3));
      await tamper(headerPath(2), (b) => Buffer.from(b.toString().replace(/"entryCount": 7/, '"entryCount": 8')), () => verifyMirrorBlock(read, 2));
      await tamper("ledger.json", (b) => Buffer.from(b.toString().replace(/"height": 3/, '"height": 2')), () => readCheckpoint(read));
      // A changed tree node on the path of a proof makes the proof fail.
      const entryHash = entries[2][10];
      const good = await proofBundleFromMirror(read, entryHash, { height: 3, headHeight: 3 });
      const file = path.join(dir, ...treePath(3).split("/"));
      const original = await readFile(file);
      try {
        const changed = Buffer.from(original);
        for (let i = 0; i < changed.length; i += 32) changed[i] ^= 1;
        await writeFile(file, changed);
        const bad = await proofBundleFromMirror(read, entryHash, { height: 3, headHeight: 3 });
        assert.notDeepEqual(bad?.proof, good?.proof);
        const steps = await runVerification({ bundle: bad! }, OFFLINE, CLI_POLICY);
        assert.equal(steps.find((s) => s.step === "merkle_proof")?.status, "fail");
      } finally {
        await writeFile(file, original);
      }
    });
  });
}
