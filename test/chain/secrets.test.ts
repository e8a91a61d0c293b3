/**
 * The anchoring key never shows: not in configuration errors, not in log lines, not in stored
 * errors. (The fault tests also scan everything they produced for it.)
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HttpRequestError } from "viem";
import { toAnchorError } from "../../lib/chain/anchoring/anchor-errors";
import { createAnchorJob } from "../../lib/chain/anchoring/anchor-job";
import { accountFromPrivateKey, PrivateKeyConfigError, secretRedactor } from "../../lib/chain/secrets";
import type { LedgerContext } from "../../lib/ledger/context";
import { assertNoKeyIn } from "../support/anchoring";

const key = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

describe("the anchoring key", () => {
  it("is named, never shown, when it is malformed", () => {
    const malformed = key.slice(0, 60);
    assert.throws(() => accountFromPrivateKey(malformed, "ANCHOR_PRIVATE_KEY"), (error) => {
      assert.ok(error instanceof PrivateKeyConfigError);
      assert.match(error.message, /ANCHOR_PRIVATE_KEY is not a valid private key/);
      assert.ok(!error.message.includes(malformed.slice(2)), "the malformed value is not echoed");
      assert.equal(error.cause, undefined, "no underlying error that could quote it");
      return true;
    });
    assert.throws(() => createAnchorJob({ ledger: {} as LedgerContext, rpcUrl: "http://127.0.0.1:1", registry: null, anchorPrivateKey: `${key}00` }), PrivateKeyConfigError);
  });

  it("accepts the key with or without 0x, in any case", () => {
    const address = accountFromPrivateKey(key, "ANCHOR_PRIVATE_KEY").address;
    assert.equal(accountFromPrivateKey(key.slice(2).toUpperCase(), "ANCHOR_PRIVATE_KEY").address, address);
  });

  it("is blanked out of any text, and RPC URLs are cut to their origin", () => {
    const redact = secretRedactor({ privateKeys: [key], rpcUrls: ["https://eth.example/v3/secret-api-key"] });
    const text = `key ${key} bare ${key.slice(2).toUpperCase()} url https://eth.example/v3/secret-api-key`;
    const redacted = redact(text);
    assertNoKeyIn([redacted], key);
    assert.ok(!redacted.includes("secret-api-key"));
    assert.equal(redacted, "key [redacted private key] bare [redacted private key] url https://eth.example/…");
  });

  it("and the RPC's secrets stay out of the job's error messages", () => {
    const redact = secretRedactor({ privateKeys: [key], rpcUrls: ["https://eth.example/v3/secret-api-key"] });
    const failure = toAnchorError(new HttpRequestError({ url: "https://eth.example/v3/secret-api-key", details: "fetch failed" }), "Reading the registry", redact);
    assert.equal(failure.code, "rpc_unreachable");
    assert.ok(failure.transient);
    assert.ok(!failure.message.includes("secret-api-key"), failure.message);
  });
});
