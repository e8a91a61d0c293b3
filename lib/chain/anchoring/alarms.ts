/**
 * Chain alarms: the chain disagrees with the ledger, so the anchoring job stops for that registry and
 * says why. Persisted in `chain_alarms` so that the API, the portal and `sealbook chain status` show
 * them; at most one is active per chain and registry.
 */
import type { Address, Hash } from "viem";
import { queryRows, sql, type Database } from "../../../db/client";
import type { AnchorTarget } from "./anchor-records";

export type ChainAlarmKind =
  /** The registry holds another root than the ledger's at a height. */
  | "root_mismatch"
  /** The registry holds heights the ledger never sealed. */
  | "chain_ahead"
  /** There is no registry at the address (on a chain other than the local dev chain). */
  | "registry_missing"
  /** The registry belongs to another ledger (another genesis root). */
  | "genesis_mismatch";

export interface ChainAlarm {
  id: number;
  chainId: number;
  registry: Address;
  kind: ChainAlarmKind;
  height: number | null;
  ledgerRoot: Hash | null;
  chainRoot: Hash | null;
  message: string;
  raisedAt: Date;
}

type RawAlarm = {
  id: number;
  chain_id: number;
  registry: string;
  kind: ChainAlarmKind;
  height: number | null;
  ledger_root: string | null;
  chain_root: string | null;
  message: string;
  raised_at: Date | string;
};

function toAlarm(r: RawAlarm): ChainAlarm {
  return {
    id: Number(r.id),
    chainId: Number(r.chain_id),
    registry: r.registry as Address,
    kind: r.kind,
    height: r.height === null ? null : Number(r.height),
    ledgerRoot: (r.ledger_root as Hash | null) ?? null,
    chainRoot: (r.chain_root as Hash | null) ?? null,
    message: r.message,
    raisedAt: new Date(r.raised_at),
  };
}

const alarmColumns = sql`id, chain_id, registry, kind, height, ledger_root, chain_root, message, raised_at`;

/**
 * Raises an alarm for `target`, unless one is already active there (the first one stands: it is the
 * earliest disagreement). Returns the active alarm.
 */
export async function raiseAlarm(
  db: Database,
  target: AnchorTarget,
  alarm: { kind: ChainAlarmKind; height?: number; ledgerRoot?: Hash; chainRoot?: Hash; message: string },
): Promise<ChainAlarm> {
  await db.execute(
    sql`insert into chain_alarms (chain_id, registry, kind, height, ledger_root, chain_root, message)
        values (${target.chainId}, ${target.registry}, ${alarm.kind}, ${alarm.height ?? null}, ${alarm.ledgerRoot ?? null},
                ${alarm.chainRoot ?? null}, ${alarm.message})
        on conflict (chain_id, registry) where cleared_at is null do nothing`,
  );
  const active = await activeAlarm(db, target);
  if (!active) throw new Error(`The alarm for registry ${target.registry} on chain ${target.chainId} was not stored.`);
  return active;
}

/** The active alarm of `target`, or null. */
export async function activeAlarm(db: Database, target: AnchorTarget): Promise<ChainAlarm | null> {
  const rows = await queryRows<RawAlarm>(
    db,
    sql`select ${alarmColumns} from chain_alarms where chain_id = ${target.chainId} and registry = ${target.registry} and cleared_at is null`,
  );
  return rows[0] ? toAlarm(rows[0]) : null;
}

/** The most recent active alarm of any target, or null: what status pages show. */
export async function latestActiveAlarm(db: Database): Promise<ChainAlarm | null> {
  const rows = await queryRows<RawAlarm>(db, sql`select ${alarmColumns} from chain_alarms where cleared_at is null order by raised_at desc, id desc limit 1`);
  return rows[0] ? toAlarm(rows[0]) : null;
}

/**
 * Clears the active alarm of `target` (an operator checked the chain; the next pass raises it again
 * if the disagreement is still there). Returns the cleared alarm, or null when there was none.
 */
export async function clearAlarm(db: Database, target: AnchorTarget): Promise<ChainAlarm | null> {
  const rows = await queryRows<RawAlarm>(
    db,
    sql`update chain_alarms set cleared_at = now() where chain_id = ${target.chainId} and registry = ${target.registry} and cleared_at is null
        returning ${alarmColumns}`,
  );
  return rows[0] ? toAlarm(rows[0]) : null;
}
