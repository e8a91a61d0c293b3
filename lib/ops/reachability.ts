/**
 * The online half of `sealbook config check`: can this configuration reach its database, its RPC
 * and its registry, and do the anchorer and the receipt signer hold their roles there. Reads
 * only: nothing is migrated, deployed or sent.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { formatEther, type Address } from "viem";
import type { Database } from "../../db/client";
import { unappliedMigrations } from "../../db/unapplied-migrations";
import { publicClientFor } from "../chain/clients";
import { ANCHORER_ROLE, hasRegistryRole, readLatestHeight, RECEIPT_SIGNER_ROLE } from "../chain/registry/reads";
import { accountFromPrivateKey } from "../chain/secrets";
import { resolveChainSettings } from "../chain/settings";
import type { SealbookConfig } from "../config";
import { redactorForEnv } from "../observability/env-secrets";
import { maskUrlPasswords, safeUrl } from "../observability/redact";

export interface ReachabilityCheck {
  name: "database" | "rpc" | "registry" | "anchorer role" | "receipt signer role";
  /** ok; failed (exit 3); skipped (not configured, or embedded and started by `npm start`). */
  status: "ok" | "failed" | "skipped";
  message: string;
}

const TIMEOUT_MS = 5_000;

/** Checks the database, the RPC and the registry with its two roles; never throws, every failure is a check. */
export async function checkReachability(config: SealbookConfig, env: Record<string, string | undefined>): Promise<ReachabilityCheck[]> {
  const redact = (text: string) => maskUrlPasswords(redactorForEnv(env)(text));
  const failed = (name: ReachabilityCheck["name"], error: unknown, what: string): ReachabilityCheck => ({
    name,
    status: "failed",
    message: `${what}: ${redact(error instanceof Error ? error.message.split("\n")[0] : String(error))}`,
  });
  const checks: ReachabilityCheck[] = [];
  checks.push(await checkDatabase(config).catch((error: unknown) => failed("database", error, `PostgreSQL at ${safeUrl(config.DATABASE_URL ?? "")} does not answer`)));

  if (config.SEALBOOK_CHAIN === "off") {
    for (const name of ["rpc", "registry", "anchorer role", "receipt signer role"] as const) checks.push({ name, status: "skipped", message: "SEALBOOK_CHAIN=off: no chain services." });
    return checks;
  }
  if (!config.RPC_URL) {
    const message = "embedded: `npm start` runs a local Hardhat node and deploys its own registry with the dev accounts.";
    for (const name of ["rpc", "registry", "anchorer role", "receipt signer role"] as const) checks.push({ name, status: "skipped", message });
    return checks;
  }
  const settings = await resolveChainSettings(config);
  const client = publicClientFor(settings.rpcUrl, { timeoutMs: TIMEOUT_MS });
  try {
    const [chainId, block] = await Promise.all([client.getChainId(), client.getBlockNumber()]);
    checks.push({ name: "rpc", status: "ok", message: `${safeUrl(settings.rpcUrl)} answers: chain ${chainId}, block ${block}.` });
  } catch (error) {
    checks.push(failed("rpc", error, `${safeUrl(settings.rpcUrl)} does not answer`));
    for (const name of ["registry", "anchorer role", "receipt signer role"] as const) checks.push({ name, status: "skipped", message: "Not checked: the RPC does not answer." });
    return checks;
  }
  const registry = settings.registry;
  if (!registry) {
    checks.push({ name: "registry", status: "skipped", message: "REGISTRY_ADDRESS is not set: nothing is anchored (`sealbook deploy` creates a registry)." });
    for (const name of ["anchorer role", "receipt signer role"] as const) checks.push({ name, status: "skipped", message: "Not checked: no registry." });
    return checks;
  }
  try {
    const code = await client.getCode({ address: registry });
    if (!code || code === "0x") {
      checks.push({ name: "registry", status: "failed", message: `There is no contract at REGISTRY_ADDRESS ${registry} on this chain: check the address and the RPC's network.` });
      return checks;
    }
    const latest = await readLatestHeight(client, registry);
    checks.push({ name: "registry", status: "ok", message: `RootRegistry at ${registry}, latest anchored height ${latest}.` });
  } catch (error) {
    checks.push(failed("registry", error, `Reading the registry at ${registry} failed`));
    return checks;
  }
  const roleCheck = async (name: "anchorer role" | "receipt signer role", variable: string, role: `0x${string}`, roleName: string): Promise<ReachabilityCheck> => {
    const key = env[variable];
    if (!key) return { name, status: "skipped", message: `${variable} is not set.` };
    const address: Address = accountFromPrivateKey(key, variable).address;
    try {
      const [held, balance] = await Promise.all([
        hasRegistryRole(client, registry, role, address),
        client.getBalance({ address }),
      ]);
      const funds = `balance ${formatEther(balance)} ETH`;
      return held
        ? { name, status: "ok", message: `${address} (${variable}) holds ${roleName}; ${funds}.` }
        : { name, status: "failed", message: `${address} (${variable}) does not hold ${roleName} on ${registry}: an admin of the registry must grant it (grantRole), or set ${variable} to the key of an account that holds it.` };
    } catch (error) {
      return failed(name, error, `Reading ${roleName} of ${address} failed`);
    }
  };
  checks.push(await roleCheck("anchorer role", "ANCHOR_PRIVATE_KEY", ANCHORER_ROLE, "ANCHORER_ROLE"));
  checks.push(await roleCheck("receipt signer role", "RECEIPT_PRIVATE_KEY", RECEIPT_SIGNER_ROLE, "RECEIPT_SIGNER_ROLE"));
  return checks;
}

async function checkDatabase(config: SealbookConfig): Promise<ReachabilityCheck> {
  if (!config.DATABASE_URL) {
    const dir = path.resolve(config.pgliteDir);
    return existsSync(dir)
      ? { name: "database", status: "ok", message: `embedded PGlite in ${config.pgliteDir} (not opened: only one process may, and it may be the server's).` }
      : { name: "database", status: "ok", message: `embedded PGlite in ${config.pgliteDir}, created by the first \`npm start\`.` };
  }
  const client = postgres(config.DATABASE_URL, { max: 1, connect_timeout: TIMEOUT_MS / 1000, onnotice: () => {} });
  try {
    const [{ server_version: version }] = await client<{ server_version: string }[]>`show server_version`;
    const pending = await unappliedMigrations(drizzle(client) as unknown as Database);
    const migrations = pending.length === 0 ? "every migration applied" : `${pending.length} migration(s) not applied yet (${pending.join(", ")}): \`npm start\` applies them`;
    return { name: "database", status: "ok", message: `PostgreSQL ${version} at ${safeUrl(config.DATABASE_URL)} answers; ${migrations}.` };
  } finally {
    await client.end({ timeout: 1 });
  }
}
