import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { readConfig } from "../../lib/config";
import { loggerForEnv } from "../../lib/observability/logger";

const hex = (n: number) => randomBytes(n).toString("hex");

/** A configuration holding one of each kind of secret, with values unlikely to occur by chance. */
function secretEnvironment() {
  const secrets = {
    anchorKey: `0x${hex(32)}`,
    receiptKey: `0x${hex(32)}`,
    deployerKey: hex(32),
    metricsToken: `tok-${hex(16)}`,
    databasePassword: `pw-${hex(8)}`,
    rpcApiKey: `key${hex(12)}`,
    sessionToken: hex(32),
    adminPassword: `correct horse ${hex(6)}`,
  };
  const env = {
    LOG_FORMAT: "json",
    ANCHOR_PRIVATE_KEY: secrets.anchorKey,
    RECEIPT_PRIVATE_KEY: secrets.receiptKey,
    DEPLOYER_PRIVATE_KEY: secrets.deployerKey,
    METRICS_TOKEN: secrets.metricsToken,
    DATABASE_URL: `postgres://sealbook:${secrets.databasePassword}@db.example:5432/ledger`,
    RPC_URL: `https://rpc.example/v3/${secrets.rpcApiKey}`,
  };
  return { secrets, env };
}

/** Logs, through a logger made for `env`, everything a careless caller might: the whole configuration, errors quoting secrets, request-ish fields. */
function logEverything(env: Record<string, string>, secrets: ReturnType<typeof secretEnvironment>["secrets"]): string {
  let output = "";
  const log = loggerForEnv(env, { write: (text: string) => (output += text) });
  const config = readConfig(env);
  log.info({ config }, "configuration");
  log.info({ env }, "environment");
  log.warn(`connecting to ${env.DATABASE_URL} with key ${secrets.anchorKey} through ${env.RPC_URL}`);
  log.error({ err: new Error(`password authentication failed: ${secrets.databasePassword}; token ${secrets.metricsToken}`) }, "the database refused us");
  log.info({ sessionToken: secrets.sessionToken, password: secrets.adminPassword, cookie: `sealbook_session=${secrets.sessionToken}` }, "sign-in");
  log.info({ headers: { authorization: `Bearer ${secrets.metricsToken}` }, jws: "eyJhbGciOiJFZERTQSJ9.e30.c2ln" }, "request");
  log.info({ nested: { deep: { receiptKey: secrets.receiptKey, note: `bare key ${secrets.anchorKey.slice(2).toUpperCase()}` } } }, "nested");
  return output;
}

function assertNoSecret(output: string, secrets: Record<string, string>): void {
  for (const [name, value] of Object.entries(secrets)) {
    assert.ok(!output.toLowerCase().includes(value.toLowerCase()), `the ${name} appears in the log output`);
    const bare = value.replace(/^0x/, "");
    assert.ok(!output.toLowerCase().includes(bare.toLowerCase()), `the ${name} (without 0x) appears in the log output`);
  }
}

describe("logs", () => {
  it("writes one JSON object per line with time, level and message when LOG_FORMAT=json", () => {
    let output = "";
    const log = loggerForEnv({ LOG_FORMAT: "json" }, { write: (text: string) => (output += text) });
    log.info({ height: 6, entryCount: 12, durationMs: 4.2 }, "sealed block 6");
    log.warn({ code: "stale_prev_root" }, "a record was refused");
    const lines = output.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.length, 2);
    assert.equal(lines[0].message, "sealed block 6");
    assert.equal(lines[0].level, "info");
    assert.equal(lines[0].height, 6);
    assert.ok(!Number.isNaN(Date.parse(String(lines[0].time))), "time is an ISO date");
    assert.equal(lines[1].level, "warn");
    assert.equal(lines[1].code, "stale_prev_root");
  });

  it("writes short human lines by default, fields after the message", () => {
    let output = "";
    const log = loggerForEnv({}, { write: (text: string) => (output += text) });
    log.info({ height: 6, root: "0xabc" }, "sealed block 6");
    log.error({ err: new Error("boom") }, "sealing failed");
    assert.match(output, /^\d\d:\d\d:\d\d \[sealbook\] sealed block 6 {2}root=0xabc\n/);
    assert.match(output, /\[sealbook\] ERROR sealing failed\n {4}Error: boom/);
    assert.throws(() => JSON.parse(output.split("\n")[0]));
  });

  it("honours LOG_LEVEL", () => {
    let output = "";
    const log = loggerForEnv({ LOG_FORMAT: "json", LOG_LEVEL: "warn" }, { write: (text: string) => (output += text) });
    log.info("hidden");
    log.debug("hidden too");
    log.warn("shown");
    assert.deepEqual(output.trimEnd().split("\n").map((l) => JSON.parse(l).message), ["shown"]);
  });

  for (const format of ["json", "pretty"]) {
    it(`never prints a private key, token, password, database password or RPC key (${format})`, () => {
      const { secrets, env } = secretEnvironment();
      const output = logEverything({ ...env, LOG_FORMAT: format }, secrets);
      assert.ok(output.includes("configuration") && output.includes("sign-in"), "the events themselves are logged");
      assertNoSecret(output, secrets);
      assert.ok(output.includes("[redacted"), "hidden values are marked");
      if (format === "json") for (const line of output.trimEnd().split("\n")) JSON.parse(line);
    });
  }
});
