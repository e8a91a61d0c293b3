/**
 * Shared setup of the anchoring tests: a ledger on a driver, a registry on a test chain, job
 * factories, and the end-of-test check that the chain and the database agree. Not a test file.
 */
import assert from "node:assert/strict";
import type { Address, Hash } from "viem";
import { queryRows, sql } from "../../db/client";
import { rootRegistryAbi } from "../../lib/chain/registry/abi";
import { createAnchorJob, type AnchorJob, type AnchorJobOptions } from "../../lib/chain/anchoring/anchor-job";
import type { LedgerContext } from "../../lib/ledger/context";
import { readHead } from "../../lib/ledger/head";
import { bytesToHex } from "../../lib/protocol/hex";
import { DEV_KEYS, type TestChain } from "./chain";
import type { Driver } from "./db";
import { addSealedBlock, ledgerWithSigner } from "./ledger";

export type AnchoringEnv = Awaited<ReturnType<typeof anchoringEnv>>;

/** A fresh ledger on `driver` and a fresh registry for it on `chain`; `lines` collects every job log line. */
export async function anchoringEnv(driver: Driver, chain: TestChain) {
  const base = await ledgerWithSigner(driver);
  const { address: registry, blockNumber: deployBlock } = await chain.deployRegistry(base.ledger.genesisRoot);
  const lines: string[] = [];
  const newJob = (overrides: Partial<AnchorJobOptions> = {}, ledger: LedgerContext = base.ledger): AnchorJob =>
    createAnchorJob({
      ledger,
      rpcUrl: chain.rpcUrl,
      registry,
      anchorPrivateKey: DEV_KEYS.anchorer,
      deployBlock,
      rpc: { pollingIntervalMs: 50, timeoutMs: 3_000 },
      receiptTimeoutMs: 10_000,
      log: (line) => lines.push(line),
      ...overrides,
    });
  const seal = async (blocks: number, entriesEach = 1) => {
    for (let i = 0; i < blocks; i++) await addSealedBlock(base.ledger, base.privateJwk, entriesEach);
  };
  return { ...base, registry, deployBlock, lines, newJob, seal };
}

export type AnchorRowForTest = {
  height: number;
  status: string;
  tx_hash: string | null;
  chain_block_number: number | null;
  gas_used: number | null;
  attempts: number;
  last_error: string | null;
  batch_size: number;
};

/** The anchors rows, by height. */
export async function anchorRows(ledger: LedgerContext): Promise<AnchorRowForTest[]> {
  const rows = await queryRows<AnchorRowForTest>(
    ledger.db,
    sql`select height, status, tx_hash, chain_block_number, gas_used, attempts, last_error, batch_size from anchors order by height`,
  );
  return rows.map((r) => ({ ...r, height: Number(r.height), chain_block_number: r.chain_block_number === null ? null : Number(r.chain_block_number), gas_used: r.gas_used === null ? null : Number(r.gas_used) }));
}

/** Every RootAnchored event of the registry, in chain order. */
export async function anchorEvents(chain: Pick<TestChain, "client">, registry: Address) {
  const logs = await chain.client.getContractEvents({ address: registry, abi: rootRegistryAbi, eventName: "RootAnchored", fromBlock: 0n, strict: true });
  return logs.map((l) => ({ height: Number(l.args.height), root: l.args.root as Hash, txHash: l.transactionHash as Hash, blockNumber: Number(l.blockNumber) }));
}

/**
 * The invariant every fault test ends with: the registry holds exactly the ledger's roots 1..head,
 * each anchored by exactly one event (no gap, no duplicate), and every block has a confirmed anchors
 * row naming the transaction and chain block of that event.
 */
export async function assertChainAndLedgerAgree(chain: Pick<TestChain, "client">, registry: Address, ledger: LedgerContext): Promise<void> {
  const head = await readHead(ledger.db, ledger.genesisRoot);
  const latest = await chain.client.readContract({ address: registry, abi: rootRegistryAbi, functionName: "latestHeight" });
  assert.equal(Number(latest), head.height, "the registry's latest height is the ledger's head");
  const blocks = await queryRows<{ height: number; root: Uint8Array }>(ledger.db, sql`select height, root from blocks order by height`);
  const events = await anchorEvents(chain, registry);
  assert.equal(events.length, head.height, "one RootAnchored event per block: no duplicate");
  const rows = new Map((await anchorRows(ledger)).map((r) => [r.height, r]));
  for (const b of blocks) {
    const h = Number(b.height);
    const root = bytesToHex(b.root);
    const onChain = await chain.client.readContract({ address: registry, abi: rootRegistryAbi, functionName: "rootOf", args: [BigInt(h)] });
    assert.equal(onChain, root, `rootOf(${h}) is the ledger's root`);
    const event = events.find((e) => e.height === h);
    assert.ok(event, `block ${h} has its RootAnchored event`);
    const row = rows.get(h);
    assert.ok(row, `block ${h} has an anchors row`);
    assert.equal(row.status, "confirmed", `block ${h} is confirmed`);
    assert.equal(row.tx_hash, event.txHash, `block ${h}'s row names the transaction of its event`);
    assert.equal(row.chain_block_number, event.blockNumber, `block ${h}'s row names the chain block of its event`);
    assert.ok((row.gas_used ?? 0) > 0, `block ${h}'s row has the gas used`);
  }
  assert.equal(rows.size, head.height, "no anchors row beyond the head");
}

/** Asserts that no text contains the private key, in any case, with or without `0x`. */
export function assertNoKeyIn(texts: (string | null | undefined)[], key: string): void {
  const bare = key.replace(/^0x/i, "").toLowerCase();
  for (const text of texts) {
    if (!text) continue;
    assert.ok(!text.toLowerCase().includes(bare), `a message contains the private key: ${text.slice(0, 80)}…`);
  }
}

/** Every text an anchoring run produced: log lines, anchors rows' errors, alarm messages. */
export async function anchoringTexts(ledger: LedgerContext, lines: string[], errors: unknown[] = []): Promise<string[]> {
  const rows = await queryRows<{ last_error: string | null }>(ledger.db, sql`select last_error from anchors`);
  const alarms = await queryRows<{ message: string }>(ledger.db, sql`select message from chain_alarms`);
  const errorTexts = errors.flatMap((e) => (e instanceof Error ? [e.message, String(e.stack), JSON.stringify(e, Object.getOwnPropertyNames(e))] : [String(e)]));
  return [...lines, ...rows.map((r) => r.last_error), ...alarms.map((a) => a.message), ...errorTexts].filter((t): t is string => !!t);
}
