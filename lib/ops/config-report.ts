/**
 * The configuration as an operator checks it (`sealbook config check`, and `npm start` before it
 * starts anything): every variable with where its value came from and the value itself, secrets
 * masked; and every problem, naming the variable and the fix. Works from the one schema in
 * lib/config.ts, offline.
 */
import { isAddress } from "viem";
import { accountFromPrivateKey } from "../chain/secrets";
import { envSchema, readConfig, type SealbookConfig } from "../config";
import { isMaskedVariable, shownValue } from "../observability/env-secrets";

export interface VariableReport {
  name: string;
  /** `environment`: set; `default`: unset, the default applies; `unset`: unset, no default. */
  source: "environment" | "default" | "unset";
  /** The value as it may be shown (secrets masked), or null when unset. */
  value: string | null;
  masked: boolean;
}

export interface ConfigProblem {
  variable: string;
  message: string;
  fix: string;
}

export interface ConfigReport {
  variables: VariableReport[];
  errors: ConfigProblem[];
  warnings: ConfigProblem[];
  /** The parsed configuration, or null when it has errors. */
  config: SealbookConfig | null;
}

/** Reports every variable of the configuration in `env`, and what is wrong with it. Never throws. */
export function describeConfiguration(env: Record<string, string | undefined>): ConfigReport {
  const defaults: Record<string, unknown> = envSchema.parse({});
  const names = Object.keys(envSchema.shape);
  const variables: VariableReport[] = names.map((name) => {
    const raw = env[name];
    if (raw !== undefined && raw !== "") return { name, source: "environment", value: shownValue(name, raw), masked: isMaskedVariable(name) };
    const fallback = defaults[name];
    return fallback === undefined ? { name, source: "unset", value: null, masked: false } : { name, source: "default", value: String(fallback), masked: false };
  });

  const errors: ConfigProblem[] = [];
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? "(configuration)");
      const fallback = defaults[variable];
      errors.push({
        variable,
        message: `${variable}=${JSON.stringify(shownValue(variable, String(env[variable] ?? "")))} is not valid: ${issue.message}.`,
        fix: fallback === undefined ? `Fix the value, or unset ${variable}.` : `Fix the value, or unset ${variable} to use the default (${String(fallback)}).`,
      });
    }
  }
  const warnings: ConfigProblem[] = [];
  crossChecks(env, errors, warnings);
  let config: SealbookConfig | null = null;
  if (errors.length === 0) config = readConfig(env);
  return { variables, errors, warnings, config };
}

function crossChecks(env: Record<string, string | undefined>, errors: ConfigProblem[], warnings: ConfigProblem[]): void {
  for (const variable of ["ANCHOR_PRIVATE_KEY", "RECEIPT_PRIVATE_KEY", "DEPLOYER_PRIVATE_KEY"]) {
    const value = env[variable];
    if (!value) continue;
    try {
      accountFromPrivateKey(value, variable);
    } catch (error) {
      errors.push({ variable, message: (error as Error).message, fix: `Set ${variable} to the account's private key: 0x followed by 64 hex digits.` });
    }
  }
  if (env.REGISTRY_ADDRESS && !isAddress(env.REGISTRY_ADDRESS)) {
    errors.push({ variable: "REGISTRY_ADDRESS", message: `REGISTRY_ADDRESS ${JSON.stringify(env.REGISTRY_ADDRESS)} is not an address.`, fix: "Set it to the RootRegistry's address (0x and 40 hex digits), as `sealbook deploy` printed it." });
  }
  for (const variable of ["DATABASE_URL", "RPC_URL", "NEXT_PUBLIC_RPC_URL"]) {
    const value = env[variable];
    if (!value) continue;
    let protocol = "";
    try {
      protocol = new URL(value).protocol;
    } catch {
      errors.push({ variable, message: `${variable} is not a URL.`, fix: variable === "DATABASE_URL" ? "Use postgres://USER:PASSWORD@HOST:5432/DATABASE, or unset it for the embedded database." : "Use the JSON-RPC endpoint's http(s):// URL." });
      continue;
    }
    const expected = variable === "DATABASE_URL" ? ["postgres:", "postgresql:"] : ["http:", "https:", "ws:", "wss:"];
    if (!expected.includes(protocol)) errors.push({ variable, message: `${variable} uses ${protocol}, not ${expected.join(" or ")}.`, fix: `Give a ${expected[0].replace(":", "")} URL.` });
  }
  if (env.METRICS_PORT && env.METRICS_PORT === (env.PORT || String(envSchema.shape.PORT.parse(undefined)))) {
    errors.push({ variable: "METRICS_PORT", message: `METRICS_PORT is the same port as PORT (${env.METRICS_PORT}).`, fix: "Pick another port for METRICS_PORT, or unset it: /metrics on PORT needs METRICS_TOKEN." });
  }
  if (env.RPC_URL && env.SEALBOOK_CHAIN !== "off") {
    if (!env.REGISTRY_ADDRESS) warnings.push({ variable: "REGISTRY_ADDRESS", message: "RPC_URL is set but REGISTRY_ADDRESS is not: nothing will be anchored.", fix: "Deploy a registry with `sealbook deploy` and set REGISTRY_ADDRESS to the address it prints." });
    if (!env.ANCHOR_PRIVATE_KEY) warnings.push({ variable: "ANCHOR_PRIVATE_KEY", message: "RPC_URL is set but ANCHOR_PRIVATE_KEY is not: nothing will be anchored.", fix: "Set ANCHOR_PRIVATE_KEY to the key of the account holding ANCHORER_ROLE." });
    if (!env.RECEIPT_PRIVATE_KEY) warnings.push({ variable: "RECEIPT_PRIVATE_KEY", message: "RPC_URL is set but RECEIPT_PRIVATE_KEY is not: records are accepted without a signed receipt.", fix: "Set RECEIPT_PRIVATE_KEY to the key of the account holding RECEIPT_SIGNER_ROLE." });
  }
}

/** The errors of a report as lines for people: the variable, what is wrong, and the fix. */
export function formatConfigProblems(problems: ConfigProblem[]): string {
  return problems.map((p) => `  ${p.variable}: ${p.message}\n    fix: ${p.fix}`).join("\n");
}
