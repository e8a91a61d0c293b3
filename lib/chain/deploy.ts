import {
  createWalletClient,
  http,
  publicActions,
  type Account,
  type Address,
  type Chain,
  type Hash,
  type Hex,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { rootRegistryAbi } from "./registry/abi";
import { loadRootRegistryArtifact } from "./artifact";

/** Who sends the deployment: an RPC endpoint and a key, or a wallet client that has an account. */
export type DeploymentSender =
  | { rpcUrl: string; deployerPrivateKey: Hex; walletClient?: never }
  | { walletClient: WalletClient<Transport, Chain | undefined, Account | undefined>; rpcUrl?: never; deployerPrivateKey?: never };

/** The registry to create; see the RootRegistry constructor. */
export type RootRegistryDeployment = DeploymentSender & {
  /** The ledger's genesis root (`genesisRootOf(ledgerId)`); non-zero. */
  genesisRoot: Hash;
  /** The default admin, who grants and revokes roles. Defaults to the deployer. */
  admin?: Address;
  /** Granted ANCHORER_ROLE. */
  anchorer: Address;
  /** Granted RECEIPT_SIGNER_ROLE. */
  receiptSigner: Address;
  /** Hardhat's artifacts directory; see `loadRootRegistryArtifact`. */
  artifactsDir?: string;
};

/** Where the registry landed: the `anchor` fields of a proof bundle (PROTOCOL.md §5) for its creation. */
export interface DeployedRootRegistry {
  address: Address;
  txHash: Hash;
  blockNumber: number;
  chainId: number;
}

/** Thrown when the deployment transaction cannot be sent or does not create the contract. */
export class RootRegistryDeployError extends Error {
  override name = "RootRegistryDeployError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Deploys a RootRegistry with viem (no Hardhat at run time), so the server and the CLI can deploy to
 * any RPC. The constructor sets the genesis root and grants ANCHORER_ROLE and RECEIPT_SIGNER_ROLE.
 * Waits for the receipt and returns the address, transaction, block and chain id.
 * Requires the compiled artifact (`npm run compile`). Throws RootRegistryArtifactError without it,
 * and RootRegistryDeployError when the wallet client has no account or the transaction reverts.
 */
export async function deployRootRegistry(deployment: RootRegistryDeployment): Promise<DeployedRootRegistry> {
  const { bytecode } = await loadRootRegistryArtifact(deployment.artifactsDir);
  const client = walletClientOf(deployment).extend(publicActions);
  const account = client.account;
  if (account === undefined) {
    throw new RootRegistryDeployError("The wallet client has no account: create it with `account` to deploy from it.");
  }
  const chainId = await client.getChainId();
  const args = [deployment.genesisRoot, deployment.admin ?? account.address, deployment.anchorer, deployment.receiptSigner] as const;

  let txHash: Hash;
  try {
    txHash = await client.deployContract({ abi: rootRegistryAbi, bytecode, args, account, chain: client.chain ?? null });
  } catch (error) {
    throw new RootRegistryDeployError(`Could not send the RootRegistry deployment to chain ${chainId} from ${account.address}.`, {
      cause: error,
    });
  }
  const receipt = await client.waitForTransactionReceipt({ hash: txHash });
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new RootRegistryDeployError(
      `The RootRegistry deployment ${txHash} reverted in block ${receipt.blockNumber} on chain ${chainId}; ` +
        "check that the genesis root is non-zero and no account is the zero address.",
    );
  }
  return { address: receipt.contractAddress, txHash, blockNumber: Number(receipt.blockNumber), chainId };
}

function walletClientOf(sender: DeploymentSender): WalletClient<Transport, Chain | undefined, Account | undefined> {
  if (sender.walletClient !== undefined) return sender.walletClient;
  return createWalletClient({ account: privateKeyToAccount(sender.deployerPrivateKey), transport: http(sender.rpcUrl) });
}
