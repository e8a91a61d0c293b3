import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { network } from "hardhat";
import { createPublicClient, getAddress, http, zeroHash, type Address, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { rootRegistryAbi } from "../../lib/chain/registry/abi";
import { RootRegistryArtifactError } from "../../lib/chain/artifact";
import { deployRootRegistry, RootRegistryDeployError } from "../../lib/chain/deploy";
import RootRegistryModule from "../../ignition/modules/RootRegistry";
import { vectors } from "./vectors";

/** Hardhat's public dev account #0 (mnemonic "test test … junk"): a test key, never a real one. */
const DEV_ACCOUNT_0_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

const { viem, ignition } = await network.create();
const [, receiptSignerWallet, anchorerWallet, adminWallet] = await viem.getWalletClients();
// Hardhat's wallet clients report lowercase addresses; the contract returns checksummed ones.
const RECEIPT_SIGNER = getAddress(receiptSignerWallet.account.address);
const ANCHORER = getAddress(anchorerWallet.account.address);
const ADMIN = getAddress(adminWallet.account.address);

/** Reads back what a deployed registry holds, through any viem client. */
async function readRegistry(client: PublicClient, address: Address) {
  const read = <F extends "genesisRoot" | "latestHeight" | "defaultAdmin" | "ANCHORER_ROLE" | "RECEIPT_SIGNER_ROLE">(
    functionName: F,
  ) => client.readContract({ address, abi: rootRegistryAbi, functionName });
  const [genesisRoot, latestHeight, admin, anchorerRole, signerRole] = await Promise.all([
    read("genesisRoot"),
    read("latestHeight"),
    read("defaultAdmin"),
    read("ANCHORER_ROLE"),
    read("RECEIPT_SIGNER_ROLE"),
  ]);
  const hasRole = (role: `0x${string}`, account: Address) =>
    client.readContract({ address, abi: rootRegistryAbi, functionName: "hasRole", args: [role, account] });
  return {
    genesisRoot,
    latestHeight,
    admin,
    anchorerHasRole: await hasRole(anchorerRole, ANCHORER),
    signerHasRole: await hasRole(signerRole, RECEIPT_SIGNER),
  };
}

describe("deployRootRegistry (viem, no Hardhat)", () => {
  let server: Awaited<ReturnType<typeof network.createServer>>;
  let rpcUrl: string;

  before(async () => {
    server = await network.createServer("default", "127.0.0.1", 0);
    const { address, port } = await server.listen();
    rpcUrl = `http://${address}:${port}`;
  });
  after(async () => {
    await server.close();
  });

  it("deploys to an RPC URL with a private key, and grants the anchorer and receipt signer roles", async () => {
    const deployed = await deployRootRegistry({
      rpcUrl,
      deployerPrivateKey: DEV_ACCOUNT_0_KEY,
      genesisRoot: vectors.genesisRoot,
      admin: ADMIN,
      anchorer: ANCHORER,
      receiptSigner: RECEIPT_SIGNER,
    });
    const client = createPublicClient({ transport: http(rpcUrl) });
    const receipt = await client.getTransactionReceipt({ hash: deployed.txHash });
    assert.equal(deployed.chainId, 31337);
    assert.equal(deployed.address, receipt.contractAddress);
    assert.equal(deployed.blockNumber, Number(receipt.blockNumber));
    assert.deepEqual(await readRegistry(client, deployed.address), {
      genesisRoot: vectors.genesisRoot,
      latestHeight: 0n,
      admin: ADMIN,
      anchorerHasRole: true,
      signerHasRole: true,
    });
  });

  it("deploys through a wallet client and makes the deployer the admin by default", async () => {
    const [deployer] = await viem.getWalletClients();
    const deployed = await deployRootRegistry({
      walletClient: deployer,
      genesisRoot: vectors.genesisRoot,
      anchorer: ANCHORER,
      receiptSigner: RECEIPT_SIGNER,
    });
    const state = await readRegistry(await viem.getPublicClient(), deployed.address);
    assert.equal(state.admin, getAddress(deployer.account.address));
    assert.equal(state.anchorerHasRole && state.signerHasRole, true);
  });

  it("fails with RootRegistryDeployError when the constructor rejects its arguments", async () => {
    await assert.rejects(
      deployRootRegistry({
        rpcUrl,
        deployerPrivateKey: DEV_ACCOUNT_0_KEY,
        genesisRoot: zeroHash,
        anchorer: ANCHORER,
        receiptSigner: RECEIPT_SIGNER,
      }),
      (error: unknown) => error instanceof RootRegistryDeployError && /RootRegistryZeroGenesisRoot/.test(String(error.cause)),
    );
  });

  it("fails with RootRegistryArtifactError, before sending anything, when the contract is not compiled", async () => {
    const empty = await mkdtemp(path.join(tmpdir(), "sealbook-no-artifacts-"));
    const client = createPublicClient({ transport: http(rpcUrl) });
    const deployer = privateKeyToAccount(DEV_ACCOUNT_0_KEY).address;
    const nonceBefore = await client.getTransactionCount({ address: deployer });
    try {
      await assert.rejects(
        deployRootRegistry({
          rpcUrl,
          deployerPrivateKey: DEV_ACCOUNT_0_KEY,
          genesisRoot: vectors.genesisRoot,
          anchorer: ANCHORER,
          receiptSigner: RECEIPT_SIGNER,
          artifactsDir: empty,
        }),
        RootRegistryArtifactError,
      );
      assert.equal(await client.getTransactionCount({ address: deployer }), nonceBefore);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe("Ignition module RootRegistryModule", () => {
  it("deploys a RootRegistry from its parameters, with the deployer as admin by default", async () => {
    const { rootRegistry } = await ignition.deploy(RootRegistryModule, {
      parameters: {
        RootRegistryModule: { genesisRoot: vectors.genesisRoot, anchorer: ANCHORER, receiptSigner: RECEIPT_SIGNER },
      },
    });
    const [deployer] = await viem.getWalletClients();
    // Ignition types its result from Hardhat's generated artifact types, which tsconfig leaves out.
    const { address } = rootRegistry as unknown as { address: Address };
    const state = await readRegistry(await viem.getPublicClient(), address);
    assert.deepEqual(state, {
      genesisRoot: vectors.genesisRoot,
      latestHeight: 0n,
      admin: getAddress(deployer.account.address),
      anchorerHasRole: true,
      signerHasRole: true,
    });
  });
});
