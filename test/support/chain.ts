/**
 * A real local Hardhat node for the anchoring tests, a registry on it, and a TCP proxy that can cut
 * the RPC off. Not a test file itself.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import { createPublicClient, createWalletClient, getAddress, http, type Address, type Hash, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { rootRegistryAbi } from "../../lib/chain/registry/abi";
import { deployRootRegistry } from "../../lib/chain/deploy";
import { startHardhatNode, type HardhatNode } from "../../lib/chain/hardhat-node";
import { ANCHORER_ROLE } from "../../lib/chain/registry/reads";

/** Hardhat's public dev keys (mnemonic "test test … junk"): test keys, never real ones. */
export const DEV_KEYS = {
  /** #0: deploys the registries and is their admin. */
  admin: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  /** #1: the receipt signer. */
  receiptSigner: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  /** #2: the anchoring job's account. */
  anchorer: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  /** #3: someone else who anchors behind the job's back. */
  intruder: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
} as const satisfies Record<string, Hex>;

export const addressOf = (key: Hex): Address => privateKeyToAccount(key).address;

/** A free TCP port in 8720-8799 (8700-8719 are left to manual runs). */
export async function freePort(): Promise<number> {
  const start = 8720 + Math.floor(Math.random() * 80);
  for (let i = 0; i < 80; i++) {
    const port = 8720 + ((start - 8720 + i) % 80);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("No free port in 8720-8799.");
}

/** A running Hardhat node with a public client and raw JSON-RPC access. */
export interface TestChain {
  node: HardhatNode;
  rpcUrl: string;
  client: PublicClient;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** Deploys a registry for `genesisRoot` with #0 as admin and `anchorer` (default #2) holding ANCHORER_ROLE. */
  deployRegistry(genesisRoot: Hash, anchorer?: Address): Promise<{ address: Address; blockNumber: number }>;
  /** Sends a registry call as `key` (default the admin) and waits for it; returns the receipt status. */
  send(key: Hex, registry: Address, call: RegistryCall): Promise<"success" | "reverted">;
  stop(): Promise<void>;
}

export type RegistryCall =
  | { functionName: "anchor"; args: readonly [bigint, Hash, Hash, number] }
  | { functionName: "grantRole" | "revokeRole"; args: readonly [Hash, Address] };

/** Starts `hardhat node` on a free port, or on `port` (optionally with another chain id). Stop it in `after`. */
export async function startTestChain(options: { chainId?: number; port?: number } = {}): Promise<TestChain> {
  const node = await startHardhatNode({ port: options.port ?? (await freePort()), chainId: options.chainId });
  const rpcUrl = node.rpcUrl;
  const client = createPublicClient({ transport: http(rpcUrl), pollingInterval: 50 });
  let id = 0;
  const rpc = async <T,>(method: string, params: unknown[] = []): Promise<T> => {
    const response = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }) });
    const body = (await response.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };
  const send: TestChain["send"] = async (key, registry, call) => {
    const wallet = createWalletClient({ account: privateKeyToAccount(key), transport: http(rpcUrl), pollingInterval: 50 });
    const hash = await wallet.writeContract({ address: registry, abi: rootRegistryAbi, chain: null, gas: 300_000n, ...call } as Parameters<typeof wallet.writeContract>[0]);
    return (await client.waitForTransactionReceipt({ hash })).status;
  };
  return {
    node,
    rpcUrl,
    client,
    rpc,
    send,
    deployRegistry: async (genesisRoot, anchorer = addressOf(DEV_KEYS.anchorer)) => {
      const walletClient = createWalletClient({ account: privateKeyToAccount(DEV_KEYS.admin), transport: http(rpcUrl), pollingInterval: 50 });
      const deployed = await deployRootRegistry({ walletClient, genesisRoot, anchorer, receiptSigner: addressOf(DEV_KEYS.receiptSigner) });
      return { address: getAddress(deployed.address), blockNumber: deployed.blockNumber };
    },
    stop: () => node.stop(),
  };
}

/** Grants or revokes ANCHORER_ROLE as the admin. */
export function setAnchorerRole(chain: TestChain, registry: Address, account: Address, granted: boolean) {
  return chain.send(DEV_KEYS.admin, registry, { functionName: granted ? "grantRole" : "revokeRole", args: [ANCHORER_ROLE, account] });
}

/** A TCP proxy in front of the RPC that a test can cut (connections reset, new ones refused) and restore. */
export interface RpcProxy {
  rpcUrl: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy on a free port forwarding to 127.0.0.1:`targetPort`. */
export async function startRpcProxy(targetPort: number): Promise<RpcProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      if (server) return resolve();
      const listening = createServer((downstream) => {
        const upstream = connect({ host: "127.0.0.1", port: targetPort });
        for (const s of [downstream, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => {
            downstream.destroy();
            upstream.destroy();
          });
        }
        downstream.pipe(upstream).pipe(downstream);
      });
      listening.once("error", reject);
      listening.listen(port, "127.0.0.1", () => {
        server = listening;
        resolve();
      });
    });
  const shut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  await listen();
  return { rpcUrl: `http://127.0.0.1:${port}`, cut: shut, restore: listen, close: shut };
}
