/**
 * A local Hardhat node with one ledger's RootRegistry on it, deployed by `sealbook deploy`, for a
 * benchmark that needs its blocks anchored for real: `sealbook archive` refuses a block without a
 * confirmed anchor, and an anchor row written by hand would prove nothing.
 */
import path from "node:path";
import { DEV_ACCOUNTS } from "../../lib/chain/dev-accounts";
import { startHardhatNode } from "../../lib/chain/hardhat-node";
import { runSealbook } from "./sealbook-cli";
import { freeTcpPort } from "./server";

const root = path.resolve(import.meta.dirname, "..", "..");

export interface BenchChain {
  /** What `sealbook` needs to anchor this ledger to the registry: DATABASE_URL, LEDGER_ID, RPC_URL, REGISTRY_ADDRESS and the keys. */
  env: Record<string, string>;
  /** Stops the node; its chain is gone with it. */
  stop(): Promise<void>;
}

/**
 * Starts `hardhat node` on a free port and deploys the registry of the ledger `ledgerId` at
 * `databaseUrl` on it with `sealbook deploy`, with Hardhat's public dev accounts as the embedded
 * chain of `npm start` uses them (#0 deploys, administers and anchors, #1 signs receipts). Throws,
 * with the CLI's message, when the node does not start or the deployment fails.
 */
export async function startBenchChain(databaseUrl: string, ledgerId: string): Promise<BenchChain> {
  const node = await startHardhatNode({ port: await freeTcpPort(), cwd: root });
  try {
    const env = { DATABASE_URL: databaseUrl, LEDGER_ID: ledgerId, RPC_URL: node.rpcUrl, ANCHOR_PRIVATE_KEY: DEV_ACCOUNTS.adminAndAnchorer, RECEIPT_PRIVATE_KEY: DEV_ACCOUNTS.receiptSigner };
    const deployed = await runSealbook(["deploy", "--json"], env);
    if (deployed.code !== 0) throw new Error(`sealbook deploy failed (exit ${deployed.code}): ${deployed.stderr.trim().split("\n").at(-1)}`);
    const { address } = JSON.parse(deployed.stdout) as { address: string };
    return { env: { ...env, REGISTRY_ADDRESS: address }, stop: () => node.stop() };
  } catch (error) {
    await node.stop();
    throw error;
  }
}
