import type { Address } from "viem";
import { queryRows, sql } from "../../../db/client";
import type { LedgerContext } from "../../ledger/context";
import { readHead } from "../../ledger/head";
import { latestActiveAlarm, type ChainAlarm } from "./alarms";
import { currentAnchorLoopState } from "./anchor-loop";

/** How far anchoring has got, and what stops it: what the portal and the API show. */
export interface AnchoringState {
  /** The chain and registry of the latest anchor record (null before the first one). */
  chainId: number | null;
  registry: Address | null;
  ledgerHead: number;
  /** The highest block whose root is anchored and confirmed. */
  anchoredHeight: number;
  /** Sealed blocks not anchored and confirmed yet: `ledgerHead - anchoredHeight`. */
  lag: number;
  /** Blocks sent or mined but not confirmed yet. */
  inFlight: number;
  /** The latest anchoring error still standing (from this process's loop or the database), or null. */
  lastError: { message: string; height: number | null; at: Date } | null;
  /** The active chain alarm: anchoring is stopped until it is resolved. */
  alarm: ChainAlarm | null;
  /** This process's anchoring loop, when it runs one. */
  loop: { running: boolean; lastPassAt: Date | null; nextPassAt: Date | null; consecutiveFailures: number } | null;
}

/**
 * Reads the anchoring state from the database (and this process's anchoring loop, if any). Makes no
 * RPC call, so a page can call it on every request.
 */
export async function getAnchoringState(ctx: LedgerContext): Promise<AnchoringState> {
  const head = await readHead(ctx.db, ctx.genesisRoot);
  const [summary] = await queryRows<{ anchored: number | null; in_flight: string | number; chain_id: number | null; registry: string | null }>(
    ctx.db,
    sql`select (select max(height) from anchors where status = 'confirmed') as anchored,
               (select count(*) from anchors where status = 'sent') as in_flight,
               (select chain_id from anchors order by updated_at desc, height desc limit 1) as chain_id,
               (select registry from anchors order by updated_at desc, height desc limit 1) as registry`,
  );
  const [failed] = await queryRows<{ height: number; last_error: string; updated_at: Date | string }>(
    ctx.db,
    sql`select height, last_error, updated_at from anchors where status <> 'confirmed' and last_error is not null
        order by updated_at desc, height limit 1`,
  );
  const alarm = await latestActiveAlarm(ctx.db);
  const loop = currentAnchorLoopState();
  const anchoredHeight = Number(summary?.anchored ?? 0);
  let lastError: AnchoringState["lastError"] = failed ? { message: failed.last_error, height: Number(failed.height), at: new Date(failed.updated_at) } : null;
  if (loop?.lastError && (!lastError || loop.lastError.at > lastError.at)) lastError = { message: loop.lastError.message, height: null, at: loop.lastError.at };
  return {
    chainId: summary?.chain_id === null || summary?.chain_id === undefined ? null : Number(summary.chain_id),
    registry: (summary?.registry as Address | null) ?? null,
    ledgerHead: head.height,
    anchoredHeight,
    lag: Math.max(0, head.height - anchoredHeight),
    inFlight: Number(summary?.in_flight ?? 0),
    lastError,
    alarm,
    loop: loop ? { running: loop.running, lastPassAt: loop.lastPassAt, nextPassAt: loop.nextPassAt, consecutiveFailures: loop.consecutiveFailures } : null,
  };
}
