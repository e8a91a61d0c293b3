import type { Address, Hash, PublicClient } from "viem";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { auditLedger, type AuditFinding, type AuditOptions, type AuditReport } from "../ledger/audit";
import type { LedgerContext } from "../ledger/context";
import { toAnchorError } from "./anchoring/anchor-errors";
import { readRegistrySnapshot, readRoots, isUnanchored, type RegistrySnapshot } from "./registry/reads";

export interface ChainRootCheckerOptions {
  client: PublicClient;
  registry: Address;
  /** Heights the database records as anchored and confirmed: one missing on chain is a finding too. */
  anchoredHeights?: ReadonlySet<number>;
  redact?: (text: string) => string;
}

/** The `checkRoot` hook of `auditLedger`, and what it saw of the registry. */
export interface ChainRootChecker {
  checkRoot(height: number, root: Hash): Promise<AuditFinding | null>;
  /** Findings about the registry as a whole, once the blocks are checked: heights the ledger never sealed. */
  finish(ledgerHead: number): Promise<AuditFinding[]>;
  /** The registry's latest height at the audit's chain block, once read (null if unreachable). */
  latestHeight(): number | null;
}

const PREFETCH = 256;

/**
 * Builds the chain side of `sealbook audit --chain`: every block root is compared with
 * `rootOf(height)` on the registry, all read at one chain block, a few hundred heights per batch of
 * JSON-RPC calls. A different root is a `chain_root_mismatch`; so is a block recorded as anchored
 * that the registry does not hold. A height not anchored yet is no finding. When the RPC fails, one
 * `chain_unreachable` finding is reported and the chain is not asked again.
 */
export function chainRootChecker(options: ChainRootCheckerOptions): ChainRootChecker {
  const redact = options.redact ?? ((t: string) => t);
  const { client, registry } = options;
  let snapshot: RegistrySnapshot | null = null;
  let failed = false;
  let cache = new Map<number, Hash>();

  const unreachable = (error: unknown, height?: number): AuditFinding => {
    failed = true;
    const message = toAnchorError(error, `Comparing the roots with the registry ${registry}`, redact).message;
    return { code: "chain_unreachable", height, message: `${message} The roots were not compared with the chain.` };
  };

  return {
    latestHeight: () => snapshot?.latestHeight ?? null,
    async checkRoot(height, root) {
      if (failed) return null;
      try {
        snapshot ??= await readRegistrySnapshot(client, registry);
        if (!snapshot.deployed) {
          failed = true;
          return { code: "chain_unreachable", message: `There is no contract at ${registry}: the roots were not compared with the chain. Check RPC_URL and REGISTRY_ADDRESS.` };
        }
        if (!cache.has(height)) {
          const heights = Array.from({ length: PREFETCH }, (_, i) => height + i).filter((h) => h <= Math.max(height, snapshot!.latestHeight));
          cache = await readRoots(client, registry, heights, snapshot.blockNumber);
        }
      } catch (error) {
        return unreachable(error, height);
      }
      const onChain = cache.get(height);
      if (isUnanchored(onChain)) {
        if (!options.anchoredHeights?.has(height)) return null;
        return {
          code: "chain_root_mismatch",
          height,
          message: `Block ${height} is recorded as anchored, but the registry ${registry} holds no root at ${height} (latest height ${snapshot.latestHeight}): the anchor was lost (a reorg, a reset chain) and must be sent again.`,
        };
      }
      if (onChain === root) return null;
      return {
        code: "chain_root_mismatch",
        height,
        message: `Block ${height}: the registry ${registry} holds root ${onChain}, but the ledger's block has root ${root}. One of them was rewritten.`,
      };
    },
    async finish(ledgerHead) {
      if (failed) return [];
      try {
        snapshot ??= await readRegistrySnapshot(client, registry);
      } catch (error) {
        return [unreachable(error)];
      }
      if (!snapshot.deployed) return [{ code: "chain_unreachable", message: `There is no contract at ${registry}: the roots were not compared with the chain.` }];
      if (snapshot.latestHeight <= ledgerHead) return [];
      return [
        {
          code: "chain_root_mismatch",
          height: ledgerHead + 1,
          message: `The registry ${registry} is at height ${snapshot.latestHeight}, beyond the ledger's head ${ledgerHead}: it holds roots this ledger never sealed.`,
        },
      ];
    },
  };
}

/**
 * `sealbook audit --chain`: audits the ledger and compares every block root with the registry's,
 * counting as findings the blocks recorded as anchored that the registry lacks and the heights it
 * holds beyond the ledger's head. One report, `ok` only when both sides are clean.
 */
export async function auditWithChain(
  ledger: LedgerContext,
  options: { client: PublicClient; registry: Address; redact?: (text: string) => string; onProgress?: AuditOptions["onProgress"] },
): Promise<AuditReport> {
  const anchored = await queryRows<{ height: number }>(ledger.db, sql`select height from anchors where status = 'confirmed' and registry = ${options.registry}`);
  const checker = chainRootChecker({ client: options.client, registry: options.registry, anchoredHeights: new Set(anchored.map((r) => Number(r.height))), redact: options.redact });
  const audited = await auditLedger(ledger, { checkRoot: checker.checkRoot, onProgress: options.onProgress });
  const extra = await checker.finish(audited.head);
  return { ...audited, findings: [...audited.findings, ...extra], ok: audited.ok && extra.length === 0 };
}
