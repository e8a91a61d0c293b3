/**
 * `npm run bench seal-stall`: does a seal stall ingest? The real system on PostgreSQL takes one
 * single-record submission every 20 ms (`POST /api/v1/records`, each signed just before it is sent,
 * against the head root it last saw) while a block of 100,000 pending entries (1,000,000 with
 * `--million`) is sealed by another process. It reports the longest and p99 wait of a submission
 * during the seal against the same figures before it. A submission's wait runs from its scheduled
 * time to its acceptance, including a re-sign when the seal made its root stale (409).
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { loadavg } from "node:os";
import { openDatabase } from "../db/client";
import { openLedger } from "../lib/ledger/context";
import { registerSigner } from "../lib/ledger/signers/signers";
import type { BenchResult } from "./harness";
import { median, round3 } from "./harness";
import { BENCH_LEDGER } from "./support/ingest-setup";
import { pendingTemplate } from "./support/million";
import { sealInChildProcess } from "./support/sealed";
import { createBenchDatabase, startBenchServer } from "./support/server";

const INTERVAL_MS = 20;
const BEFORE_MS = 5_000;
const AFTER_MS = 2_000;

interface Submission {
  scheduledAt: number;
  waitMs: number;
  /** The longest single request of this submission (the first, or the re-signed one). */
  requestMs: number;
  attempts: number;
  ok: boolean;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function signRecord(key: KeyObject, kid: string, prevRoot: string): string {
  const header = Buffer.from(JSON.stringify({ alg: "EdDSA", kid })).toString("base64url");
  const payload = { id: randomUUID(), kind: "prescription", prevRoot, createdAt: new Date().toISOString(), body: { synthetic: true, item: "seal-stall probe" } };
  const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString("base64url")}`;
}

export async function run(args: string[]): Promise<BenchResult> {
  const count = args.includes("--million") ? 1_000_000 : 100_000;
  const target = count >= 1_000_000 ? 1_000 : 250;
  const log = (line: string) => console.log(`  ${line}`);
  const template = await pendingTemplate(count, log);
  const database = await createBenchDatabase("sealbook_bench_seal_stall", template);
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const handle = await openDatabase({ url: database.url, maxConnections: 2 });
  const ledger = await openLedger(handle, BENCH_LEDGER);
  const signer = await registerSigner(ledger, { publicJwk: publicKey.export({ format: "jwk" }) as JWK, label: "seal-stall probe", validFrom: new Date(Date.now() - 60_000) });
  await handle.close();
  const key = privateKey;
  const server = await startBenchServer(database.url, 3906, { LEDGER_ID: BENCH_LEDGER });
  let headRoot = ledger.genesisRoot as string;
  const submissions: Submission[] = [];
  const submit = async (scheduledAt: number): Promise<void> => {
    let attempts = 0;
    let requestMs = 0;
    for (;;) {
      attempts++;
      const sentAt = performance.now();
      const response = await fetch(`${server.url}/api/v1/records`, { method: "POST", body: signRecord(key, signer.kid, headRoot), headers: { "content-type": "application/jose" } });
      const body = (await response.json()) as { code?: string; details?: { headRoot?: string } };
      requestMs = Math.max(requestMs, performance.now() - sentAt);
      if (response.status === 409 && body.code === "stale_prev_root" && body.details?.headRoot && attempts < 5) {
        headRoot = body.details.headRoot;
        continue;
      }
      submissions.push({ scheduledAt, waitMs: performance.now() - scheduledAt, requestMs, attempts, ok: response.ok });
      return;
    }
  };
  try {
    // Warm up the route, then a steady schedule: submission i is due at start + 20 ms × i, sent then
    // whether or not earlier ones have answered (no coordinated omission).
    for (let i = 0; i < 20; i++) await submit(performance.now());
    submissions.length = 0;
    const start = performance.now();
    let stopAt = Number.POSITIVE_INFINITY;
    const inFlight: Promise<void>[] = [];
    const schedule = (async () => {
      for (let i = 0; ; i++) {
        const due = start + i * INTERVAL_MS;
        if (due > stopAt) return;
        const delay = due - performance.now();
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        inFlight.push(submit(due));
      }
    })();
    await new Promise((r) => setTimeout(r, BEFORE_MS));
    log(`sealing ${count.toLocaleString("en")} pending entries in another process while submissions continue …`);
    const sealStart = performance.now();
    const sealed = await sealInChildProcess(database.url);
    const sealEnd = performance.now();
    stopAt = performance.now() + AFTER_MS;
    await schedule;
    await Promise.all(inFlight);

    const before = submissions.filter((s) => s.scheduledAt < sealStart).map((s) => s.waitMs);
    const during = submissions.filter((s) => s.scheduledAt >= sealStart && s.scheduledAt <= sealEnd).map((s) => s.waitMs);
    // The waits that overlap the seal: scheduled before its end and answered after its start.
    const overlappingSubmissions = submissions.filter((s) => s.scheduledAt <= sealEnd && s.scheduledAt + s.waitMs >= sealStart);
    const overlapping = overlappingSubmissions.map((s) => s.waitMs);
    const worstRequest = Math.max(0, ...overlappingSubmissions.map((s) => s.requestMs));
    const failed = submissions.filter((s) => !s.ok).length;
    const resigned = submissions.filter((s) => s.attempts > 1).length;
    const locked = (sealed.phasesMs.collect ?? 0) + (sealed.phasesMs.tree ?? 0);
    const worstDuring = Math.max(0, ...overlapping);
    return {
      title: `single-record submissions every ${INTERVAL_MS} ms while a ${count.toLocaleString("en")}-entry block seals, PostgreSQL`,
      rows: [
        { measure: "submissions before / during the seal", value: `${before.length} / ${during.length}`, target: "" },
        { measure: "wait before the seal: median / p99 / worst (ms)", value: `${round3(median(before))} / ${round3(percentile(before, 99))} / ${round3(Math.max(...before))}`, target: "reference" },
        { measure: "wait during the seal: median / p99 (ms)", value: `${round3(median(during))} / ${round3(percentile(during, 99))}`, target: "" },
        { measure: "longest request overlapping the seal (ms)", value: round3(worstRequest), target: `≤ ${target.toLocaleString("en")}` },
        { measure: "longest submission overlapping the seal, with its re-sign after a 409 (ms)", value: round3(worstDuring), target: "report" },
        { measure: "worst during ÷ worst before", value: `${round3(worstDuring / Math.max(...before))}×`, target: "" },
        { measure: "seal end to end, child process (s)", value: round3((sealEnd - sealStart) / 1000), target: "report" },
        { measure: "  ledger lock held: collect + tree + header (s)", value: round3(locked / 1000), target: "" },
        { measure: "  derived data after the lock: leaves + tiles (s)", value: round3(((sealed.phasesMs.leaves ?? 0) + (sealed.phasesMs.tiles ?? 0)) / 1000), target: "" },
        { measure: "submissions re-signed after the seal changed the root", value: resigned, target: "" },
        { measure: "submissions not accepted", value: failed, target: 0 },
      ],
      notes: [
        `Sealed ${sealed.entryCount.toLocaleString("en")} entries (plus the probes pending at the lock) into root ${sealed.root}.`,
        "The ledger lock is held only while the pending entries are collected, the tree built and the header committed; leaf positions and tiles are written after it is released (lib/ledger/derived.ts).",
        `Seal figures include the child process's start (tsx) before it locks anything. Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(", ")}.`,
      ],
    };
  } finally {
    await server.stop();
    await database.drop();
  }
}
