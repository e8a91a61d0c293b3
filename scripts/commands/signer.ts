import { readFile } from "node:fs/promises";
import { CliError, type Command } from "../cli-kit";
import { ledgerOperation } from "../control/client";
import { commandSpec } from "./specs";

/** An RFC 3339 time from a flag, as an ISO string in UTC. */
function parseTime(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new CliError(`${flag} must be an RFC 3339 time such as 2026-11-22T10:00:00Z; got ${JSON.stringify(value)}.`);
  return date.toISOString();
}

export const signerAdd: Command = {
  ...commandSpec("signer add"),
  async run({ values }) {
    if (!values.jwk || !values.label) throw new CliError("--jwk FILE and --label TEXT are both required.");
    let jwk: Record<string, unknown>;
    try {
      jwk = JSON.parse(await readFile(values.jwk as string, "utf8"));
    } catch (error) {
      throw new CliError(`Cannot read a JSON JWK from ${values.jwk}: ${(error as Error).message}`);
    }
    const { kid: _kid, alg: _alg, ...publicJwk } = jwk;
    const validFrom = parseTime(values["valid-from"] as string | undefined, "--valid-from");
    const signer = await ledgerOperation("signer add", { publicJwk, label: values.label as string, organization: (values.organization as string) ?? null, validFrom });
    if (values.json) console.log(JSON.stringify(signer));
    else console.log(`Registered ${signer.alg} signer ${signer.kid} ("${signer.label}"), valid from ${signer.validFrom}.`);
  },
};

export const signerRevoke: Command = {
  ...commandSpec("signer revoke"),
  async run({ values, positionals }) {
    const kid = positionals[0];
    if (!kid) throw new CliError("Name the key id to revoke: sealbook signer revoke KID.");
    const at = parseTime(values.at as string | undefined, "--at");
    const signer = await ledgerOperation("signer revoke", { kid, at, reason: values.reason as string | undefined });
    if (values.json) console.log(JSON.stringify(signer));
    else console.log(`Signer ${signer.kid} is revoked from ${signer.revokedAt}.`);
  },
};

export const signerList: Command = {
  ...commandSpec("signer list"),
  async run({ values }) {
    const signers = await ledgerOperation("signer list", {});
    if (values.json) {
      console.log(JSON.stringify(signers));
      return;
    }
    if (signers.length === 0) {
      console.log("The signer directory is empty. Register a key with `sealbook signer add`.");
      return;
    }
    for (const s of signers) {
      console.log(`${s.kid}  ${s.alg.padEnd(5)}  ${s.status.padEnd(13)}  ${String(s.entryCount).padStart(7)} entries  ${s.label}${s.organization ? ` (${s.organization})` : ""}`);
    }
  },
};
