import { hash, verify, type Algorithm } from "@node-rs/argon2";
import { ProtocolError } from "../protocol/errors";

/**
 * Admin passwords, hashed with argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane):
 * about 30 ms per hash here, slow enough to make guessing from a stolen table expensive.
 */
const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id: a const enum, which isolated modules cannot import.
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Throws ProtocolError `invalid_request` unless the password is 12 to 256 characters long. */
export function checkPasswordPolicy(password: string): void {
  if (typeof password !== "string" || password.length < MIN_PASSWORD_LENGTH) {
    throw new ProtocolError("invalid_request", `A password needs at least ${MIN_PASSWORD_LENGTH} characters; a few words make a good one.`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) throw new ProtocolError("invalid_request", `A password may have at most ${MAX_PASSWORD_LENGTH} characters.`);
}

/** The argon2id hash of a password, as a PHC string ($argon2id$v=19$m=19456,t=2,p=1$…). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Whether `password` matches `storedHash`. Without a stored hash (no such account) it checks
 * against a throwaway hash, so that an unknown email takes as long to refuse as a wrong password.
 * A password longer than the policy allows is refused without hashing it.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  const tooLong = typeof password !== "string" || password.length > MAX_PASSWORD_LENGTH;
  if (storedHash === null || tooLong) {
    dummyHash ??= hashPassword("sealbook: no such account, the same work as a real check");
    await verify(await dummyHash, "a password that never matches").catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch (error) {
    throw new Error("A stored admin password hash is not a valid argon2 PHC string; reset that account's password.", { cause: error });
  }
}
