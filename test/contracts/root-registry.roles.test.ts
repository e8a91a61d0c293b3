import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { zeroAddress, zeroHash, type Address, type Hash } from "viem";
import { rootRegistryAbi } from "../../lib/chain/registry/abi";
import { loadRootRegistryArtifact } from "../../lib/chain/artifact";
import { deployRegistry } from "./fixture";
import { deterministicHashes, vectors } from "./vectors";

const { viem, networkHelpers } = await network.create();
const { genesisRoot, block1 } = vectors;
const fresh = () => networkHelpers.loadFixture(deployRegistryFixture);
async function deployRegistryFixture() {
  return deployRegistry(viem);
}

const TWO_DAYS = 2 * 24 * 60 * 60;

describe("RootRegistry deployment", () => {
  it("grants the admin, the anchorer and the receipt signer their roles, and nothing more", async () => {
    const { registry, admin, receiptSigner, anchorer, stranger } = await fresh();
    const [adminRole, anchorerRole, signerRole] = await Promise.all([
      registry.read.DEFAULT_ADMIN_ROLE(),
      registry.read.ANCHORER_ROLE(),
      registry.read.RECEIPT_SIGNER_ROLE(),
    ]);
    const holders = { [adminRole]: admin, [anchorerRole]: anchorer, [signerRole]: receiptSigner };
    for (const role of [adminRole, anchorerRole, signerRole]) {
      for (const wallet of [admin, receiptSigner, anchorer, stranger]) {
        const expected = holders[role] === wallet;
        assert.equal(await registry.read.hasRole([role, wallet.account.address]), expected, `${role} of ${wallet.account.address}`);
      }
    }
    assert.equal((await registry.read.defaultAdmin()).toLowerCase(), admin.account.address.toLowerCase());
    assert.equal(await registry.read.defaultAdminDelay(), TWO_DAYS);
  });

  it("refuses a zero genesis root", async () => {
    const { registry, admin, anchorer, receiptSigner } = await fresh();
    await viem.assertions.revertWithCustomError(
      deployRaw([zeroHash, admin.account.address, anchorer.account.address, receiptSigner.account.address]),
      registry,
      "RootRegistryZeroGenesisRoot",
    );
  });

  it("refuses a zero admin, anchorer or receipt signer", async () => {
    const { registry, admin, anchorer, receiptSigner } = await fresh();
    const [a, n, s] = [admin, anchorer, receiptSigner].map((w) => w.account.address);
    await viem.assertions.revertWithCustomErrorWithArgs(
      deployRaw([genesisRoot, zeroAddress, n, s]),
      registry,
      "AccessControlInvalidDefaultAdmin",
      [zeroAddress],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      deployRaw([genesisRoot, a, zeroAddress, s]),
      registry,
      "RootRegistryZeroAccount",
      [await registry.read.ANCHORER_ROLE()],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      deployRaw([genesisRoot, a, n, zeroAddress]),
      registry,
      "RootRegistryZeroAccount",
      [await registry.read.RECEIPT_SIGNER_ROLE()],
    );
  });
});

describe("RootRegistry roles", () => {
  it("lets only the default admin grant roles", async () => {
    const { registry, as, anchorer, receiptSigner, stranger } = await fresh();
    const anchorerRole = await registry.read.ANCHORER_ROLE();
    const adminRole = await registry.read.DEFAULT_ADMIN_ROLE();
    for (const wallet of [anchorer, receiptSigner, stranger]) {
      const asThem = as(wallet);
      await viem.assertions.revertWithCustomErrorWithArgs(
        asThem.write.grantRole([anchorerRole, stranger.account.address]),
        registry,
        "AccessControlUnauthorizedAccount",
        [wallet.account.address, adminRole],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        asThem.write.revokeRole([anchorerRole, anchorer.account.address]),
        registry,
        "AccessControlUnauthorizedAccount",
        [wallet.account.address, adminRole],
      );
    }
  });

  it("lets a newly granted anchorer anchor, and stops it once revoked", async () => {
    const { registry, asStranger, stranger, admin } = await fresh();
    const role = await registry.read.ANCHORER_ROLE();
    await viem.assertions.emitWithArgs(
      registry.write.grantRole([role, stranger.account.address]),
      registry,
      "RoleGranted",
      [role, stranger.account.address, admin.account.address],
    );
    await asStranger.write.anchor([1n, block1.root, genesisRoot, block1.entryCount]);
    await viem.assertions.emitWithArgs(
      registry.write.revokeRole([role, stranger.account.address]),
      registry,
      "RoleRevoked",
      [role, stranger.account.address, admin.account.address],
    );
    const [root2] = deterministicHashes("revoked", 1);
    await viem.assertions.revertWithCustomErrorWithArgs(
      asStranger.write.anchor([2n, root2, block1.root, 1]),
      registry,
      "AccessControlUnauthorizedAccount",
      [stranger.account.address, role],
    );
    assert.equal(await registry.read.latestHeight(), 1n);
  });

  it("grants and revokes RECEIPT_SIGNER_ROLE", async () => {
    const { registry, receiptSigner, stranger } = await fresh();
    const role = await registry.read.RECEIPT_SIGNER_ROLE();
    await registry.write.grantRole([role, stranger.account.address]);
    assert.equal(await registry.read.hasRole([role, stranger.account.address]), true);
    await registry.write.revokeRole([role, receiptSigner.account.address]);
    assert.equal(await registry.read.hasRole([role, receiptSigner.account.address]), false);
  });

  it("refuses to grant the default admin role directly", async () => {
    const { registry, stranger } = await fresh();
    await viem.assertions.revertWithCustomError(
      registry.write.grantRole([await registry.read.DEFAULT_ADMIN_ROLE(), stranger.account.address]),
      registry,
      "AccessControlEnforcedDefaultAdminRules",
    );
  });

  it("hands the default admin role over only after the two-day delay", async () => {
    const { registry, asStranger: asNewAdmin, stranger } = await fresh();
    await registry.write.beginDefaultAdminTransfer([stranger.account.address]);
    const [, schedule] = await registry.read.pendingDefaultAdmin();
    await viem.assertions.revertWithCustomErrorWithArgs(
      asNewAdmin.write.acceptDefaultAdminTransfer(),
      registry,
      "AccessControlEnforcedDefaultAdminDelay",
      [schedule],
    );
    await networkHelpers.time.increaseTo(schedule + 1);
    await asNewAdmin.write.acceptDefaultAdminTransfer();
    assert.equal((await registry.read.defaultAdmin()).toLowerCase(), stranger.account.address.toLowerCase());
  });
});

/** Sends the RootRegistry creation transaction as is, so a constructor revert can be asserted. */
async function deployRaw(args: readonly [Hash, Address, Address, Address]) {
  const [deployer] = await viem.getWalletClients();
  const { bytecode } = await loadRootRegistryArtifact();
  return deployer.deployContract({ abi: rootRegistryAbi, bytecode, args });
}
