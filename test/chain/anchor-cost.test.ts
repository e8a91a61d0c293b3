import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, parseGwei } from "viem";
import { getAnchorerStatus } from "../../lib/admin/dashboard";
import type { ChainAccess as AdminChain } from "../../lib/chain/chain-access";
import { anchoringCostPerDay, anchoringFeePerGas, daysBalanceLasts, GAS_PER_ROOT, GAS_PER_TRANSACTION, LOW_BALANCE_DAYS } from "../../lib/chain/anchor-cost";

const cadence = { anchorIntervalSeconds: 30, sealIntervalSeconds: 30, batchSize: 32 };

/** An AdminChain whose RPC answers `balance` and `gasPrice`, with an optional fee cap. */
const fakeChain = (balance: bigint, gasPrice: bigint, maxFeePerGas: bigint | null = null) =>
  ({
    anchorer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    settings: { maxFeePerGas },
    client: { getBalance: async () => balance, getGasPrice: async () => gasPrice },
    redact: (t: string) => t,
  }) as unknown as AdminChain;

describe("anchoring cost and runway", () => {
  it("costs one transaction per block when anchoring every 30 s a ledger sealed every 30 s, and fewer with batches", () => {
    const every30 = anchoringCostPerDay(cadence, parseGwei("1"));
    assert.equal(every30.rootsPerDay, 2_880);
    assert.equal(every30.transactionsPerDay, 2_880);
    assert.equal(every30.gasPerDay, 2_880n * (GAS_PER_TRANSACTION + GAS_PER_ROOT));
    assert.equal(every30.weiPerDay, every30.gasPerDay * parseGwei("1"));
    const hourly = anchoringCostPerDay({ ...cadence, anchorIntervalSeconds: 3_600 }, parseGwei("1"));
    assert.equal(hourly.rootsPerDay, 2_880, "the same blocks");
    assert.equal(hourly.transactionsPerDay, 90, "in batches of at most 32");
    assert.ok(hourly.gasPerDay < every30.gasPerDay);
    assert.equal(anchoringCostPerDay({ ...cadence, anchorIntervalSeconds: 0 }, parseGwei("1")).weiPerDay, 0n, "anchoring off costs nothing");
  });

  it("pays the gas price, never more than the cap", () => {
    assert.equal(anchoringFeePerGas(parseGwei("30"), parseGwei("10")), parseGwei("10"));
    assert.equal(anchoringFeePerGas(parseGwei("3"), parseGwei("10")), parseGwei("3"));
    assert.equal(anchoringFeePerGas(parseGwei("3"), null), parseGwei("3"));
  });

  it("warns on days left at the current cost, not on a fixed amount", async () => {
    const perDay = anchoringCostPerDay(cadence, parseGwei("1")).weiPerDay;
    const short = await getAnchorerStatus(fakeChain(perDay * BigInt(LOW_BALANCE_DAYS - 1), parseGwei("1")), cadence);
    assert.equal(short?.low, true);
    assert.equal(Math.round(short!.daysLeft!), LOW_BALANCE_DAYS - 1);
    const enough = await getAnchorerStatus(fakeChain(perDay * BigInt(LOW_BALANCE_DAYS + 1), parseGwei("1")), cadence);
    assert.equal(enough?.low, false);
    // The same balance at a fee ten times higher lasts a tenth as long, unless the cap holds the fee down.
    const spike = await getAnchorerStatus(fakeChain(perDay * 100n, parseGwei("10")), cadence);
    assert.equal(Math.round(spike!.daysLeft!), 10);
    assert.equal(spike?.low, true);
    const capped = await getAnchorerStatus(fakeChain(perDay * 100n, parseGwei("10"), parseGwei("1")), cadence);
    assert.equal(Math.round(capped!.daysLeft!), 100);
    assert.equal(capped?.costPerDayEth, "0.151488");
    assert.equal(daysBalanceLasts(parseEther("1"), 0n), Number.POSITIVE_INFINITY);
  });
});
