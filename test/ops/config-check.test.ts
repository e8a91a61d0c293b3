import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { readConfig } from "../../lib/config";
import { describeConfiguration } from "../../lib/ops/config-report";
import { genesisRootOf } from "../../lib/protocol/hash";
import { DEV_KEYS, startTestChain, type TestChain } from "../support/chain";
import { freshDatabase, skipReason } from "../support/db";
import { freePort } from "./support/child-server";

const root = process.cwd();

/** Runs `sealbook config check` with exactly `env` (plus PATH), and returns its exit code and output. */
function configCheck(env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts", "sealbook.ts"), "config", "check", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "test", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

type Report = {
  ok: boolean;
  exitCode: number;
  variables: { name: string; source: string; value: string | null }[];
  errors: { variable: string; message: string; fix: string }[];
  warnings: { variable: string }[];
  checks: { name: string; status: string; message: string }[];
};

const anchorKey = `0x${randomBytes(32).toString("hex")}`;
const dbPassword = `pw${randomBytes(8).toString("hex")}`;
const metricsToken = `t${randomBytes(16).toString("hex")}`;

describe("sealbook config check", () => {
  it("lists every variable with its source and value, secrets masked (--offline --json, exit 0)", () => {
    const { code, stdout } = configCheck(
      { PORT: "4000", ANCHOR_PRIVATE_KEY: anchorKey, METRICS_TOKEN: metricsToken, DATABASE_URL: `postgres://sealbook:${dbPassword}@db.example:5432/ledger`, RPC_URL: `https://rpc.example/v3/${metricsToken}x` },
      "--offline",
      "--json",
    );
    assert.equal(code, 0, stdout);
    const report = JSON.parse(stdout) as Report;
    const variable = (name: string) => report.variables.find((v) => v.name === name);
    assert.deepEqual(variable("PORT"), { name: "PORT", source: "environment", value: "4000", masked: false });
    assert.deepEqual(variable("SEAL_INTERVAL_SECONDS"), { name: "SEAL_INTERVAL_SECONDS", source: "default", value: "30", masked: false });
    assert.equal(variable("REGISTRY_ADDRESS")?.source, "unset");
    assert.equal(variable("ADMIN_SESSION_IDLE_MINUTES")?.value, "30", "the admin console's settings are listed too");
    assert.equal(variable("DATABASE_URL")?.value, "postgres://sealbook:***@db.example:5432/ledger");
    assert.match(variable("ANCHOR_PRIVATE_KEY")?.value ?? "", /^\[redacted\]/);
    for (const secret of [anchorKey, anchorKey.slice(2), dbPassword, metricsToken]) assert.ok(!stdout.includes(secret), "no secret is printed");
    assert.deepEqual(report.checks, [], "--offline checks nothing online");
    assert.deepEqual(report.warnings.map((w) => w.variable).sort(), ["DEPLOYER_PRIVATE_KEY", "RECEIPT_PRIVATE_KEY", "REGISTRY_ADDRESS"], "what RPC_URL needs besides is named");
    const deployer = report.warnings.find((w) => w.variable === "DEPLOYER_PRIVATE_KEY") as unknown as { message: string; fix: string };
    assert.match(deployer.message, /would pay with ANCHOR_PRIVATE_KEY/, "a registry deployed with the online anchorer key is warned about");
    assert.match(deployer.fix, /--admin/);
  });

  it("reports SEALBOOK_FAST_ROUTES and ADMIN_COOKIE_SECURE like every other setting of the one schema", () => {
    const defaults = describeConfiguration({});
    const variable = (name: string) => defaults.variables.find((v) => v.name === name);
    assert.deepEqual(variable("SEALBOOK_FAST_ROUTES"), { name: "SEALBOOK_FAST_ROUTES", source: "default", value: "1", masked: false });
    assert.deepEqual(variable("ADMIN_COOKIE_SECURE"), { name: "ADMIN_COOKIE_SECURE", source: "default", value: "auto", masked: false });
    const wrong = describeConfiguration({ SEALBOOK_FAST_ROUTES: "yes", ADMIN_COOKIE_SECURE: "always" });
    assert.deepEqual(wrong.errors.map((e) => e.variable), ["ADMIN_COOKIE_SECURE", "SEALBOOK_FAST_ROUTES"]);
    assert.match(wrong.errors[1].fix, /unset SEALBOOK_FAST_ROUTES to use the default \(1\)/);
  });

  it("makes admin cookies Secure in production unless ADMIN_COOKIE_SECURE says otherwise", () => {
    assert.equal(readConfig({ NODE_ENV: "production" }).adminCookieSecure, true);
    assert.equal(readConfig({ NODE_ENV: "test" }).adminCookieSecure, false);
    assert.equal(readConfig({ NODE_ENV: "production", ADMIN_COOKIE_SECURE: "0" }).adminCookieSecure, false);
    assert.equal(readConfig({ ADMIN_COOKIE_SECURE: "1" }).adminCookieSecure, true);
  });

  it("names the variable and the fix for each error, and exits 1", () => {
    const { code, stdout } = configCheck({ PORT: "70000", ANCHOR_PRIVATE_KEY: "0x1234", METRICS_PORT: "3000", LOG_FORMAT: "xml" }, "--offline");
    assert.equal(code, 1);
    for (const name of ["PORT", "ANCHOR_PRIVATE_KEY", "LOG_FORMAT"]) assert.match(stdout, new RegExp(`^  ${name}: .*\\n    fix: `, "m"));
    assert.match(stdout, /NOT valid \(exit 1\)/);
    assert.ok(!stdout.includes("    at "), "no stack trace");
  });

  describe("reachability (PostgreSQL)", async () => {
    const skip = await skipReason("postgres");
    let db: Awaited<ReturnType<typeof freshDatabase>> | undefined;
    before(async () => {
      if (!skip) db = await freshDatabase("postgres");
    });
    after(async () => db?.dispose());

    it("reports the database as answering with every migration applied, and an unreachable RPC as exit 3", { skip: skip ?? false }, async () => {
      const deadPort = await freePort();
      const { code, stdout } = configCheck({ DATABASE_URL: db!.url!, RPC_URL: `http://127.0.0.1:${deadPort}`, REGISTRY_ADDRESS: `0x${"11".repeat(20)}` }, "--json");
      const report = JSON.parse(stdout) as Report;
      const check = (name: string) => report.checks.find((c) => c.name === name);
      assert.equal(check("database")?.status, "ok");
      assert.match(check("database")?.message ?? "", /every migration applied/);
      assert.equal(check("rpc")?.status, "failed");
      assert.equal(check("registry")?.status, "skipped");
      assert.equal(code, 3);
    });

    it("reports a database that does not answer as exit 3, its password masked", { skip: skip ?? false }, async () => {
      const deadPort = await freePort();
      const { code, stdout, stderr } = configCheck({ DATABASE_URL: `postgres://postgres:${dbPassword}@127.0.0.1:${deadPort}/nothing`, SEALBOOK_CHAIN: "off" });
      assert.equal(code, 3, `${stdout}\n${stderr}`);
      assert.match(stdout, /FAILED +database: PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/);
      assert.ok(!stdout.includes(dbPassword));
    });
  });

  describe("roles on the registry (a Hardhat node)", () => {
    let chain: TestChain;
    let registry: string;
    before(async () => {
      chain = await startTestChain();
      registry = (await chain.deployRegistry(genesisRootOf("demo"))).address;
    });
    after(async () => chain?.stop());

    it("says the anchorer and the receipt signer hold their roles (exit 0)", () => {
      const { code, stdout } = configCheck(
        { SEALBOOK_DATA_DIR: "/nonexistent-sealbook-data", RPC_URL: chain.rpcUrl, REGISTRY_ADDRESS: registry, ANCHOR_PRIVATE_KEY: DEV_KEYS.anchorer, RECEIPT_PRIVATE_KEY: DEV_KEYS.receiptSigner },
        "--json",
      );
      const report = JSON.parse(stdout) as Report;
      assert.deepEqual(
        report.checks.map((c) => [c.name, c.status]),
        [["database", "ok"], ["rpc", "ok"], ["registry", "ok"], ["anchorer role", "ok"], ["receipt signer role", "ok"]],
        stdout,
      );
      assert.match(report.checks[3].message, /holds ANCHORER_ROLE/);
      assert.equal(code, 0);
      assert.ok(!stdout.includes(DEV_KEYS.anchorer.slice(2)), "the key is not printed");
    });

    it("names a key whose account lacks the role, with the fix, and exits 3", () => {
      const { code, stdout } = configCheck({ RPC_URL: chain.rpcUrl, REGISTRY_ADDRESS: registry, ANCHOR_PRIVATE_KEY: DEV_KEYS.intruder, RECEIPT_PRIVATE_KEY: DEV_KEYS.receiptSigner });
      assert.equal(code, 3, stdout);
      assert.match(stdout, /FAILED +anchorer role: 0x[0-9a-fA-F]{40} \(ANCHOR_PRIVATE_KEY\) does not hold ANCHORER_ROLE .*grantRole/);
      assert.match(stdout, /ok +receipt signer role: /);
    });
  });
});
