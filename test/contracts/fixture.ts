/**
 * A deployed RootRegistry and the accounts the contract tests play with. Not a test file itself.
 */
import type { network } from "hardhat";
import { getContract, type Address } from "viem";
import { rootRegistryAbi } from "../../lib/chain/registry/abi";
import { vectors } from "./vectors";

type Viem = Awaited<ReturnType<typeof network.create>>["viem"];
type HardhatWalletClient = Awaited<ReturnType<Viem["getWalletClients"]>>[number];
type HardhatPublicClient = Awaited<ReturnType<Viem["getPublicClient"]>>;

/**
 * Deploys a RootRegistry on the vectors' genesis root, with Hardhat accounts #0 as admin, #1 as
 * receipt signer (#1 signed the receipt vector), #2 as anchorer and #3 as a stranger with no role.
 * `registry` acts as the admin; `asAnchorer` and `asStranger` as the others.
 */
export async function deployRegistry(viem: Viem) {
  const [admin, receiptSigner, anchorer, stranger] = await viem.getWalletClients();
  const { address } = await viem.deployContract("RootRegistry", [
    vectors.genesisRoot,
    admin.account.address,
    anchorer.account.address,
    receiptSigner.account.address,
  ]);
  const publicClient = await viem.getPublicClient();
  const as = (wallet: HardhatWalletClient) => registryAt(address, publicClient, wallet);
  return {
    registry: as(admin),
    asAnchorer: as(anchorer),
    asStranger: as(stranger),
    as,
    admin,
    receiptSigner,
    anchorer,
    stranger,
    publicClient,
  };
}

/**
 * The registry at `address`, typed by the committed ABI (lib/chain/registry/abi.ts) rather than by Hardhat's
 * generated artifact types, which the repository's tsconfig leaves out.
 */
export function registryAt(address: Address, publicClient: HardhatPublicClient, wallet: HardhatWalletClient) {
  return getContract({ address, abi: rootRegistryAbi, client: { public: publicClient, wallet } });
}
