import { readFile } from "node:fs/promises";
import { listSignersWithCounts, registerSigner, revokeSigner } from "../../lib/ledger/signers";
import { serializeSigner } from "../../lib/http/serialize";
import { ProtocolError } from "../../lib/protocol/errors";
import { CliError, type Command } from "../cli-kit";
import { withLedger } from "./with-ledger";
import { commandSpec } from "./index";

function parseTime(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new CliError(`${flag} must be an RFC 3339 time such as 2026-11-22T10:00:00Z; got ${JSON.stringify(value)}.`);
  return date;
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
    const signer = await withLedger((ledger) =>
      registerSigner(ledger, { publicJwk, label: values.label as string, organization: (values.organization as string) ?? null, validFrom }),
    ).catch((error: unknown) => {
      if (error instanceof ProtocolError) throw new CliError(error.message);
      throw error;
    });
    if (values.json) console.log(JSON.stringify(serializeSigner(signer)));
    else console.log(`Registered ${signer.alg} signer ${signer.kid} ("${signer.label}"), valid from ${signer.validFrom.toISOString()}.`);
  },
};

export const signerRevoke: Command = {
  ...commandSpec("signer revoke"),
  async run({ values, positionals }) {
    const kid = positionals[0];
    if (!kid) throw new CliError("Name the key id to revoke: sealbook signer revoke KID.");
    const at = parseTime(values.at as string | undefined, "--at");
    const signer = await withLedger((ledger) => revokeSigner(ledger, kid, { at, reason: values.reason as string | undefined })).catch((error: unknown) => {
      if (error instanceof ProtocolError) throw new CliError(error.message);
      throw error;
    });
    if (values.json) console.log(JSON.stringify(serializeSigner(signer)));
    else console.log(`Signer ${signer.kid} is revoked from ${signer.revokedAt!.toISOString()}.`);
  },
};

export const signerList: Command = {
  ...commandSpec("signer list"),
  async run({ values }) {
    const signers = await withLedger((ledger) => listSignersWithCounts(ledger));
    if (values.json) {
      console.log(JSON.stringify(signers.map(serializeSigner)));
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
