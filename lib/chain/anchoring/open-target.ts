/**
 * The first step of an anchoring pass: where to anchor. Asks the RPC for its chain id, checks that
 * the registry exists and belongs to this ledger, and stops on an alarm. On the local dev chain
 * (31337) of the embedded mode, a missing registry is deployed again; anywhere else it is an alarm.
 */
import { getAddress, type Address } from "viem";
import { readHead } from "../../ledger/head";
import { activeAlarm, clearAlarm, raiseAlarm } from "./alarms";
import { AnchorError, chainStep } from "./anchor-errors";
import type { AnchorJob, AnchorPassResult, PassState } from "./anchor-pass";
import { forgetChain, forgetOtherTargets, type AnchorTarget } from "./anchor-records";
import { DEV_CHAIN_ID } from "../dev-accounts";
import { readRegistrySnapshot } from "../registry/reads";

/**
 * Finds out where to anchor: the chain id, the registry (deploying one on the embedded dev chain when
 * there is none) and its snapshot. Returns null, with `result.alarm` set, when anchoring must stop.
 */
export async function openTarget(job: AnchorJob, result: AnchorPassResult): Promise<PassState | null> {
  const { db } = job.ledger;
  const chainId = await chainStep(job, "Asking the RPC for its chain id", () => job.publicClient.getChainId());
  if (job.chainId !== null && job.chainId !== chainId) job.log(`the RPC now serves chain ${chainId} (it served ${job.chainId})`);
  job.chainId = chainId;
  result.chainId = chainId;
  const canRedeploy = chainId === DEV_CHAIN_ID && job.redeployOnDevChain !== undefined;
  if (job.registry === null) {
    if (!canRedeploy) {
      throw new AnchorError("not_configured", "No registry to anchor to: set REGISTRY_ADDRESS (deploy one with `sealbook deploy`).", false);
    }
    await redeploy(job, result, `no RootRegistry is deployed yet on the local chain ${chainId}`);
  }
  let registry = job.registry as Address;
  result.registry = registry;
  let snapshot = await chainStep(job, `Reading the registry ${registry}`, () => readRegistrySnapshot(job.publicClient, registry));
  const target = (): AnchorTarget => ({ chainId, registry });

  if (!snapshot.deployed && canRedeploy) {
    await redeploy(job, result, `there is no contract at ${registry} on the local chain ${chainId}: it restarted empty`);
    registry = job.registry as Address;
    result.registry = registry;
    snapshot = await chainStep(job, `Reading the registry ${registry}`, () => readRegistrySnapshot(job.publicClient, registry));
  }
  const existing = await activeAlarm(db, target());
  if (existing) {
    result.alarm = existing;
    return null;
  }
  if (!snapshot.deployed && chainId === DEV_CHAIN_ID) {
    // The local dev chain forgets everything when it restarts: that is no alarm, and `npm start` redeploys.
    throw new AnchorError(
      "not_configured",
      `There is no contract at ${registry} on the local chain ${chainId} (it restarted empty?). \`npm start\` redeploys its registry by itself; elsewhere, deploy one with \`sealbook deploy\`.`,
      false,
    );
  }
  if (!snapshot.deployed) {
    result.alarm = await raiseAlarm(db, target(), {
      kind: "registry_missing",
      message:
        `There is no contract at ${registry} on chain ${chainId}. On a public chain a registry never disappears: check that RPC_URL ` +
        `points at the right chain and REGISTRY_ADDRESS at the right contract. Anchoring has stopped; Sealbook redeploys a registry ` +
        `only on the local development chain ${DEV_CHAIN_ID}.`,
    });
    job.log(`ALARM: ${result.alarm.message}`);
    return null;
  }
  if (snapshot.genesisRoot !== job.ledger.genesisRoot) {
    result.alarm = await raiseAlarm(db, target(), {
      kind: "genesis_mismatch",
      ledgerRoot: job.ledger.genesisRoot,
      chainRoot: snapshot.genesisRoot ?? undefined,
      message:
        `The registry ${registry} on chain ${chainId} belongs to another ledger: its genesis root is ${snapshot.genesisRoot}, ` +
        `ledger "${job.ledger.ledgerId}" has ${job.ledger.genesisRoot}. Anchoring has stopped; set REGISTRY_ADDRESS to this ledger's registry.`,
    });
    job.log(`ALARM: ${result.alarm.message}`);
    return null;
  }
  const forgotten = await forgetOtherTargets(db, target());
  if (forgotten > 0) job.log(`forgot ${forgotten} anchor records of another chain or registry; anchoring to ${registry} on chain ${chainId}`);
  return { job, target: target(), snapshot, result };
}

async function redeploy(job: AnchorJob, result: AnchorPassResult, reason: string): Promise<void> {
  const deploy = job.redeployOnDevChain;
  if (!deploy) throw new AnchorError("not_configured", `${reason}, and this job may not deploy one.`, false);
  job.log(`${reason}: deploying a new RootRegistry …`);
  const deployed = await chainStep(job, "Deploying the RootRegistry on the local chain", () => deploy(reason));
  const forgotten = await forgetChain(job.ledger.db, DEV_CHAIN_ID);
  // An alarm of the chain that is gone is moot; the new registry starts clean.
  await clearAlarm(job.ledger.db, { chainId: DEV_CHAIN_ID, registry: deployed.address });
  job.registry = getAddress(deployed.address);
  job.deployBlock = deployed.blockNumber;
  result.redeployed = deployed.address;
  const head = await readHead(job.ledger.db, job.ledger.genesisRoot);
  const history = head.height === 0 ? "" : `; ${forgotten > 0 ? "re-anchoring" : "anchoring"} the whole history (${head.height} blocks) in batches of ${job.batchSize}`;
  job.log(`RootRegistry deployed at ${job.registry}${history}`);
}
