/**
 * The living demo: a clearly labelled demo clinic that keeps signing a few synthetic records every
 * few seconds and submitting them through the ledger's normal ingest, so that a newcomer watches
 * blocks being sealed and anchored instead of a ledger frozen after its seed. It runs only on a
 * demo ledger (one seeded with the DEMO signers, lib/ledger/demo.ts), never on real data.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { queryRows } from "../../db/client";
import { newRecordId, signRecord } from "../protocol/sign";
import { logger } from "../observability/logger";
import type { LedgerContext } from "./context";
import { DEMO_LABEL_PREFIX } from "./demo";
import { readHead } from "./head";
import { submitRecords } from "./ingest";
import { registerSigner } from "./signers/signers";

/** How the clinic appears in the signer directory. */
export const DEMO_CLINIC = {
  label: `${DEMO_LABEL_PREFIX} Living demo clinic (signs synthetic records every few seconds)`,
  organization: "DEMO Living Clinic",
} as const;

/** The clinic's private key, beside the seeded demo keys. */
export const DEMO_CLINIC_KEY_FILE = "living-demo-clinic.private.jwk";

/** A record whose root went stale while it was signed is signed again, at most this many times. */
const STALE_ROOT_RETRIES = 3;

const KINDS = ["prescription", "treatment", "reimbursement.claim"] as const;

/** The demo clinic's signing key, registered in the directory. */
export interface DemoClinic {
  kid: string;
  privateJwk: JWK;
}

/** Whether the ledger was seeded with demo data: it has signers labelled DEMO. */
export async function isDemoLedger(ctx: LedgerContext): Promise<boolean> {
  const rows = await queryRows(ctx.db, sql`select 1 from signers where label like ${`${DEMO_LABEL_PREFIX}%`} limit 1`);
  return rows.length > 0;
}

/**
 * The demo clinic of this ledger: its key from `keyDir` (made there the first time, mode 0600) and
 * its signer, registered when missing (a ledger reset keeps the key). Null when an operator revoked
 * the clinic's key: its records would only be refused.
 */
export async function openDemoClinic(ctx: LedgerContext, keyDir: string): Promise<DemoClinic | null> {
  const file = path.join(keyDir, DEMO_CLINIC_KEY_FILE);
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(await readFile(file, "utf8")) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`The demo clinic's key ${file} cannot be read; delete it to make a new one.`, { cause: error });
    const { privateKey } = await generateKeyPair("EdDSA", { extractable: true, crv: "Ed25519" });
    privateJwk = await exportJWK(privateKey);
    await mkdir(keyDir, { recursive: true });
    await writeFile(file, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
  }
  const { d: _private, ...publicJwk } = privateJwk;
  const signer = await registerSigner(ctx, { publicJwk, ...DEMO_CLINIC, validFrom: new Date(ctx.now().getTime() - 60_000) });
  if (signer.status === "revoked") return null;
  return { kid: signer.kid, privateJwk };
}

let serial = 0;

/** One synthetic record of the clinic, naming `prevRoot`. */
function signDemoRecord(clinic: DemoClinic, prevRoot: string): Promise<string> {
  serial += 1;
  const kind = KINDS[serial % KINDS.length];
  return signRecord(clinic.privateJwk, {
    id: newRecordId(),
    kind,
    prevRoot,
    createdAt: new Date().toISOString(),
    body: {
      synthetic: true,
      note: "DEMO record from the living demo clinic, with made-up content; not about any real person",
      clinic: DEMO_CLINIC.organization,
      patient: `demo-patient-${(serial * 131) % 997}`,
      item: `${kind} #${serial}`,
    },
  });
}

/**
 * Signs `count` synthetic records against the current head root and submits them through the
 * ledger's ingest (`submitRecords`, as `POST /records/batch` does). A seal in between makes them
 * `stale_prev_root`: those are signed again against the new root, up to 3 times. Returns how many
 * were accepted. `afterSigning` runs between signing and submitting (tests use it to seal there).
 * Throws the first refusal other than a stale root: the clinic's records should never be refused.
 */
export async function submitDemoRecords(ctx: LedgerContext, clinic: DemoClinic, count: number, options: { afterSigning?: () => Promise<void> } = {}): Promise<number> {
  let accepted = 0;
  let left = count;
  for (let attempt = 0; left > 0 && attempt <= STALE_ROOT_RETRIES; attempt++) {
    const head = await readHead(ctx.db, ctx.genesisRoot);
    const jws = await Promise.all(Array.from({ length: left }, () => signDemoRecord(clinic, head.root)));
    await options.afterSigning?.();
    const results = await submitRecords(ctx, jws);
    const refused = results.flatMap((r) => (r.ok ? [] : [r.error]));
    const other = refused.find((e) => e.code !== "stale_prev_root");
    if (other) throw other;
    accepted += results.length - refused.length;
    left = refused.length;
  }
  return accepted;
}

export interface DemoClinicLoop {
  /** Stops the timer and waits for a submission in flight. */
  stop(): Promise<void>;
}

/**
 * Submits 1 to 3 demo records every `intervalSeconds` until stopped. A failed round is reported to
 * `log.error` and the next one tries again.
 */
export function startDemoClinic(
  ctx: LedgerContext,
  clinic: DemoClinic,
  intervalSeconds: number,
  log: { submitted?(count: number): void; error(error: unknown): void },
): DemoClinicLoop {
  let busy: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (busy || stopped) return;
    busy = submitDemoRecords(ctx, clinic, 1 + Math.floor(Math.random() * 3))
      .then((n) => log.submitted?.(n))
      .catch((error: unknown) => log.error(error))
      .finally(() => {
        busy = null;
      });
  };
  const timer = setInterval(tick, intervalSeconds * 1000);
  tick();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await busy;
    },
  };
}

/**
 * Starts the living demo when the demo is on (`enabled`, SEALBOOK_DEMO), its interval is not 0 and
 * the ledger is a demo ledger; returns its loop, or null with the reason logged.
 */
export async function startLivingDemo(
  ctx: LedgerContext,
  options: { enabled: boolean; intervalSeconds: number; keyDir: string },
  log: (line: string) => void,
): Promise<DemoClinicLoop | null> {
  if (!options.enabled || options.intervalSeconds <= 0) return null;
  if (!(await isDemoLedger(ctx))) return null;
  const clinic = await openDemoClinic(ctx, options.keyDir);
  if (!clinic) {
    log("demo: the living demo clinic's key is revoked, so the clinic stays off");
    return null;
  }
  log(`demo: the DEMO living clinic submits a few synthetic records every ${options.intervalSeconds} s (DEMO_CLINIC_INTERVAL_SECONDS=0 turns it off)`);
  return startDemoClinic(ctx, clinic, options.intervalSeconds, {
    error: (error) => logger().warn({ err: error }, "the demo clinic's records were refused; it tries again"),
  });
}
