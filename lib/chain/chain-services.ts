/**
 * The chain side of a Sealbook process (`npm start`, `sealbook worker`): the anchoring loop, and in
 * embedded mode (no RPC_URL) a local Hardhat node with its own registry.
 */
import path from "node:path";
import { createWalletClient, getAddress, http, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Runtime } from "../server/runtime";
import { createAnchorJob, type AnchorJob, type AnchorJobHooks } from "./anchor-job";
import { startAnchorLoop, type AnchorLoop } from "./anchor-loop";
import { installChainInfo } from "./chain-info";
import { deployRootRegistry } from "./deploy";
import { DEV_ACCOUNTS } from "./dev-accounts";
import { ensureRegistryArtifact, startHardhatNode, type HardhatNode } from "./hardhat-node";
import { writeLocalChainRecord } from "./local-chain-file";
import { accountFromPrivateKey } from "./secrets";
import { anchorJobSettings, resolveChainSettings, type ChainSettings } from "./settings";

/** The running chain services; `stop()` ends the loop and the local node. */
export interface ChainServices {
  settings: ChainSettings | null;
  job: AnchorJob | null;
  loop: AnchorLoop | null;
  node: HardhatNode | null;
  stop(): Promise<void>;
}

export interface ChainServicesOptions {
  /** Loop timings; tests shorten them. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  pollingIntervalMs?: number;
  batchSize?: number;
  hooks?: AnchorJobHooks;
}

const none: ChainServices = { settings: null, job: null, loop: null, node: null, stop: async () => {} };

/**
 * Starts the chain services of this process and returns at once after the first steps (the first
 * anchoring pass runs in the background and logs its progress).
 *
 * - SEALBOOK_CHAIN=off: nothing.
 * - RPC_URL set: anchors to REGISTRY_ADDRESS with ANCHOR_PRIVATE_KEY every ANCHOR_INTERVAL_SECONDS
 *   (off, with a log line saying what to set, when either is missing).
 * - RPC_URL unset (embedded): compiles the contract if needed, starts `hardhat node` on
 *   127.0.0.1:HARDHAT_PORT, and lets the job deploy a registry with the dev accounts (#0 admin and
 *   anchorer, #1 receipt signer) whenever there is none on that chain: on the first start, and on
 *   every restart, since that chain forgets its state when it stops. The address is kept in
 *   SEALBOOK_DATA_DIR/chain.json, and the whole history is re-anchored in batches.
 * Throws when the local node cannot start or a key is malformed (the message never shows the key).
 */
export async function startChainServices(runtime: Runtime, log: (line: string, level?: "info" | "warn") => void, options: ChainServicesOptions = {}): Promise<ChainServices> {
  const { config, ledger } = runtime;
  if (config.SEALBOOK_CHAIN === "off") {
    installChainInfo({ chainId: null, registry: null, rpcUrl: null });
    log("chain services are off (SEALBOOK_CHAIN=off): nothing is anchored");
    return none;
  }
  const settings = await resolveChainSettings(config);
  installChainInfo({ chainId: settings.chainId, registry: settings.registry, rpcUrl: settings.publicRpcUrl });
  if (!settings.embedded && (!settings.registry || !config.ANCHOR_PRIVATE_KEY)) {
    log(`anchoring is off: set ${[!settings.registry && "REGISTRY_ADDRESS", !config.ANCHOR_PRIVATE_KEY && "ANCHOR_PRIVATE_KEY"].filter(Boolean).join(" and ")} (\`sealbook deploy\` creates a registry)`);
    return { ...none, settings };
  }
  if (config.ANCHOR_INTERVAL_SECONDS <= 0) {
    log("the anchoring timer is off (ANCHOR_INTERVAL_SECONDS=0)");
    return { ...none, settings };
  }

  let node: HardhatNode | null = null;
  if (settings.embedded) {
    await ensureRegistryArtifact(log);
    node = await startHardhatNode({ port: config.HARDHAT_PORT, logFile: path.join(config.SEALBOOK_DATA_DIR, "hardhat-node.log") });
    log(`local chain: Hardhat node at ${node.rpcUrl} (chain 31337, dev accounts; it forgets its state when it stops, and the ledger is then re-anchored)`);
  }
  try {
    const anchorKey = config.ANCHOR_PRIVATE_KEY ?? DEV_ACCOUNTS.adminAndAnchorer;
    const receiptSigner = accountFromPrivateKey(config.RECEIPT_PRIVATE_KEY ?? DEV_ACCOUNTS.receiptSigner, "RECEIPT_PRIVATE_KEY").address;
    const base = anchorJobSettings(settings);
    const job: AnchorJob = createAnchorJob({
      ...base,
      ledger,
      anchorPrivateKey: anchorKey,
      batchSize: options.batchSize,
      rpc: { pollingIntervalMs: options.pollingIntervalMs ?? base.rpc.pollingIntervalMs },
      log: (line) => log(`anchor: ${line}`),
      hooks: options.hooks,
      redeployOnDevChain: settings.embedded
        ? async () => {
            // A wallet client of our own: the local chain mines at once, so poll for the receipt often.
            const walletClient = createWalletClient({ account: privateKeyToAccount(DEV_ACCOUNTS.adminAndAnchorer), transport: http(settings.rpcUrl), pollingInterval: 250 });
            const deployed = await deployRootRegistry({
              walletClient,
              genesisRoot: ledger.genesisRoot,
              anchorer: job.anchorer,
              receiptSigner,
            });
            const address = getAddress(deployed.address);
            await writeLocalChainRecord(config.SEALBOOK_DATA_DIR, {
              chainId: deployed.chainId,
              registry: address,
              genesisRoot: ledger.genesisRoot,
              deployTx: deployed.txHash,
              deployBlock: deployed.blockNumber,
              deployedAt: new Date().toISOString(),
            });
            installChainInfo({ chainId: deployed.chainId, registry: address, rpcUrl: settings.publicRpcUrl });
            return { address, blockNumber: deployed.blockNumber };
          }
        : undefined,
    });
    log(`anchoring ${settings.embedded ? "to the local chain" : `through ${job.redact(settings.rpcUrl)}`} every ${config.ANCHOR_INTERVAL_SECONDS} s as ${job.anchorer}, ${settings.confirmations} confirmation(s)`);
    const loop = startAnchorLoop(job, {
      intervalMs: config.ANCHOR_INTERVAL_SECONDS * 1000,
      minBackoffMs: options.minBackoffMs,
      maxBackoffMs: options.maxBackoffMs,
      // The loop's own lines are failures, retries and alarms.
      log: (line) => log(`anchor: ${line}`, "warn"),
      onPass: (result) => {
        if (result.chainId !== null && result.registry !== null) {
          installChainInfo({ chainId: result.chainId, registry: result.registry as Address, rpcUrl: settings.publicRpcUrl });
        }
      },
    });
    return {
      settings,
      job,
      loop,
      node,
      stop: async () => {
        await loop.stop();
        await node?.stop();
      },
    };
  } catch (error) {
    await node?.stop();
    throw error;
  }
}
