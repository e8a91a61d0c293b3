import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { daysTheBalanceLasts } from "../../lib/server/ops-metrics";

const gwei = 1_000_000_000n;
const now = new Date("2026-11-26T12:00:00Z");
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe("how long the anchorer's balance lasts", () => {
  it("divides the balance by the recent spend per day at today's gas price", () => {
    // 7 days of anchors used 7,000,000 gas: 1,000,000 a day, at 10 gwei = 0.01 ETH a day; 1 ETH lasts 100 days.
    const days = daysTheBalanceLasts(10n ** 18n, 10n * gwei, 7_000_000, daysAgo(7), now);
    assert.ok(Math.abs(days - 100) < 1e-9, String(days));
  });

  it("is infinite without recent spend", () => {
    assert.equal(daysTheBalanceLasts(10n ** 18n, 10n * gwei, 0, null, now), Number.POSITIVE_INFINITY);
  });

  it("counts at least an hour of spend, so a first anchor does not forecast an absurd rate", () => {
    const oneMinute = daysTheBalanceLasts(10n ** 18n, 10n * gwei, 100_000, new Date(now.getTime() - 60_000), now);
    const oneHour = daysTheBalanceLasts(10n ** 18n, 10n * gwei, 100_000, new Date(now.getTime() - 3_600_000), now);
    assert.equal(oneMinute, oneHour);
  });
});
