/**
 * Public JSON-RPC endpoints a reader may use for the on-chain check when the portal publishes none
 * (NEXT_PUBLIC_RPC_URL unset; the server's own RPC_URL is never published). They are suggestions,
 * shown as such: free public nodes of each chain's community or vendors, with no key. A reader who
 * wants full independence uses their own node. No imports: the browser loads this.
 */
const PUBLIC_RPCS: Readonly<Record<number, readonly string[]>> = {
  1: ["https://ethereum-rpc.publicnode.com", "https://eth.drpc.org", "https://cloudflare-eth.com"],
  11155111: ["https://ethereum-sepolia-rpc.publicnode.com", "https://sepolia.drpc.org"],
  17000: ["https://ethereum-holesky-rpc.publicnode.com", "https://holesky.drpc.org"],
  10: ["https://mainnet.optimism.io", "https://optimism-rpc.publicnode.com"],
  8453: ["https://mainnet.base.org", "https://base-rpc.publicnode.com"],
  84532: ["https://sepolia.base.org"],
  42161: ["https://arb1.arbitrum.io/rpc", "https://arbitrum-one-rpc.publicnode.com"],
  137: ["https://polygon-rpc.com", "https://polygon-bor-rpc.publicnode.com"],
};

/** Public RPC endpoints for `chainId`, best first; empty for an unknown chain (31337 included: a local node has no public one). */
export function publicRpcSuggestions(chainId: number | null): readonly string[] {
  return chainId === null ? [] : (PUBLIC_RPCS[chainId] ?? []);
}
