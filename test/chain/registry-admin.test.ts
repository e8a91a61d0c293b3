/**
 * The registry's admin is not a key the server holds (issue 12, item 10): `sealbook deploy` refuses,
 * on any chain but 31337, a missing --admin or one equal to the anchorer or the receipt signer, and
 * `registryAdminWarnings` tells `sealbook config check` the same about a configuration.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { privateKeyToAccount } from "viem/accounts";
import { registryAdminProblems, registryAdminWarnings } from "../../lib/chain/registry/admin";
import { readConfig } from "../../lib/config";

const ANCHOR_KEY = `0x${"11".repeat(32)}` as const;
const RECEIPT_KEY = `0x${"22".repeat(32)}` as const;
const DEPLOYER_KEY = `0x${"33".repeat(32)}` as const;
const anchorer = privateKeyToAccount(ANCHOR_KEY).address;
const receiptSigner = privateKeyToAccount(RECEIPT_KEY).address;
const cold = "0x000000000000000000000000000000000000c01d" as const;
const REGISTRY = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

describe("who administers the registry", () => {
  it("requires a named admin on any chain but 31337", () => {
    assert.equal(registryAdminProblems({ chainId: 11155111, admin: null, anchorer, receiptSigner }).length, 1);
    assert.match(registryAdminProblems({ chainId: 1, admin: null, anchorer, receiptSigner })[0], /--admin/);
    assert.deepEqual(registryAdminProblems({ chainId: 31337, admin: null, anchorer, receiptSigner }), []);
  });

  it("refuses an admin that is the anchorer or the receipt signer, and accepts a cold one", () => {
    assert.match(registryAdminProblems({ chainId: 1, admin: anchorer, anchorer, receiptSigner }).join(" "), /anchorer/);
    assert.match(registryAdminProblems({ chainId: 1, admin: receiptSigner.toLowerCase() as `0x${string}`, anchorer, receiptSigner }).join(" "), /receipt signer/);
    assert.deepEqual(registryAdminProblems({ chainId: 1, admin: cold, anchorer, receiptSigner }), []);
    assert.deepEqual(registryAdminProblems({ chainId: 31337, admin: anchorer, anchorer, receiptSigner }), [], "the local demo chain's keys are public anyway");
  });

  it("warns about a configuration whose deployer is the anchorer, or whose server accounts hold the admin role", async () => {
    const base = { RPC_URL: "http://rpc.invalid", ANCHOR_PRIVATE_KEY: ANCHOR_KEY, RECEIPT_PRIVATE_KEY: RECEIPT_KEY };
    assert.deepEqual(await registryAdminWarnings(readConfig({})), [], "the embedded demo");
    assert.match((await registryAdminWarnings(readConfig(base))).join(" "), /DEPLOYER_PRIVATE_KEY is unset/);
    assert.match((await registryAdminWarnings(readConfig({ ...base, DEPLOYER_PRIVATE_KEY: ANCHOR_KEY }))).join(" "), /same key as ANCHOR_PRIVATE_KEY/);
    assert.deepEqual(await registryAdminWarnings(readConfig({ ...base, DEPLOYER_PRIVATE_KEY: DEPLOYER_KEY })), []);

    const withRegistry = readConfig({ ...base, DEPLOYER_PRIVATE_KEY: DEPLOYER_KEY, REGISTRY_ADDRESS: REGISTRY });
    const asked: string[] = [];
    const anchorerIsAdmin = await registryAdminWarnings(withRegistry, async (role, account) => {
      asked.push(account);
      return role === `0x${"00".repeat(32)}` && account === anchorer;
    });
    assert.deepEqual(asked, [anchorer, receiptSigner]);
    assert.equal(anchorerIsAdmin.length, 1);
    assert.match(anchorerIsAdmin[0], /anchorer .* holds DEFAULT_ADMIN_ROLE/);
    assert.deepEqual(await registryAdminWarnings(withRegistry, async () => false), []);
    const unreadable = await registryAdminWarnings(withRegistry, async () => {
      throw new Error("HTTP request failed. URL: http://rpc.invalid");
    });
    assert.match(unreadable.join(" "), /Could not read/);
  });
});
