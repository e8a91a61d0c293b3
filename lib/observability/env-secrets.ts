import { safeUrl, secretRedactor, REDACTED } from "./redact";

/** Variables whose whole value is a secret, by their name. */
const SECRET_VARIABLE = /(PRIVATE_KEY|TOKEN|PASSWORD|PASSWD|SECRET|API_KEY)/i;

/** Whether an environment variable's value is a secret (never shown), by its name. */
export function isSecretVariable(name: string): boolean {
  return SECRET_VARIABLE.test(name);
}

/** Variables holding a URL that may carry a password or an API key: shown through `safeUrl`. */
const URL_VARIABLES = new Set(["DATABASE_URL", "TEST_DATABASE_URL", "RPC_URL", "NEXT_PUBLIC_RPC_URL"]);

/**
 * How a configuration value may be shown, by its variable: secrets (private keys, tokens,
 * passwords) as `[redacted]` with their length, URLs without their password or API key, the rest
 * as they are. `sealbook config check` and the logger both use it.
 */
export function shownValue(variable: string, value: string): string {
  if (isSecretVariable(variable)) return `${REDACTED} (${value.length} characters)`;
  if (URL_VARIABLES.has(variable)) return safeUrl(value);
  return value;
}

/** Whether a variable's value is hidden or shortened when shown. */
export function isMaskedVariable(variable: string): boolean {
  return isSecretVariable(variable) || URL_VARIABLES.has(variable);
}

/**
 * A redactor for every secret the environment holds: each variable named like a secret, and the
 * URL variables' passwords and API keys. The process logger passes every line through it.
 */
export function redactorForEnv(env: Record<string, string | undefined>): (text: string) => string {
  const names = Object.keys(env).filter((name) => env[name] && isSecretVariable(name));
  return secretRedactor({
    privateKeys: names.filter((n) => /PRIVATE_KEY$/.test(n)).map((n) => env[n]),
    values: names.filter((n) => !/PRIVATE_KEY$/.test(n)).map((n) => env[n]),
    rpcUrls: [...URL_VARIABLES].map((n) => env[n]),
  });
}
