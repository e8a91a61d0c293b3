import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { newRecordId, signRecord } from "../protocol/sign";
import type { LedgerContext } from "./context";
import { readHead } from "./head";
import { submitRecords } from "./ingest";
import { sealPendingEntries } from "./seal";
import { registerSigner } from "./signers/signers";

/** Every demo signer's label starts with this, so that nobody mistakes demo data for real records. */
export const DEMO_LABEL_PREFIX = "DEMO:";

/** Where the demo signers' private keys are kept, inside SEALBOOK_DATA_DIR. */
export function demoKeyDir(dataDir: string): string {
  return path.join(dataDir, "demo-keys");
}

const DEMO_SIGNERS = [
  { alg: "EdDSA", label: "DEMO: Dr. Ada Synthetic (general practice)", organization: "DEMO Synthetic Health Centre" },
  { alg: "ES256", label: "DEMO: Riverside Synthetic Pharmacy", organization: "DEMO Riverside Pharmacy" },
  { alg: "EdDSA", label: "DEMO: National Insurance Fund, claims desk", organization: "DEMO Insurance Fund" },
] as const;

const KINDS = ["prescription", "treatment", "reimbursement.claim"] as const;

/** Tells whether the ledger is empty: no signer, no entry. Demo data is seeded only then. */
export async function isLedgerEmpty(ctx: LedgerContext): Promise<boolean> {
  const [row] = await queryRows<{ signers: string | number; entries: string | number }>(
    ctx.db,
    sql`select (select count(*) from signers) as signers, (select count(*) from entries) as entries`,
  );
  return Number(row.signers) === 0 && Number(row.entries) === 0;
}

/**
 * Seeds an empty ledger with clearly labelled demo signers and synthetic signed records in several
 * sealed blocks, so that a newcomer sees a living ledger at once. Every record body says it is
 * synthetic. The demo private keys are written to `keyDir` so that more demo records can be signed.
 */
export async function seedDemoLedger(
  ctx: LedgerContext,
  options: { keyDir: string; blocks?: number; perBlock?: number; onProgress?: (line: string) => void },
): Promise<{ blocks: number; records: number }> {
  const blocks = options.blocks ?? 6;
  const perBlock = options.perBlock ?? 60;
  const say = options.onProgress ?? (() => {});
  await mkdir(options.keyDir, { recursive: true });
  const signers: Array<{ privateJwk: JWK; kid: string }> = [];
  for (const demo of DEMO_SIGNERS) {
    const { privateKey, publicKey } = await generateKeyPair(demo.alg, { extractable: true, ...(demo.alg === "EdDSA" ? { crv: "Ed25519" } : {}) });
    const privateJwk = await exportJWK(privateKey);
    const signer = await registerSigner(ctx, { publicJwk: await exportJWK(publicKey), label: demo.label, organization: demo.organization, validFrom: new Date(Date.now() - 86_400_000) });
    await writeFile(path.join(options.keyDir, `${signer.kid}.private.jwk`), `${JSON.stringify({ ...privateJwk, kid: signer.kid, alg: signer.alg }, null, 2)}\n`, { mode: 0o600 });
    signers.push({ privateJwk, kid: signer.kid });
  }
  say(`demo: registered ${signers.length} demo signers (keys in ${options.keyDir})`);
  let records = 0;
  for (let b = 0; b < blocks; b++) {
    const head = await readHead(ctx.db, ctx.genesisRoot);
    const count = perBlock + ((b * 37) % 40);
    const jws = await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const signer = signers[(b + i) % signers.length];
        const kind = KINDS[(b * 7 + i) % KINDS.length];
        return signRecord(signer.privateJwk, {
          id: newRecordId(),
          kind,
          prevRoot: head.root,
          createdAt: new Date().toISOString(),
          body: { synthetic: true, note: "DEMO record with made-up content; not about any real person", patient: `demo-patient-${(b * 131 + i) % 997}`, item: `${kind} #${records + i + 1}` },
        });
      }),
    );
    const results = await submitRecords(ctx, jws);
    const rejected = results.filter((r) => !r.ok);
    if (rejected.length > 0) throw new Error(`Demo records were rejected: ${rejected.map((r) => (r.ok ? "" : r.error.message)).join("; ")}`);
    const block = await sealPendingEntries(ctx);
    records += count;
    say(`demo: sealed block ${block?.height} with ${count} synthetic records`);
  }
  return { blocks, records };
}
