import { registryAdminWarnings } from "../../lib/chain/registry/admin";
import { describeConfiguration, formatConfigProblems } from "../../lib/ops/config-report";
import { checkReachability, type ReachabilityCheck } from "../../lib/ops/reachability";
import type { Command } from "../cli-kit";
import { commandSpec } from "./specs";

/** Exit codes of `sealbook config check`. */
export const CONFIG_CHECK_EXIT = { ok: 0, invalid: 1, usage: 2, unreachable: 3 } as const;

export const configCheck: Command = {
  ...commandSpec("config check"),
  async run({ values }) {
    const env = process.env;
    const report = describeConfiguration(env);
    const checks: ReachabilityCheck[] = report.config && !values.offline ? await checkReachability(report.config, env) : [];
    if (report.config) {
      // Who administers the registry (issue: the admin must not be a key the server holds online).
      // Offline, only what the keys themselves show; online, also who holds DEFAULT_ADMIN_ROLE.
      const adminConfig = values.offline ? { ...report.config, REGISTRY_ADDRESS: undefined } : report.config;
      for (const message of await registryAdminWarnings(adminConfig)) {
        report.warnings.push({ variable: "DEPLOYER_PRIVATE_KEY", message, fix: "Deploy with `sealbook deploy --admin ADDRESS` (a cold key or a multisig), never with a key the server holds." });
      }
    }
    const exitCode = !report.config ? CONFIG_CHECK_EXIT.invalid : checks.some((c) => c.status === "failed") ? CONFIG_CHECK_EXIT.unreachable : CONFIG_CHECK_EXIT.ok;
    if (values.json) {
      console.log(JSON.stringify({ ok: exitCode === 0, exitCode, offline: Boolean(values.offline), variables: report.variables, errors: report.errors, warnings: report.warnings, checks }, null, 2));
      return exitCode;
    }
    const width = Math.max(...report.variables.map((v) => v.name.length));
    console.log("Configuration (variable, source, value):");
    for (const v of report.variables) console.log(`  ${v.name.padEnd(width)}  ${v.source.padEnd(11)}  ${v.value ?? "(unset)"}`);
    if (report.errors.length) console.log(`\nErrors:\n${formatConfigProblems(report.errors)}`);
    if (report.warnings.length) console.log(`\nWarnings:\n${formatConfigProblems(report.warnings)}`);
    if (!report.config) console.log("\nNot checking reachability: fix the errors first.");
    else if (values.offline) console.log("\nReachability: not checked (--offline).");
    else {
      console.log("\nReachability:");
      for (const c of checks) console.log(`  ${c.status === "ok" ? "ok     " : c.status === "failed" ? "FAILED " : "skipped"}  ${c.name}: ${c.message}`);
    }
    console.log(exitCode === 0 ? "\nThe configuration is usable." : exitCode === 1 ? "\nThe configuration is NOT valid (exit 1)." : "\nThe configuration is valid, but something it names does not answer or lacks a role (exit 3).");
    return exitCode;
  },
};
