import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { publicSignerKey, signerKid } from "../../lib/protocol/signer-key";
import { CliError, type Command } from "../cli-kit";
import { commandSpec } from "./specs";

export const keygen: Command = {
  ...commandSpec("keygen"),
  async run({ values }) {
    const alg = values.alg as string;
    if (alg !== "EdDSA" && alg !== "ES256") throw new CliError(`--alg must be EdDSA or ES256, not ${JSON.stringify(alg)}.`);
    if (!values.out) throw new CliError("--out DIR is required: the folder to write the two key files to.");
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}) });
    const { publicJwk } = publicSignerKey(await exportJWK(publicKey));
    const kid = await signerKid(publicJwk);
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg };
    const dir = values.out as string;
    await mkdir(dir, { recursive: true });
    const privateFile = path.join(dir, `${kid}.private.jwk`);
    const publicFile = path.join(dir, `${kid}.public.jwk`);
    await writeFile(privateFile, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    await writeFile(publicFile, `${JSON.stringify({ ...publicJwk, kid, alg }, null, 2)}\n`, { flag: "wx" });
    if (values.json) console.log(JSON.stringify({ kid, alg, privateFile, publicFile }));
    else {
      console.log(`Created an ${alg} key pair with key id ${kid}.`);
      console.log(`  private key: ${privateFile}  (keep it secret; it signs records)`);
      console.log(`  public key:  ${publicFile}  (register it: sealbook signer add --jwk ${publicFile} --label "…")`);
    }
  },
};
