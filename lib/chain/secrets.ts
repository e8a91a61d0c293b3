import type { Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

/** Thrown when a configured private key is not a 32-byte hex key. Its message never contains the key. */
export class PrivateKeyConfigError extends Error {
  override name = "PrivateKeyConfigError";
  constructor(readonly variable: string) {
    super(`${variable} is not a valid private key: expected 0x followed by 64 hex digits. (The value is not shown, on purpose.)`);
  }
}

/**
 * Turns the private key held in the environment variable `variable` into a viem account.
 * Throws PrivateKeyConfigError naming the variable, never the value, when it is malformed. The
 * underlying error is dropped on purpose: its message could quote the key.
 */
export function accountFromPrivateKey(key: string, variable: string): PrivateKeyAccount {
  const normalized = (key.trim().startsWith("0x") ? key.trim() : `0x${key.trim()}`).toLowerCase();
  if (!/^0x[0-9a-f]{64}$/.test(normalized)) throw new PrivateKeyConfigError(variable);
  try {
    return privateKeyToAccount(normalized as Hex);
  } catch {
    throw new PrivateKeyConfigError(variable);
  }
}

/**
 * A function that blanks every occurrence of the given secrets in a text: private keys (with and
 * without `0x`, any case) and RPC URLs (which often carry an API key in their path or query; they are
 * cut down to their origin). Everything the anchoring job logs or stores goes through it.
 */
export function secretRedactor(secrets: { privateKeys?: (string | undefined)[]; rpcUrls?: (string | undefined)[] }): (text: string) => string {
  const replacements: [RegExp, string][] = [];
  for (const key of secrets.privateKeys ?? []) {
    const bare = key?.trim().replace(/^0x/i, "");
    if (bare && bare.length >= 32) replacements.push([new RegExp(`(0x)?${bare}`, "gi"), "[redacted private key]"]);
  }
  for (const url of secrets.rpcUrls ?? []) {
    if (!url) continue;
    const shown = safeUrl(url);
    if (shown !== url) replacements.push([new RegExp(escapeRegExp(url), "g"), shown]);
  }
  return (text) => replacements.reduce((out, [pattern, by]) => out.replace(pattern, by), text);
}

/** An RPC URL as it may be shown: its origin only when it has a path, query or credentials. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const bare = parsed.pathname === "/" && !parsed.search && !parsed.username && !parsed.password;
    return bare ? url : `${parsed.origin}/…`;
  } catch {
    return "(an unparsable URL)";
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
