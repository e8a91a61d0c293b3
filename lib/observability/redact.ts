/**
 * Keeping secrets out of what Sealbook prints: logs, error messages, `sealbook config check`.
 * Pure (no Node-only API), so every layer may import it.
 */

/** What stands in for a hidden value. */
export const REDACTED = "[redacted]";

/** Names of fields whose value is never printed, whatever it holds. */
const SECRET_FIELD = /(private_?key|secret|password|passwd|token|authorization|cookie|session|^jws$|^body$|^payload$)/i;

/** Whether a field (an environment variable, a log field) holds a secret by its name. */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/**
 * A function that blanks every occurrence of the given secrets in a text: private keys (with and
 * without `0x`, any case) and URLs (an RPC URL often carries an API key in its path or query, a
 * database URL a password; they are cut down to what `safeUrl` shows). Everything the anchoring
 * job and the logger print goes through one.
 */
export function secretRedactor(secrets: { privateKeys?: (string | undefined)[]; rpcUrls?: (string | undefined)[]; values?: (string | undefined)[] }): (text: string) => string {
  const replacements: [pattern: string, by: string][] = [];
  for (const key of secrets.privateKeys ?? []) {
    const bare = key?.trim().replace(/^0x/i, "");
    if (bare && bare.length >= 32) replacements.push([`(?:0x)?${escapeRegExp(bare)}`, "[redacted private key]"]);
  }
  for (const url of secrets.rpcUrls ?? []) {
    if (!url) continue;
    const shown = safeUrl(url);
    if (shown !== url) replacements.push([escapeRegExp(url), shown]);
    // The password alone too: a driver's error may quote it without the rest of the URL.
    const password = passwordOf(url);
    if (password && password.length >= 4) replacements.push([escapeRegExp(password), REDACTED]);
  }
  for (const value of secrets.values ?? []) {
    if (value && value.length >= 8) replacements.push([escapeRegExp(value), REDACTED]);
  }
  if (replacements.length === 0) return (text) => text;
  // One pass over the text (every string logged goes through here): the alternatives in order,
  // each a capture group, so the match says which secret it was.
  const combined = new RegExp(replacements.map(([pattern]) => `(${pattern})`).join("|"), "gi");
  return (text) =>
    text.replace(combined, (...groups: unknown[]) => {
      const index = groups.slice(1, replacements.length + 1).findIndex((g) => g !== undefined);
      return replacements[index][1];
    });
}

/**
 * A URL as it may be shown: unchanged when it is a bare origin; a database URL (postgres:) keeps
 * its user, host and database with the password masked; any other URL with a path, query or
 * credentials is cut to its origin (an RPC provider's key hides there).
 */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (/^postgres(ql)?:$/.test(parsed.protocol)) {
      if (parsed.password) parsed.password = "***";
      parsed.search = "";
      return parsed.toString();
    }
    const bare = parsed.pathname === "/" && !parsed.search && !parsed.username && !parsed.password;
    return bare ? url : `${parsed.origin}/…`;
  } catch {
    return "(an unparsable URL)";
  }
}

/** Any `scheme://user:password@` in a text, password masked: the last guard for URLs nobody declared. */
export function maskUrlPasswords(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)@/gi, "$1***@");
}

function passwordOf(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url).password) || null;
  } catch {
    return null;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
