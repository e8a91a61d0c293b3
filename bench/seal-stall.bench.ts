/**
 * `npm run bench seal-stall`: does a seal stall ingest? The real system on PostgreSQL takes one
 * single-record submission every 20 ms (`POST /api/v1/records`, each signed just before it is sent,
 * against the head root it last saw) while a block of 100,000 pending entries (1,000,000 with
 * `--million`) is sealed by another process. It reports the longest and p99 wait of a submission
 * during the seal against the same figures before it. A submission's wait runs from its scheduled
 * time to its acceptance, including a re-sign when the seal made its root stale (409).
 * It runs the server as `npm start` does by default first (a local Hardhat node, a registry, every
 * accepted submission answered with its signed receipt, checked), then with the chain off (no
 * receipts), each on its own copy of the pending set, and prints both, labelled.
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { loadavg } from "node:os";
import { openDatabase } from "../db/client";
import { openLedger } from "../lib/ledger/context";
import { registerSigner } from "../lib/ledger/signers/signers";
import type { BenchResult, BenchRow } from "./harness";
import { median, round3 } from "./harness";
import { BENCH_LEDGER } from "./support/ingest-setup";
import { pendingTemplate } from "./support/million";
import { sealInChildProcess } from "./support/sealed";
import { configurationLabel, createBenchDatabase, startBenchServer } from "./support/server";

const INTERVAL_MS = 20;
const BEFORE_MS = 5_000;
const AFTER_MS = 2_000;

interface Submission {
  scheduledAt: number;
  /** Accepted with its signed acceptance receipt (PROTOCOL §6). */
  receipt: boolean;
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

/** What one configuration's run measured. */
interface StallFigures {
  configuration: string;
  chain: boolean;
  before: number[];
  during: number[];
  worstRequest: number;
  worstDuring: number;
  sealSeconds: number;
  lockedMs: number;
  derivedMs: number;
  resigned: number;
  failed: number;
  withoutReceipt: number;
  sealedNote: string;
}

/**
 * Serves a fresh copy of the pending set (`template`) with the chain on or off, sends one
 * single-record submission every 20 ms, seals in another process after BEFORE_MS and keeps the
 * load for AFTER_MS after the seal.
 */
async function measureStall(template: string, count: number, chain: boolean, port: number, log: (line: string) => void): Promise<StallFigures> {
  const database = await createBenchDatabase(`sealbook_bench_seal_stall_${chain ? "chain" : "nochain"}`, template);
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const handle = await openDatabase({ url: database.url, maxConnections: 2 });
  const ledger = await openLedger(handle, BENCH_LEDGER);
  const signer = await registerSigner(ledger, { publicJwk: publicKey.export({ format: "jwk" }) as JWK, label: "seal-stall probe", validFrom: new Date(Date.now() - 60_000) });
  await handle.close();
  const key = privateKey;
  log(`${configurationLabel(chain)}: starting the server …`);
  const server = await startBenchServer(database.url, port, { LEDGER_ID: BENCH_LEDGER }, { chain });
  let headRoot = ledger.genesisRoot as string;
  const submissions: Submission[] = [];
  const submit = async (scheduledAt: number): Promise<void> => {
    let attempts = 0;
    let requestMs = 0;
    for (;;) {
      attempts++;
      const sentAt = performance.now();
      const response = await fetch(`${server.url}/api/v1/records`, { method: "POST", body: signRecord(key, signer.kid, headRoot), headers: { "content-type": "application/jose" } });
      const body = (await response.json()) as { code?: string; details?: { headRoot?: string }; receipt?: unknown };
      requestMs = Math.max(requestMs, performance.now() - sentAt);
      if (response.status === 409 && body.code === "stale_prev_root" && body.details?.headRoot && attempts < 5) {
        headRoot = body.details.headRoot;
        continue;
      }
      submissions.push({ scheduledAt, waitMs: performance.now() - scheduledAt, requestMs, attempts, ok: response.ok, receipt: Boolean(body.receipt) });
      return;
    }
  };
  try {
    // Warm up the route, then a steady schedule: submission i is due at start + 20 ms × i, sent then
    // whether or not earlier ones have answered (no coordinated omission).
    for (let i = 0; i < 20; i++) await submit(performance.now());
    const warmReceipts = submissions.filter((s) => s.receipt).length;
    if (warmReceipts !== (chain ? submissions.length : 0)) {
      throw new Error(`${configurationLabel(chain)}: ${warmReceipts} of ${submissions.length} warm-up submissions came back with a receipt, expected ${chain ? "all" : "none"}.`);
    }
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
    log(`${configurationLabel(chain)}: sealing ${count.toLocaleString("en")} pending entries in another process while submissions continue …`);
    const sealStart = performance.now();
    const sealed = await sealInChildProcess(database.url);
    const sealEnd = performance.now();
    stopAt = performance.now() + AFTER_MS;
    await schedule;
    await Promise.all(inFlight);

    // The waits that overlap the seal: scheduled before its end and answered after its start.
    const overlapping = submissions.filter((s) => s.scheduledAt <= sealEnd && s.scheduledAt + s.waitMs >= sealStart);
    return {
      configuration: server.configuration,
      chain,
      before: submissions.filter((s) => s.scheduledAt < sealStart).map((s) => s.waitMs),
      during: submissions.filter((s) => s.scheduledAt >= sealStart && s.scheduledAt <= sealEnd).map((s) => s.waitMs),
      worstRequest: Math.max(0, ...overlapping.map((s) => s.requestMs)),
      worstDuring: Math.max(0, ...overlapping.map((s) => s.waitMs)),
      sealSeconds: (sealEnd - sealStart) / 1000,
      lockedMs: (sealed.phasesMs.collect ?? 0) + (sealed.phasesMs.tree ?? 0),
      derivedMs: (sealed.phasesMs.leaves ?? 0) + (sealed.phasesMs.tiles ?? 0),
      resigned: submissions.filter((s) => s.attempts > 1).length,
      failed: submissions.filter((s) => !s.ok).length,
      withoutReceipt: submissions.filter((s) => s.ok && !s.receipt).length,
      sealedNote: `${configurationLabel(chain)}: sealed ${sealed.entryCount.toLocaleString("en")} entries (plus the probes pending at the lock) into root ${sealed.root}.`,
    };
  } finally {
    await server.stop();
    await database.drop();
  }
}

/** The table rows of one configuration's run, each beside its target, with the verdict. */
function stallRows(f: StallFigures, target: number): BenchRow[] {
  const c = f.configuration;
  const worstBefore = Math.max(...f.before);
  const verdict = (value: number, limit: number) => `≤ ${limit.toLocaleString("en")}: ${value <= limit ? "met" : "missed"}`;
  return [
    { configuration: c, measure: "submissions before / during the seal", value: `${f.before.length} / ${f.during.length}`, target: "" },
    { configuration: c, measure: "wait before the seal: median / p99 / worst (ms)", value: `${round3(median(f.before))} / ${round3(percentile(f.before, 99))} / ${round3(worstBefore)}`, target: "reference" },
    { configuration: c, measure: "wait during the seal: median / p99 (ms)", value: `${round3(median(f.during))} / ${round3(percentile(f.during, 99))}`, target: "" },
    { configuration: c, measure: "longest request overlapping the seal (ms)", value: round3(f.worstRequest), target: f.chain ? verdict(f.worstRequest, target) : "reference" },
    { configuration: c, measure: "longest submission overlapping the seal, with its re-sign after a 409 (ms)", value: round3(f.worstDuring), target: "report" },
    { configuration: c, measure: "worst during ÷ worst before", value: `${round3(f.worstDuring / worstBefore)}×`, target: "" },
    { configuration: c, measure: "seal end to end, child process (s)", value: round3(f.sealSeconds), target: "report" },
    { configuration: c, measure: "  ledger lock held: collect + tree + header (s)", value: round3(f.lockedMs / 1000), target: "" },
    { configuration: c, measure: "  derived data after the lock: leaves + tiles (s)", value: round3(f.derivedMs / 1000), target: "" },
    { configuration: c, measure: "submissions re-signed after the seal changed the root", value: f.resigned, target: "" },
    { configuration: c, measure: "submissions not accepted", value: f.failed, target: 0 },
    ...(f.chain ? [{ configuration: c, measure: "accepted submissions without a receipt", value: f.withoutReceipt, target: 0 }] : []),
  ];
}

export async function run(args: string[]): Promise<BenchResult> {
  const count = args.includes("--million") ? 1_000_000 : 100_000;
  const target = count >= 1_000_000 ? 1_000 : 250;
  const log = (line: string) => console.log(`  ${line}`);
  const template = await pendingTemplate(count, log);
  const on = await measureStall(template, count, true, 3906, log);
  const off = await measureStall(template, count, false, 3907, log);
  const missed = on.worstRequest > target;
  return {
    title: `single-record submissions every ${INTERVAL_MS} ms while a ${count.toLocaleString("en")}-entry block seals, PostgreSQL; chain on (as npm start runs), then chain off`,
    rows: [...stallRows(on, target), ...stallRows(off, target)],
    notes: [
      on.sealedNote,
      off.sealedNote,
      `"${configurationLabel(true)}": a local Hardhat node with a registry, as npm start runs by default; every accepted probe is answered with its signed receipt (checked), and the new block is anchored while the load continues. "${configurationLabel(false)}": SEALBOOK_CHAIN=off.`,
      "The ledger lock is held only while the pending entries are collected, the tree built and the header committed; leaf positions and tiles are written after it is released (lib/ledger/derived.ts).",
      ...(missed
        ? [`Target missed with the chain on: the longest request waited ${round3(on.worstRequest)} ms. The seal's child process and PostgreSQL writing the derived rows compete with the server for the 2 cores; compare the worst wait before the seal and the load average below to tell a neighbour's burst from the seal.`]
        : []),
      `Seal figures include the child process's start (tsx) before it locks anything. Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(", ")}.`,
    ],
  };
}
