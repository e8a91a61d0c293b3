import type { Address, PublicClient } from "viem";
import type { AnchoredRoots } from "../ledger/backup-check";
import { isUnanchored, readRegistrySnapshot, readRoots } from "./registry/reads";

/**
 * What the registry holds, as restore and repair ask it: its genesis root, its latest height and
 * `rootOf(h)`, every read pinned to the chain block of one snapshot so that the answers agree.
 * Throws an Error when there is no contract at `registry`.
 */
export async function readAnchoredRoots(client: PublicClient, registry: Address): Promise<AnchoredRoots> {
  const [snapshot, chainId] = await Promise.all([readRegistrySnapshot(client, registry), client.getChainId()]);
  if (!snapshot.deployed || !snapshot.genesisRoot) {
    throw new Error(`There is no contract at ${registry} on chain ${chainId}: the chain cannot vouch for anything. Check RPC_URL and REGISTRY_ADDRESS.`);
  }
  return {
    registry,
    chainId,
    genesisRoot: snapshot.genesisRoot,
    latestHeight: snapshot.latestHeight,
    async rootsOf(heights) {
      const roots = await readRoots(client, registry, heights, snapshot.blockNumber);
      return new Map([...roots].map(([h, root]) => [h, isUnanchored(root) ? null : root]));
    },
  };
}
