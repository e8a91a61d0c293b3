import { formatEther, type Address } from "viem";
import { activeAlarm, type ChainAlarm } from "../../lib/chain/anchoring/alarms";
import { toAnchorError } from "../../lib/chain/anchoring/anchor-errors";
import { getAnchoringState } from "../../lib/chain/anchoring/anchoring-state";
import { ANCHORER_ROLE, hasRegistryRole, readRegistrySnapshot } from "../../lib/chain/registry/reads";
import type { Command } from "../cli-kit";
import { cliChain } from "./chain-context";
import { withLedger } from "./with-ledger";
import { commandSpec } from "./specs";

export const chainStatus: Command = {
  ...commandSpec("chain status"),
  async run({ values }) {
    const status = await withLedger(async (ledger, runtime) => {
      const chain = await cliChain(runtime.config);
      const local = await getAnchoringState(ledger);
      const registry = chain.settings.registry;
      const onChain: {
        reachable: boolean;
        error: string | null;
        chainId: number | null;
        deployed: boolean | null;
        latestHeight: number | null;
        anchorerBalanceWei: string | null;
        anchorerHasRole: boolean | null;
      } = { reachable: false, error: null, chainId: null, deployed: null, latestHeight: null, anchorerBalanceWei: null, anchorerHasRole: null };
      let alarm: ChainAlarm | null = local.alarm;
      try {
        onChain.chainId = await chain.client.getChainId();
        onChain.reachable = true;
        if (chain.anchorer) onChain.anchorerBalanceWei = (await chain.client.getBalance({ address: chain.anchorer })).toString();
        if (registry) {
          const snapshot = await readRegistrySnapshot(chain.client, registry);
          onChain.deployed = snapshot.deployed;
          onChain.latestHeight = snapshot.deployed ? snapshot.latestHeight : null;
          if (snapshot.deployed && chain.anchorer) {
            onChain.anchorerHasRole = await hasRegistryRole(chain.client, registry, ANCHORER_ROLE, chain.anchorer);
          }
          alarm = (await activeAlarm(ledger.db, { chainId: onChain.chainId, registry })) ?? alarm;
        }
      } catch (error) {
        onChain.error = toAnchorError(error, "Reading the chain", chain.redact).message;
      }
      return {
        rpcUrl: chain.redact(chain.settings.rpcUrl),
        embedded: chain.settings.embedded,
        chainId: onChain.chainId ?? chain.settings.chainId ?? local.chainId,
        registry: registry as Address | null,
        confirmations: chain.settings.confirmations,
        ledgerHead: local.ledgerHead,
        anchoredHeight: local.anchoredHeight,
        chainLatestHeight: onChain.latestHeight,
        lag: local.lag,
        chainLag: onChain.latestHeight === null ? null : Math.max(0, local.ledgerHead - onChain.latestHeight),
        inFlight: local.inFlight,
        lastError: local.lastError ? { ...local.lastError, at: local.lastError.at.toISOString() } : null,
        alarm: alarm ? { ...alarm, raisedAt: alarm.raisedAt.toISOString() } : null,
        anchorer: chain.anchorer,
        anchorerBalanceEth: onChain.anchorerBalanceWei === null ? null : formatEther(BigInt(onChain.anchorerBalanceWei)),
        anchorerHasRole: onChain.anchorerHasRole,
        rpc: { reachable: onChain.reachable, error: onChain.error },
        registryDeployed: onChain.deployed,
      };
    });
    if (values.json) console.log(JSON.stringify(status, null, 2));
    else {
      console.log(`Chain ${status.chainId ?? "?"} through ${status.rpcUrl}${status.embedded ? " (the embedded local node of `npm start`)" : ""}: ${status.rpc.reachable ? "reachable" : `NOT reachable (${status.rpc.error})`}`);
      console.log(`  registry: ${status.registry ?? "not configured (set REGISTRY_ADDRESS)"}${status.registryDeployed === false ? " — NO CONTRACT THERE" : ""}`);
      console.log(`  ledger head: block ${status.ledgerHead}; registry latest height: ${status.chainLatestHeight ?? "?"}; anchored and confirmed (${status.confirmations} conf.): ${status.anchoredHeight}`);
      console.log(`  lag: ${status.lag} block(s) not anchored and confirmed${status.inFlight > 0 ? `, ${status.inFlight} in flight` : ""}`);
      console.log(`  anchorer: ${status.anchorer ?? "not configured (set ANCHOR_PRIVATE_KEY)"}` +
        (status.anchorerBalanceEth !== null ? `, balance ${status.anchorerBalanceEth} ETH` : "") +
        (status.anchorerHasRole === false ? ", WITHOUT ANCHORER_ROLE" : status.anchorerHasRole ? ", holds ANCHORER_ROLE" : ""));
      if (status.lastError) console.log(`  last error (${status.lastError.at}): ${status.lastError.message}`);
      console.log(status.alarm ? `  ALARM (${status.alarm.kind}, ${status.alarm.raisedAt}): ${status.alarm.message}` : "  alarm: none");
    }
    return status.alarm || !status.rpc.reachable ? 1 : 0;
  },
};
