/**
 * The portal's /status: the monitor's checks run by the portal against its own public API (here
 * the route handlers behind a local HTTP server) and its own chain, cached briefly, rendered in
 * plain words.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { renderToStaticMarkup } from "react-dom/server";
import { installChainInfo } from "../../lib/chain/chain-info";
import { readConfig, type SealbookConfig } from "../../lib/config";
import { getSelfCheck } from "../../lib/watchdog/self-check";
import { NextIntlClientProvider } from "next-intl";
import { createElement } from "react";
import { StatusReport } from "../../components/status/status-report";
import { loadMessages } from "../../lib/portal/i18n/messages";
import { startTestChain, type TestChain } from "../support/chain";
import { skipReason } from "../support/db";
import { startPortal, watchdogPort, type TestServer } from "./support/portal";
import { ledgerScenario, type Scenario } from "./support/scenario";

const skip = await skipReason("postgres");

/** The status page's body in English, inside the texts provider the portal's layout gives it. */
async function renderStatus(): Promise<string> {
  const body = await StatusReport({ locale: "en" });
  return renderToStaticMarkup(createElement(NextIntlClientProvider, { locale: "en", messages: await loadMessages("en"), timeZone: "UTC", children: body }));
}

describe("the portal's consistency status", { skip: skip ?? false }, () => {
  let chain: TestChain;
  let portal: TestServer;
  let s: Scenario;
  // Five minutes ahead of the wall clock: the page, which asks with the real time, finds the answer fresh.
  let clock = Date.now() + 300_000;
  const now = () => new Date(clock);
  // The scenario's configuration, already parsed (parsing it again would read X509_SIGNING_PURPOSES, a list now, as text).
  const config = (): SealbookConfig => ({ ...s.config, PORT: Number(new URL(portal.url).port), RPC_URL: chain.rpcUrl });

  before(async () => {
    chain = await startTestChain({ port: await watchdogPort() });
    portal = await startPortal();
    s = await ledgerScenario(chain);
    await s.seal(1, 3);
    await s.seal(1, 2);
    await s.anchor();
  });
  after(async () => {
    await s?.db.dispose();
    await portal?.close();
    await chain?.stop();
  });

  it("says the ledger is consistent, since when, and keeps the answer for 30 seconds", async () => {
    const first = await getSelfCheck(config(), now);
    assert.equal(first.outcome, "consistent", JSON.stringify(first));
    assert.equal(first.summary?.knownBlocks, 2);
    assert.equal(first.consistentSince?.getTime(), clock);
    assert.deepEqual(first.chain, { chainId: 31337, registry: s.registry });
    clock += 10_000;
    assert.equal(await getSelfCheck(config(), now), first, "cached");
    await s.seal(1, 1);
    clock += 25_000;
    const next = await getSelfCheck(config(), now);
    assert.notEqual(next, first);
    assert.equal(next.outcome, "consistent");
    assert.equal(next.summary?.knownBlocks, 3);
    assert.equal(next.consistentSince?.getTime(), first.consistentSince?.getTime(), "still consistent since the first check");
  });

  it("renders the verdict in plain words", async () => {
    const html = await renderStatus();
    assert.match(html, /data-outcome="consistent"/);
    assert.match(html, /Consistent since/);
    assert.match(html, /sealbook -- monitor --portal/);
  });

  it("names the block rewritten since it was checked", async () => {
    await s.rewriteBlock(3);
    clock += 31_000;
    const check = await getSelfCheck(config(), now);
    assert.equal(check.outcome, "findings");
    assert.deepEqual(check.findings.map((f) => `${f.kind}@${f.height}`), ["block_changed@3"]);
    assert.equal(check.consistentSince, null);
    const html = await renderStatus();
    assert.match(html, /data-kind="block_changed"/);
    assert.match(html, /Problem found/);
  });

  it("says there is nothing to check against when the ledger has no chain", async () => {
    installChainInfo({ chainId: null, registry: null, rpcUrl: null });
    clock += 31_000;
    const check = await getSelfCheck(readConfig({ LEDGER_ID: s.ledger.ledgerId, SEALBOOK_CHAIN: "off" }), now);
    assert.equal(check.outcome, "not_configured");
    assert.match(check.reason ?? "", /not anchored on a blockchain/);
  });
});
