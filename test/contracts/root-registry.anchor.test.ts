import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { parseEventLogs, type Hash } from "viem";
import { deployRegistry } from "./fixture";
import { deterministicHashes, vectors } from "./vectors";

const { viem, networkHelpers } = await network.create();
const { genesisRoot, block1 } = vectors;
const fresh = () => networkHelpers.loadFixture(deployRegistryFixture);
async function deployRegistryFixture() {
  return deployRegistry(viem);
}

type Fixture = Awaited<ReturnType<typeof deployRegistryFixture>>;

/** Anchors `roots` one by one from height 1 on the genesis root. */
async function anchorChain({ asAnchorer }: Fixture, roots: readonly Hash[]): Promise<void> {
  let prevRoot: Hash = genesisRoot;
  for (const [i, root] of roots.entries()) {
    await asAnchorer.write.anchor([BigInt(i + 1), root, prevRoot, 1]);
    prevRoot = root;
  }
}

/** The RootAnchored events of a transaction, in log order. */
async function rootAnchoredEvents({ registry, publicClient }: Fixture, txHash: Hash) {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash });
  return parseEventLogs({ abi: registry.abi, eventName: "RootAnchored", logs: receipt.logs }).map((log) => log.args);
}

describe("RootRegistry.anchor", () => {
  it("starts at height 0 with the genesis root at rootOf(0) and nothing above it", async () => {
    const { registry } = await fresh();
    assert.equal(await registry.read.genesisRoot(), genesisRoot);
    assert.equal(await registry.read.rootOf([0n]), genesisRoot);
    assert.equal(await registry.read.latestHeight(), 0n);
    assert.equal(await registry.read.rootOf([1n]), `0x${"0".repeat(64)}`);
  });

  it("anchors block 1 of the vectors on the genesis root and emits RootAnchored with its header", async () => {
    const fixture = await fresh();
    const { registry, asAnchorer } = fixture;
    const txHash = await asAnchorer.write.anchor([1n, block1.root, block1.prevRoot, block1.entryCount]);
    assert.deepEqual(await rootAnchoredEvents(fixture, txHash), [
      { height: 1n, root: block1.root, prevRoot: genesisRoot, entryCount: block1.entryCount },
    ]);
    assert.equal(await registry.read.rootOf([1n]), block1.root);
    assert.equal(await registry.read.latestHeight(), 1n);
  });

  it("anchors consecutive heights, each on the root before it, and tracks the latest height", async () => {
    const fixture = await fresh();
    const roots = deterministicHashes("consecutive", 37);
    let prevRoot: Hash = genesisRoot;
    for (const [i, root] of roots.entries()) {
      const height = BigInt(i + 1);
      await viem.assertions.emitWithArgs(
        fixture.asAnchorer.write.anchor([height, root, prevRoot, i + 1]),
        fixture.registry,
        "RootAnchored",
        [height, root, prevRoot, i + 1],
      );
      assert.equal(await fixture.registry.read.latestHeight(), height);
      prevRoot = root;
    }
    for (const [i, root] of roots.entries()) assert.equal(await fixture.registry.read.rootOf([BigInt(i + 1)]), root);
  });

  it("rejects a caller without ANCHORER_ROLE, the admin and the receipt signer included", async () => {
    const { registry, as, admin, receiptSigner, stranger } = await fresh();
    const role = await registry.read.ANCHORER_ROLE();
    for (const wallet of [admin, receiptSigner, stranger]) {
      const asThem = as(wallet);
      await viem.assertions.revertWithCustomErrorWithArgs(
        asThem.write.anchor([1n, block1.root, genesisRoot, 5]),
        registry,
        "AccessControlUnauthorizedAccount",
        [wallet.account.address, role],
      );
    }
  });

  it("rejects a height beyond the next one, naming the next height", async () => {
    const fixture = await fresh();
    const { registry, asAnchorer } = fixture;
    await viem.assertions.revertWithCustomErrorWithArgs(
      asAnchorer.write.anchor([2n, block1.root, genesisRoot, 5]),
      registry,
      "RootRegistryHeightNotNext",
      [1n, 2n],
    );
    const roots = deterministicHashes("beyond", 5);
    await anchorChain(fixture, roots);
    for (const height of [7n, 1000n, 2n ** 64n - 1n]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        asAnchorer.write.anchor([height, block1.root, roots[4], 5]),
        registry,
        "RootRegistryHeightNotNext",
        [6n, height],
      );
    }
  });

  it("rejects a prevRoot that is not the root at the height before", async () => {
    const fixture = await fresh();
    const { registry, asAnchorer } = fixture;
    const [root1, root2, root3] = deterministicHashes("prev", 3);
    await viem.assertions.revertWithCustomErrorWithArgs(
      asAnchorer.write.anchor([1n, root1, root2, 5]),
      registry,
      "RootRegistryPrevRootMismatch",
      [1n, genesisRoot, root2],
    );
    await anchorChain(fixture, [root1, root2]);
    // A fork: block 3 built on block 1 instead of block 2.
    await viem.assertions.revertWithCustomErrorWithArgs(
      asAnchorer.write.anchor([3n, root3, root1, 5]),
      registry,
      "RootRegistryPrevRootMismatch",
      [3n, root2, root1],
    );
  });

  it("rejects a zero root", async () => {
    const { registry, asAnchorer } = await fresh();
    await viem.assertions.revertWithCustomErrorWithArgs(
      asAnchorer.write.anchor([1n, `0x${"0".repeat(64)}`, genesisRoot, 5]),
      registry,
      "RootRegistryZeroRoot",
      [1n],
    );
  });

  it("never overwrites an anchored root, nor the genesis root at height 0", async () => {
    const fixture = await fresh();
    const { registry, asAnchorer } = fixture;
    const roots = deterministicHashes("overwrite", 2);
    await anchorChain(fixture, roots);
    await viem.assertions.revertWithCustomErrorWithArgs(
      asAnchorer.write.anchor([1n, block1.root, genesisRoot, 5]),
      registry,
      "RootRegistryHeightAlreadyAnchored",
      [1n, roots[0]],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      asAnchorer.write.anchor([2n, block1.root, roots[0], 5]),
      registry,
      "RootRegistryHeightAlreadyAnchored",
      [2n, roots[1]],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      asAnchorer.write.anchor([0n, block1.root, genesisRoot, 5]),
      registry,
      "RootRegistryHeightAlreadyAnchored",
      [0n, genesisRoot],
    );
    assert.equal(await registry.read.rootOf([1n]), roots[0]);
    assert.equal(await registry.read.rootOf([0n]), genesisRoot);
  });
});

describe("RootRegistry.anchorBatch", () => {
  it("anchors a batch of consecutive roots, chaining each prevRoot to the root before it", async () => {
    const fixture = await fresh();
    const { registry, asAnchorer } = fixture;
    const roots = deterministicHashes("batch", 4);
    const counts = [3, 1, 4, 1];
    const txHash = await asAnchorer.write.anchorBatch([1n, genesisRoot, roots, counts]);
    assert.deepEqual(await rootAnchoredEvents(fixture, txHash), [
      { height: 1n, root: roots[0], prevRoot: genesisRoot, entryCount: 3 },
      { height: 2n, root: roots[1], prevRoot: roots[0], entryCount: 1 },
      { height: 3n, root: roots[2], prevRoot: roots[1], entryCount: 4 },
      { height: 4n, root: roots[3], prevRoot: roots[2], entryCount: 1 },
    ]);
    assert.equal(await registry.read.latestHeight(), 4n);
    for (const [i, root] of roots.entries()) assert.equal(await registry.read.rootOf([BigInt(i + 1)]), root);
  });

  it("continues a chain of single anchors, and single anchors continue after it", async () => {
    const fixture = await fresh();
    const { registry, asAnchorer } = fixture;
    const [root1, root2, root3, root4] = deterministicHashes("mixed", 4);
    await anchorChain(fixture, [root1]);
    await asAnchorer.write.anchorBatch([2n, root1, [root2, root3], [1, 1]]);
    await asAnchorer.write.anchor([4n, root4, root3, 1]);
    assert.equal(await registry.read.latestHeight(), 4n);
    assert.equal(await registry.read.rootOf([3n]), root3);
  });

  it("takes each root's prevRoot from the batch itself, so the next anchor must name the batch's last root", async () => {
    const fixture = await fresh();
    const { registry, asAnchorer } = fixture;
    const roots = deterministicHashes("chain", 3);
    const [next] = deterministicHashes("chain/next", 1);
    await asAnchorer.write.anchorBatch([1n, genesisRoot, roots, [1, 1, 1]]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      asAnchorer.write.anchor([4n, next, roots[1], 1]),
      registry,
      "RootRegistryPrevRootMismatch",
      [4n, roots[2], roots[1]],
    );
  });

  it("rejects a batch whose prevRoot is not the root before its first height", async () => {
    const fixture = await fresh();
    const { registry, asAnchorer } = fixture;
    const [root1, root2] = deterministicHashes("batch-prev", 2);
    await anchorChain(fixture, [root1]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      asAnchorer.write.anchorBatch([2n, genesisRoot, [root2], [1]]),
      registry,
      "RootRegistryPrevRootMismatch",
      [2n, root1, genesisRoot],
    );
  });

  it("rejects a batch with a zero root inside it and anchors none of its roots", async () => {
    const fixture = await fresh();
    const { registry, asAnchorer } = fixture;
    const [root1, root2, root4] = deterministicHashes("batch-zero", 3);
    const zero: Hash = `0x${"0".repeat(64)}`;
    await viem.assertions.revertWithCustomErrorWithArgs(
      asAnchorer.write.anchorBatch([1n, genesisRoot, [root1, root2, zero, root4], [1, 1, 1, 1]]),
      registry,
      "RootRegistryZeroRoot",
      [3n],
    );
    assert.equal(await registry.read.latestHeight(), 0n);
    assert.equal(await registry.read.rootOf([1n]), zero);
  });

  it("rejects a batch that starts beyond the next height or at an anchored one", async () => {
    const fixture = await fresh();
    const { registry, asAnchorer } = fixture;
    const [root1, root2] = deterministicHashes("batch-height", 2);
    await anchorChain(fixture, [root1]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      asAnchorer.write.anchorBatch([3n, root1, [root2], [1]]),
      registry,
      "RootRegistryHeightNotNext",
      [2n, 3n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      asAnchorer.write.anchorBatch([1n, genesisRoot, [root2], [1]]),
      registry,
      "RootRegistryHeightAlreadyAnchored",
      [1n, root1],
    );
  });

  it("rejects arrays of different lengths", async () => {
    const { registry, asAnchorer } = await fresh();
    await viem.assertions.revertWithCustomErrorWithArgs(
      asAnchorer.write.anchorBatch([1n, genesisRoot, deterministicHashes("length", 3), [1, 1]]),
      registry,
      "RootRegistryBatchLengthMismatch",
      [3n, 2n],
    );
  });

  it("rejects an empty batch", async () => {
    const { registry, asAnchorer } = await fresh();
    await viem.assertions.revertWithCustomError(
      asAnchorer.write.anchorBatch([1n, genesisRoot, [], []]),
      registry,
      "RootRegistryEmptyBatch",
    );
  });

  it("rejects a caller without ANCHORER_ROLE", async () => {
    const { registry, asStranger, stranger } = await fresh();
    await viem.assertions.revertWithCustomErrorWithArgs(
      asStranger.write.anchorBatch([1n, genesisRoot, [block1.root], [5]]),
      registry,
      "AccessControlUnauthorizedAccount",
      [stranger.account.address, await registry.read.ANCHORER_ROLE()],
    );
  });
});
