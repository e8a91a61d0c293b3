/**
 * The embedded default of `npm start`: with no RPC_URL, a local Hardhat node, a registry deployed
 * with the dev accounts, and the job in the same process. That chain forgets everything when it
 * stops: on restart the registry is redeployed and the whole history re-anchored in batches. On any
 * other chain a missing registry is an alarm, never a redeploy.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { createPublicClient, http, type Address } from "viem";
import { anchorSealedBlocks } from "../../lib/chain/anchoring/anchor-job";
import { getAnchoringState } from "../../lib/chain/anchoring/anchoring-state";
import { startChainServices } from "../../lib/chain/chain-services";
import { readLocalChainRecord } from "../../lib/chain/local-chain-file";
import { resolveChainSettings } from "../../lib/chain/settings";
import { readConfig } from "../../lib/config";
import type { LedgerContext } from "../../lib/ledger/context";
import { listBlockEntries } from "../../lib/ledger/reads";
import { api, useLedgerForRoutes } from "../support/api";
import { freePort, startTestChain } from "../support/chain";
import { anchorEvents, anchoringEnv, assertChainAndLedgerAgree } from "../support/anchoring";
import { skipReason } from "../support/db";
import { addSealedBlock, ledgerWithSigner } from "../support/ledger";

async function eventually(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const anchoredHeight = async (ledger: LedgerContext) => (await getAnchoringState(ledger)).anchoredHeight;

const skipPostgres = await skipReason("postgres");

describe("the embedded local chain", () => {
  it("starts a node, deploys and anchors; after the node restarts empty it redeploys on 31337 and re-anchors the whole history in batches", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "sealbook-embedded-"));
    const port = await freePort();
    const env = await ledgerWithSigner("pglite");
    const config = readConfig({ LEDGER_ID: env.ledger.ledgerId, SEALBOOK_DATA_DIR: dataDir, HARDHAT_PORT: String(port), ANCHOR_INTERVAL_SECONDS: "1" });
    const runtime = { config, handle: env.db, ledger: env.ledger };
    const lines: string[] = [];
    const start = () => startChainServices(runtime, (l) => lines.push(l), { pollingIntervalMs: 50, minBackoffMs: 100, maxBackoffMs: 500 });
    let services = await start();
    try {
      for (let i = 0; i < 40; i++) await addSealedBlock(env.ledger, env.privateJwk, 1);
      await eventually(async () => (await anchoredHeight(env.ledger)) === 40, 60_000, "the 40 blocks are anchored");
      const first = await readLocalChainRecord(dataDir);
      assert.equal(first?.chainId, 31337);
      assert.ok(lines.some((l) => l.startsWith(`local chain: Hardhat node at http://127.0.0.1:${port}`)), lines.join("\n"));
      assert.ok(lines.some((l) => /no RootRegistry is deployed yet on the local chain 31337: deploying a new RootRegistry/.test(l)), lines.join("\n"));
      const client = createPublicClient({ transport: http(`http://127.0.0.1:${port}`) });
      await assertChainAndLedgerAgree({ client }, first!.registry, env.ledger);

      // The API tells browsers where to check, and proofs carry their anchor.
      useLedgerForRoutes(env.db, env.ledger);
      const ledgerJson = await (await api.ledger()).json();
      assert.deepEqual([ledgerJson.chainId, ledgerJson.registry, ledgerJson.rpcUrl, ledgerJson.anchoredHeight], [31337, first!.registry, `http://127.0.0.1:${port}`, 40]);
      const { entries } = await listBlockEntries(env.ledger, 7);
      const bundle = await (await api.proof(entries[0].entryHash)).json();
      assert.equal(bundle.anchor.registry, first!.registry);
      assert.equal(bundle.anchor.chainId, 31337);

      const pid = services.node!.pid;
      await services.stop();
      assert.throws(() => process.kill(pid, 0), "the node is gone once the services stop");

      for (let i = 0; i < 2; i++) await addSealedBlock(env.ledger, env.privateJwk, 1);
      lines.length = 0;
      services = await start();
      await eventually(async () => (await anchoredHeight(env.ledger)) === 42, 60_000, "the whole history is anchored again");
      const second = await readLocalChainRecord(dataDir);
      assert.ok(lines.some((l) => l.includes(`there is no contract at ${first!.registry} on the local chain 31337: it restarted empty: deploying a new RootRegistry`)), lines.join("\n"));
      assert.ok(lines.some((l) => l.includes("re-anchoring the whole history (42 blocks) in batches of 32")), lines.join("\n"));
      const events = await anchorEvents({ client }, second!.registry);
      assert.equal(new Set(events.map((e) => e.txHash)).size, 2, "42 blocks in two transactions: 32 + 10");
      await assertChainAndLedgerAgree({ client }, second!.registry, env.ledger);
    } finally {
      await services.stop();
      await env.db.dispose();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("starts nothing with SEALBOOK_CHAIN=off, and browsers get NEXT_PUBLIC_RPC_URL, never RPC_URL", async () => {
    const services = await startChainServices(
      { config: readConfig({ SEALBOOK_CHAIN: "off" }), handle: null as never, ledger: null as never },
      () => {},
    );
    assert.equal(services.node, null);
    assert.equal(services.loop, null);
    const settings = await resolveChainSettings(readConfig({ RPC_URL: "http://rpc.internal:8545", NEXT_PUBLIC_RPC_URL: "https://rpc.example", REGISTRY_ADDRESS: "0x5fbdb2315678afecb367f032d93f642f64180aa3" }));
    assert.deepEqual([settings.rpcUrl, settings.publicRpcUrl, settings.registry, settings.embedded], ["http://rpc.internal:8545", "https://rpc.example", "0x5FbDB2315678afecb367f032d93F642f64180aa3", false]);
    assert.equal((await resolveChainSettings(readConfig({ RPC_URL: "http://rpc.internal:8545" }))).publicRpcUrl, null);
  });

  it("on another chain, a registry that is missing raises an alarm and is never redeployed", { skip: skipPostgres ?? false }, async () => {
    const chain = await startTestChain({ chainId: 1337 });
    const env = await anchoringEnv("postgres", chain);
    try {
      assert.equal(await chain.client.getChainId(), 1337);
      await env.seal(1);
      const missing: Address = "0x000000000000000000000000000000000000dEaD";
      let redeployed = 0;
      const job = env.newJob({
        registry: missing,
        redeployOnDevChain: async () => {
          redeployed++;
          return chain.deployRegistry(env.ledger.genesisRoot);
        },
      });
      const pass = await anchorSealedBlocks(job);
      assert.equal(pass.alarm?.kind, "registry_missing");
      assert.match(pass.alarm!.message, /no contract at 0x000000000000000000000000000000000000dEaD on chain 1337/);
      assert.equal(redeployed, 0);
      assert.equal((await anchorSealedBlocks(job)).outcome, "alarm");
      assert.equal(redeployed, 0);
    } finally {
      await env.db.dispose();
      await chain.stop();
    }
  });
});
