import { createPublicClient, createWalletClient, http, type Account, type PublicClient, type Transport, type WalletClient, type Chain } from "viem";

/** How patiently the clients talk to the RPC. */
export interface RpcOptions {
  /** How often to poll for receipts and blocks (default 1,000 ms). */
  pollingIntervalMs?: number;
  /** How long one JSON-RPC request may take (default 10,000 ms). */
  timeoutMs?: number;
}

/**
 * The viem transport of the anchoring job: JSON-RPC batching (the job reads many roots at once), a
 * request timeout, and one quick retry. Longer outages are the job's business: it backs off between passes.
 */
export function rpcTransport(rpcUrl: string, options: RpcOptions = {}): Transport {
  return http(rpcUrl, { batch: { batchSize: 100, wait: 0 }, timeout: options.timeoutMs ?? 10_000, retryCount: 1, retryDelay: 200 });
}

/** A public client on `rpcUrl`. */
export function publicClientFor(rpcUrl: string, options: RpcOptions = {}): PublicClient {
  return createPublicClient({ transport: rpcTransport(rpcUrl, options), pollingInterval: options.pollingIntervalMs ?? 1_000 });
}

/** A wallet client on `rpcUrl` that signs locally with `account`; the chain id is asked from the RPC. */
export function walletClientFor(rpcUrl: string, account: Account, options: RpcOptions = {}): WalletClient<Transport, Chain | undefined, Account> {
  return createWalletClient({ account, transport: rpcTransport(rpcUrl, options), pollingInterval: options.pollingIntervalMs ?? 1_000 });
}
