/**
 * The server's RPC URL is never published (issue 12, item 9): without NEXT_PUBLIC_RPC_URL the
 * ledger's public chain info names no node (so /api/v1/ledger, /verify and block pages show none),
 * except the embedded demo's local node, and the portal offers public nodes of known chains instead.
 */
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { readConfig } from "../../lib/config";
import { getPublicChainInfo } from "../../lib/chain/chain-info";
import { resolveChainSettings } from "../../lib/chain/settings";
import { publicRpcSuggestions } from "../../lib/portal/public-rpcs";

const REGISTRY = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const KEYED = "https://mainnet.example-rpc.test/v3/0123456789abcdef0123456789abcdef";

describe("the RPC endpoint the portal publishes", () => {
  it("publishes nothing when only RPC_URL is set, so its API key never reaches a browser", async () => {
    const info = await getPublicChainInfo(readConfig({ RPC_URL: KEYED, REGISTRY_ADDRESS: REGISTRY }));
    assert.equal(info.rpcUrl, null);
    assert.doesNotMatch(JSON.stringify(info), /0123456789abcdef/);
  });

  it("publishes NEXT_PUBLIC_RPC_URL when it is set", async () => {
    const info = await getPublicChainInfo(readConfig({ RPC_URL: KEYED, NEXT_PUBLIC_RPC_URL: "https://public.example", REGISTRY_ADDRESS: REGISTRY }));
    assert.equal(info.rpcUrl, "https://public.example");
  });

  it("publishes the embedded demo's local node, which is the demo itself", async () => {
    const settings = await resolveChainSettings(readConfig({ HARDHAT_PORT: "8599", SEALBOOK_DATA_DIR: path.join(tmpdir(), "sealbook-no-such-dir") }));
    assert.equal(settings.embedded, true);
    assert.equal(settings.publicRpcUrl, "http://127.0.0.1:8599");
  });

  it("suggests public nodes for well-known chains and none for a local chain or an unknown one", () => {
    assert.ok(publicRpcSuggestions(1).length > 0);
    assert.ok(publicRpcSuggestions(11155111).every((url) => url.startsWith("https://")));
    assert.deepEqual(publicRpcSuggestions(31337), []);
    assert.deepEqual(publicRpcSuggestions(null), []);
  });
});
