/**
 * The console's jobs, through their routes: seal now, anchor now (on a real local Hardhat node) and
 * the audit with --chain, each streaming its progress and ending with its result; the dashboard and
 * the anchoring history they change.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createWalletClient, getAddress, http, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import * as anchorsRoute from "../../app/api/v1/admin/anchors/route";
import * as dashboardRoute from "../../app/api/v1/admin/dashboard/route";
import * as anchorRoute from "../../app/api/v1/admin/jobs/anchor/route";
import * as auditRoute from "../../app/api/v1/admin/jobs/audit/route";
import * as sealRoute from "../../app/api/v1/admin/jobs/seal/route";
import { chainAccess as adminChain } from "../../lib/chain/chain-access";
import { getAnchorerStatus } from "../../lib/admin/dashboard";
import { raiseAlarm } from "../../lib/chain/anchoring/alarms";
import { deployRootRegistry } from "../../lib/chain/deploy";
import { DEV_ACCOUNTS } from "../../lib/chain/dev-accounts";
import { startHardhatNode, type HardhatNode } from "../../lib/chain/hardhat-node";
import { readConfig } from "../../lib/config";
import { submitRecords } from "../../lib/ledger/ingest";
import { readHead } from "../../lib/ledger/head";
import { registerSigner } from "../../lib/ledger/signers/signers";
import { freePortIn } from "../e2e/support/portal-server";
import { drivers, skipReason } from "../support/db";
import { newKeyPair, signedRecord } from "../support/records";
import { adminEnv, call, readJobStream, type AdminEnv } from "./support/admin-env";

let node: HardhatNode | null = null;
const chainNode = async () => (node ??= await startHardhatNode({ port: await freePortIn(8900, 8999) }));
after(async () => node?.stop());

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`the console's jobs on ${driver}`, { skip: skip ?? false }, () => {
    let env: AdminEnv;
    let cookie: string;
    let privateJwk: Awaited<ReturnType<typeof newKeyPair>>["privateJwk"];
    let registry: Address;

    before(async () => {
      const chain = await chainNode();
      // The registry is deployed for the ledger "admin-test" (adminEnv's), with the dev account #0 as admin and anchorer.
      const probe = await adminEnv(driver);
      const walletClient = createWalletClient({ account: privateKeyToAccount(DEV_ACCOUNTS.adminAndAnchorer), transport: http(chain.rpcUrl), pollingInterval: 50 });
      const deployed = await deployRootRegistry({ walletClient, genesisRoot: probe.ledger.genesisRoot, anchorer: privateKeyToAccount(DEV_ACCOUNTS.adminAndAnchorer).address, receiptSigner: privateKeyToAccount(DEV_ACCOUNTS.receiptSigner).address });
      await probe.dispose();
      registry = getAddress(deployed.address);
      env = await adminEnv(driver, { config: { SEALBOOK_CHAIN: "auto", RPC_URL: chain.rpcUrl, REGISTRY_ADDRESS: registry, ANCHOR_PRIVATE_KEY: DEV_ACCOUNTS.adminAndAnchorer, CONFIRMATIONS: "1" } });
      cookie = await env.cookieFor("operator");
      const keys = await newKeyPair("EdDSA");
      privateJwk = keys.privateJwk;
      await registerSigner(env.ledger, { publicJwk: keys.publicJwk, label: "jobs test", validFrom: new Date(Date.now() - 60_000) });
    });
    after(async () => env?.dispose());

    const submit = async (count: number) => {
      const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
      const results = await submitRecords(env.ledger, await Promise.all(Array.from({ length: count }, () => signedRecord(privateJwk, head.root))));
      assert.ok(results.every((r) => r.ok));
    };

    it("seals now, telling each phase, and says so when nothing is pending", async () => {
      await submit(7);
      const response = await call(sealRoute.POST, "POST", "/api/v1/admin/jobs/seal", { cookie });
      assert.equal(response.headers.get("content-type"), "application/x-ndjson; charset=utf-8");
      const { progress, final } = await readJobStream(response);
      assert.ok(progress.some((m) => /Building the Merkle tree over 7 entries/.test(m)), progress.join("\n"));
      assert.match(progress[progress.length - 1], /^Sealed block 1: 7 entries, root 0x[0-9a-f]{64}\.$/);
      assert.equal(final.type, "result");
      assert.equal((final.result as { block: { height: number } }).block.height, 1);

      const idle = await readJobStream(await call(sealRoute.POST, "POST", "/api/v1/admin/jobs/seal", { cookie }));
      assert.deepEqual(idle.final.result, { block: null });
      assert.match(idle.progress.join("\n"), /Nothing is pending/);
    });

    it("anchors now, waits for the confirmation, and the history shows the transaction", async () => {
      await submit(3);
      await readJobStream(await call(sealRoute.POST, "POST", "/api/v1/admin/jobs/seal", { cookie }));
      const { progress, final } = await readJobStream(await call(anchorRoute.POST, "POST", "/api/v1/admin/jobs/anchor", { cookie, body: {} }));
      assert.equal(final.type, "result", JSON.stringify(final));
      const result = final.result as { outcome: string; anchoredHeight: number; sent: Array<{ txHash: string; gasUsed: string }> };
      assert.equal(result.anchoredHeight, 2);
      assert.ok(result.sent.length >= 1 && /^\d+$/.test(result.sent[0].gasUsed));
      assert.match(progress.join("\n"), /Anchored and confirmed up to block 2 of 2/);

      const history = (await (await call(anchorsRoute.GET, "GET", "/api/v1/admin/anchors", { cookie })).json()) as {
        alarm: unknown;
        anchors: Array<{ height: number; status: string; txHash: string; gasUsed: number; attempts: number; txUrl: string | null }>;
      };
      assert.equal(history.alarm, null);
      assert.deepEqual(history.anchors.map((a) => [a.height, a.status]), [[2, "confirmed"], [1, "confirmed"]]);
      assert.ok(history.anchors.every((a) => /^0x[0-9a-f]{64}$/.test(a.txHash) && a.gasUsed > 21_000 && a.attempts === 1));
      assert.equal(history.anchors[0].txUrl, null, "a local chain has no explorer");

      const dashboard = (await (await call(dashboardRoute.GET, "GET", "/api/v1/admin/dashboard", { cookie })).json()) as {
        ledger: { head: { height: number }; pendingCount: number };
        anchoring: { anchoredHeight: number; lag: number };
        chain: { registry: string };
        anchorer: { address: string; low: boolean; balanceEth: string };
      };
      assert.equal(dashboard.ledger.head.height, 2);
      assert.deepEqual([dashboard.anchoring.anchoredHeight, dashboard.anchoring.lag], [2, 0]);
      assert.equal(dashboard.chain.registry, registry);
      assert.equal(dashboard.anchorer.address, privateKeyToAccount(DEV_ACCOUNTS.adminAndAnchorer).address);
      assert.equal(dashboard.anchorer.low, false);
    });

    it("stops at an active alarm, and anchors again once an operator asks to re-check it", async () => {
      await submit(2);
      await readJobStream(await call(sealRoute.POST, "POST", "/api/v1/admin/jobs/seal", { cookie }));
      const chainId = await (await adminChain(readConfig({ RPC_URL: (await chainNode()).rpcUrl }))!)!.client.getChainId();
      await raiseAlarm(env.ledger.db, { chainId, registry }, { kind: "root_mismatch", height: 1, message: "A test alarm." });
      const stopped = await readJobStream(await call(anchorRoute.POST, "POST", "/api/v1/admin/jobs/anchor", { cookie, body: {} }));
      assert.equal((stopped.final.result as { outcome: string }).outcome, "alarm");
      assert.match(stopped.progress.join("\n"), /ALARM \(root_mismatch\): A test alarm\. Nothing was anchored\./);
      const history = (await (await call(anchorsRoute.GET, "GET", "/api/v1/admin/anchors", { cookie })).json()) as { alarm: { kind: string } | null };
      assert.equal(history.alarm?.kind, "root_mismatch");

      const rechecked = await readJobStream(await call(anchorRoute.POST, "POST", "/api/v1/admin/jobs/anchor", { cookie, body: { recheckAlarm: true } }));
      assert.match(rechecked.progress[0], /Cleared alarm #\d+ \(root_mismatch\)/);
      assert.equal((rechecked.final.result as { anchoredHeight: number }).anchoredHeight, 3);
    });

    it("audits with --chain, comparing every root with the registry", async () => {
      const auditor = await env.cookieFor("auditor");
      const { progress, final } = await readJobStream(await call(auditRoute.POST, "POST", "/api/v1/admin/jobs/audit", { cookie: auditor, body: { chain: true } }));
      assert.equal(final.type, "result");
      const report = final.result as { ok: boolean; head: number; findings: unknown[]; chain: { compared: boolean; registry: string } };
      assert.equal(report.ok, true, JSON.stringify(report.findings));
      assert.equal(report.head, 3);
      assert.equal(report.chain.compared, true);
      assert.match(progress.join("\n"), /Comparing every block root with the registry/);
      assert.match(progress[progress.length - 1], /No findings/);
    });

    it("warns when the anchoring account's balance lasts fewer days than the warning threshold at the current cadence and fee", async () => {
      const chain = await adminChain(readConfig({ RPC_URL: (await chainNode()).rpcUrl, REGISTRY_ADDRESS: registry, ANCHOR_PRIVATE_KEY: generatePrivateKey() }));
      const status = await getAnchorerStatus(chain!, { anchorIntervalSeconds: 30, sealIntervalSeconds: 30, batchSize: 32 });
      assert.equal(status?.balanceWei, "0");
      assert.equal(status?.low, true);
    });

    it("ends the stream with the reason when anchoring is not possible", async () => {
      const off = await adminEnv(driver, { config: { SEALBOOK_CHAIN: "off" } });
      try {
        const { final } = await readJobStream(await call(anchorRoute.POST, "POST", "/api/v1/admin/jobs/anchor", { cookie: await off.cookieFor("admin"), body: {} }));
        assert.equal(final.type, "error");
        assert.equal(final.code, "invalid_request");
        assert.match(String(final.message), /Chain services are off/);
      } finally {
        await off.dispose();
      }
    });
  });
}
