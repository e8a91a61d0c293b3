/**
 * Reconciliation: before sending anything, the job compares the registry with the ledger and with
 * its own records, and trusts the chain.
 *
 * - A recorded anchor above the registry's latest height has vanished (a reorg, a reset chain): it is
 *   marked failed and will be sent again.
 * - Every height up to the registry's latest height that the job has not confirmed yet, plus the latest
 *   one, is compared root by root. The same root: the anchor is adopted, with its transaction found in
 *   the RootAnchored events (this is how a crash between sending and recording heals). Another root:
 *   an alarm, and the job stops anchoring to this registry.
 * - Heights on chain that the ledger never sealed: an alarm too.
 */
import { zeroHash, type Hash } from "viem";
import { readHead } from "../../ledger/head";
import { raiseAlarm } from "./alarms";
import { chainStep } from "./anchor-errors";
import type { PassState, StepOutcome } from "./anchor-pass";
import { readAnchorRows, readBlockRoots, recordAdopted, recordDropped, type AdoptedAnchor } from "./anchor-records";
import { findAnchorEvents, isUnanchored, readRoots } from "../registry/reads";
import { span } from "../../ledger/heights";

/** The reconciliation step of a pass (see the module comment). */
export async function reconcileWithChain(state: PassState): Promise<StepOutcome> {
  const { job, target, snapshot, result } = state;
  const { db } = job.ledger;
  const chainHead = snapshot.latestHeight;
  // Read the ledger after the chain: a root can only be anchored once its block is sealed, so every
  // honest root on chain at the snapshot is already in the ledger now.
  const head = await readHead(db, job.ledger.genesisRoot);
  const rows = await readAnchorRows(db, target);
  result.ledgerHead = head.height;
  result.chainHead = chainHead;

  const vanished = [...rows.values()].filter((r) => r.height > chainHead && (r.status === "confirmed" || (r.status === "sent" && r.chainBlockNumber !== null)));
  if (vanished.length > 0) {
    const heights = vanished.map((r) => r.height);
    await recordDropped(
      db,
      target,
      heights,
      `The anchor is no longer on chain: the registry's latest height fell to ${chainHead} (a reorg, or the chain was reset). It is sent again.`,
    );
    result.dropped += heights.length;
    job.log(`the anchors of blocks ${span(heights)} are no longer on chain (latest height there: ${chainHead}); sending them again`);
  }

  const top = Math.min(chainHead, head.height);
  const toVerify: number[] = [];
  for (let h = 1; h <= top; h++) if (rows.get(h)?.status !== "confirmed" || h === top) toVerify.push(h);
  const [chainRoots, ledgerRoots] = await Promise.all([
    chainStep(job, `Reading ${toVerify.length} roots from the registry`, () => readRoots(job.publicClient, target.registry, toVerify, snapshot.blockNumber)),
    readBlockRoots(db, toVerify),
  ]);
  for (const h of toVerify) {
    const onChain = chainRoots.get(h) ?? zeroHash;
    const inLedger = ledgerRoots.get(h);
    if (onChain === inLedger) continue;
    result.alarm = await raiseAlarm(db, target, {
      kind: "root_mismatch",
      height: h,
      ledgerRoot: inLedger,
      chainRoot: onChain,
      message:
        `The registry ${target.registry} on chain ${target.chainId} holds root ${onChain} at height ${h}, but the ledger's block ${h} has root ` +
        `${inLedger}. Someone anchored another history, or the ledger's database was changed. Roots are never overwritten, so anchoring to ` +
        `this registry has stopped: run \`sealbook audit --chain\`, find out which side is wrong, and anchor to a new registry if the ledger is.`,
    });
    job.log(`ALARM: ${result.alarm.message}`);
    return "stop";
  }
  if (chainHead > head.height) {
    const [beyond] = (await chainStep(job, "Reading the registry", () => readRoots(job.publicClient, target.registry, [head.height + 1], snapshot.blockNumber))).values();
    result.alarm = await raiseAlarm(db, target, {
      kind: "chain_ahead",
      height: head.height + 1,
      chainRoot: beyond,
      message:
        `The registry ${target.registry} on chain ${target.chainId} is at height ${chainHead}, but the ledger's head is block ${head.height}: ` +
        `someone anchored roots (${beyond} at ${head.height + 1}) that this ledger never sealed, or the database lost blocks. Anchoring has stopped.`,
    });
    job.log(`ALARM: ${result.alarm.message}`);
    return "stop";
  }

  const toAdopt = toVerify.filter((h) => rows.get(h)?.status !== "confirmed");
  if (toAdopt.length > 0) await adoptAnchors(state, toAdopt, chainRoots);
  return "continue";
}

/**
 * Records roots that are on chain but not confirmed in the job's records: finds their transactions in
 * the RootAnchored events, their gas in the receipts, and confirms those with enough confirmations.
 */
async function adoptAnchors(state: PassState, heights: number[], chainRoots: Map<number, Hash>): Promise<void> {
  const { job, target, snapshot, result } = state;
  const rows = await readAnchorRows(job.ledger.db, target);
  const events = await chainStep(job, "Looking up RootAnchored events", () =>
    findAnchorEvents(job.publicClient, target.registry, heights, BigInt(job.deployBlock), snapshot.blockNumber),
  );
  const receipts = new Map<Hash, { gasUsed: bigint; batchSize: number }>();
  for (const txHash of new Set([...events.values()].map((e) => e.txHash))) {
    const receipt = await chainStep(job, `Reading the receipt of ${txHash}`, () => job.publicClient.getTransactionReceipt({ hash: txHash }));
    const batchSize = receipt.logs.filter((l) => l.address.toLowerCase() === target.registry.toLowerCase()).length;
    receipts.set(txHash, { gasUsed: receipt.gasUsed, batchSize: Math.max(1, batchSize) });
  }
  const adopted: AdoptedAnchor[] = [];
  const newlyFound: number[] = [];
  for (const h of heights) {
    if (isUnanchored(chainRoots.get(h))) continue;
    const event = events.get(h);
    const receipt = event ? receipts.get(event.txHash) : undefined;
    const confirmed = event ? snapshot.blockNumber - BigInt(event.blockNumber) + 1n >= BigInt(job.confirmations) : true;
    adopted.push({
      height: h,
      txHash: event?.txHash ?? null,
      blockNumber: event?.blockNumber ?? null,
      gasUsed: receipt?.gasUsed ?? null,
      batchSize: receipt?.batchSize ?? 1,
      confirmed,
    });
    const row = rows.get(h);
    if (!row || row.txHash !== (event?.txHash ?? null)) newlyFound.push(h);
  }
  await recordAdopted(job.ledger.db, target, adopted);
  if (newlyFound.length > 0) {
    result.adopted += newlyFound.length;
    job.log(`found the roots of blocks ${span(newlyFound)} already on chain; recorded their transactions from the RootAnchored events`);
  }
}
