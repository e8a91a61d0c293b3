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

// One redactor for the whole codebase; the chain code imports it from here as before.
export { safeUrl, secretRedactor } from "../observability/redact";
