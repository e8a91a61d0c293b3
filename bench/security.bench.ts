/**
 * `npm run bench security`: the load-shaped findings of issue 12, each measured by counts or
 * ratios against a target, on PostgreSQL, against the API as `npm start` serves it (request
 * guard, server limits, fast routes; no Next.js build needed):
 *
 * 1. honest single submissions while an attacker sends records with a NUL `kid` (50 req/s) and
 *    batches holding one;
 * 4. sign-in guesses evaluated out of a parallel burst;
 * 5. server memory and a small request's latency while large and nested batch bodies arrive,
 *    with the 8 MiB cap against a 64 MiB one (about today's old limit);
 * 6. the search box's parse time at 200 characters against a short query (and the old pattern);
 * 11. a flood from one address against the submission rate limit, and a body trickled a byte a
 *    second against the request timeout.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { openDatabase } from "../db/client";
import { signIn } from "../lib/admin/sign-in";
import { readAdminSettings } from "../lib/admin/settings";
import { createAdminUser } from "../lib/admin/users";
import { openLedger } from "../lib/ledger/context";
import { registerSigner } from "../lib/ledger/signers/signers";
import { parseSearchQuery } from "../lib/portal/search";
import { median, round3, type BenchResult, type BenchRow } from "./harness";
import { createBenchDatabase } from "./support/server";
import { signManyRecords } from "./support/sign-workers";

const root = path.resolve(import.meta.dirname, "..");
const LEDGER = "bench";

interface Child {
  url: string;
  rssMiB(): number;
  stop(): Promise<void>;
}

async function startGuarded(databaseUrl: string, port: number, env: Record<string, string>): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench", "support", "guarded-server.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LEDGER_ID: LEDGER, SEALBOOK_CHAIN: "off", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      output += d;
      if (output.includes("ready")) resolve();
    });
    child.stderr!.on("data", (d) => (output += d));
    child.once("exit", () => reject(new Error(`The bench server exited:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    rssMiB: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0) / 1024,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

const b64 = (value: object | string) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** Runs `tasks` with at most `concurrency` at a time. */
async function pool<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await task(items[next++]);
  }));
}

async function honestWhileAttacked(url: string, honest: string[], genesisRoot: string): Promise<BenchRow[]> {
  const bad = `${b64({ alg: "EdDSA", kid: "\u0000" })}.${b64({ id: crypto.randomUUID(), kind: "x", prevRoot: genesisRoot, createdAt: new Date().toISOString(), body: {} })}.${b64("sig")}`;
  let attacking = true;
  let attacks = 0;
  const attacker = (async () => {
    while (attacking) {
      void fetch(`${url}/api/v1/records`, { method: "POST", body: bad, headers: { "content-type": "application/jose" } }).then((r) => r.arrayBuffer());
      attacks++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  let created = 0;
  const statuses: Record<number, number> = {};
  await pool(honest.slice(0, 600), 16, async (jws) => {
    const response = await fetch(`${url}/api/v1/records`, { method: "POST", body: jws, headers: { "content-type": "application/jose" } });
    await response.arrayBuffer();
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    if (response.status === 201) created++;
  });
  attacking = false;
  await attacker;
  const batch = await fetch(`${url}/api/v1/records/batch`, { method: "POST", body: JSON.stringify({ jws: [...honest.slice(600, 609), bad] }), headers: { "content-type": "application/json" } });
  const batchBody = (await batch.json()) as { accepted: number; rejected: number };
  return [
    { finding: "1 bad kid", measure: `honest single submissions answered 201 while ${attacks} NUL-kid records arrived (50/s)`, value: `${created} of 600`, target: "600 of 600", statuses: JSON.stringify(statuses) },
    { finding: "1 bad kid", measure: "a batch of 9 honest records and 1 NUL-kid record", value: `${batch.status}: ${batchBody.accepted} accepted, ${batchBody.rejected} rejected`, target: "200: 9 accepted, 1 rejected", statuses: "" },
  ];
}

async function burstEvaluated(databaseUrl: string): Promise<BenchRow[]> {
  const handle = await openDatabase({ url: databaseUrl, maxConnections: 4 });
  try {
    const settings = readAdminSettings({ ADMIN_COOKIE_SECURE: "0" });
    await createAdminUser(handle.db, { email: "burst@bench.test", role: "auditor", password: "the right password, long enough" });
    const client = { ip: "203.0.113.5", userAgent: "bench" };
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signIn(handle.db, { email: "burst@bench.test", password: `wrong ${i}` }, client, new Date(), settings).then(() => "ok", (e: { code: string }) => e.code)),
    );
    const right = await signIn(handle.db, { email: "burst@bench.test", password: "the right password, long enough" }, client, new Date(), settings).then(() => "signed in", (e: { code: string }) => e.code);
    const evaluated = outcomes.filter((o) => o === "unauthorized").length;
    return [
      { finding: "4 throttle race", measure: "of 50 parallel wrong sign-ins from one address, evaluated (argon2)", value: evaluated, target: `≤ ${settings.maxFailuresPerPair}`, statuses: "" },
      { finding: "4 throttle race", measure: "the right password right after the burst", value: right, target: "rate_limited", statuses: "" },
    ];
  } finally {
    await handle.close();
  }
}

/** Sends `count` bodies of `size` bytes at once; returns the peak server RSS and a small request's median latency meanwhile. */
async function largeBodies(child: Child, body: Buffer, count: number, chunked: boolean): Promise<{ peakMiB: number; baseMiB: number; probeMs: number; statuses: string }> {
  const baseMiB = child.rssMiB();
  let peakMiB = baseMiB;
  const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, child.rssMiB())), 20);
  const probes: number[] = [];
  let probing = true;
  const prober = (async () => {
    while (probing) {
      const start = performance.now();
      await (await fetch(`${child.url}/api/v1/proofs/0x${"ab".repeat(32)}`)).arrayBuffer();
      probes.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const statuses: Record<number, number> = {};
  await Promise.all(
    Array.from({ length: count }, async () => {
      const stream = chunked
        ? new ReadableStream<Uint8Array>({
            start(controller) {
              for (let at = 0; at < body.length; at += 1 << 20) controller.enqueue(body.subarray(at, at + (1 << 20)));
              controller.close();
            },
          })
        : body;
      try {
        const response = await fetch(`${child.url}/api/v1/records/batch`, { method: "POST", body: stream, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit);
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      } catch {
        statuses[0] = (statuses[0] ?? 0) + 1;
      }
    }),
  );
  probing = false;
  await prober;
  clearInterval(sampler);
  return { peakMiB, baseMiB, probeMs: median(probes.length ? probes : [0]), statuses: JSON.stringify(statuses) };
}

function searchTimes(): BenchRow[] {
  const long = `block${" ".repeat(194)}x`;
  const time = (fn: () => void, n: number) => {
    const runs: number[] = [];
    for (let r = 0; r < 5; r++) {
      const start = performance.now();
      for (let i = 0; i < n; i++) fn();
      runs.push(((performance.now() - start) * 1000) / n);
    }
    return median(runs);
  };
  const short = time(() => parseSearchQuery("block 42"), 20_000);
  const at200 = time(() => parseSearchQuery(long), 20_000);
  const old = /^(?:block\s*)?#?\s*([0-9]{1,10})$/i;
  const oldAt200 = time(() => old.exec(long), 2_000);
  const oldAttack = time(() => old.exec(`block${" ".repeat(15_500)}x`), 3);
  return [
    { finding: "6 search regex", measure: "parse time, 200 characters ÷ \"block 42\" (µs each)", value: `${round3(at200)} ÷ ${round3(short)} = ${round3(at200 / short)}×`, target: "≤ 10×", statuses: "" },
    { finding: "6 search regex", measure: "the old pattern on the same 200 characters / on the 15,500-space attack (µs)", value: `${round3(oldAt200)} / ${round3(oldAttack)}`, target: "reference (before)", statuses: "" },
  ];
}

async function flood(url: string, jws: string[]): Promise<BenchRow> {
  const statuses: Record<number, number> = {};
  const start = performance.now();
  await pool(jws, 32, async (body) => {
    const response = await fetch(`${url}/api/v1/records`, { method: "POST", body, headers: { "content-type": "application/jose" } });
    await response.arrayBuffer();
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  });
  const seconds = (performance.now() - start) / 1000;
  return {
    finding: "11 rate limit",
    measure: `one address, ${jws.length} submissions as fast as it can (RATE_LIMIT_SUBMISSIONS=100): accepted in ${round3(seconds)} s`,
    value: statuses[201] ?? 0,
    target: `≤ ${Math.floor(200 + 100 * seconds)} (a burst of 200, then 100/s)`,
    statuses: JSON.stringify(statuses),
  };
}

async function trickle(url: string): Promise<BenchRow> {
  const { port } = new URL(url);
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const socket = connect(Number(port), "127.0.0.1", () => {
      socket.write("POST /api/v1/records HTTP/1.1\r\nHost: bench\r\nContent-Type: application/jose\r\nContent-Length: 100000\r\n\r\n");
      const timer = setInterval(() => socket.write("a"), 1000);
      socket.once("close", () => {
        clearInterval(timer);
        resolve();
      });
    });
    socket.on("data", () => undefined);
    socket.on("error", () => undefined);
  });
  const seconds = (performance.now() - start) / 1000;
  return { finding: "11 timeouts", measure: "a body trickled one byte a second holds its connection for (s)", value: round3(seconds), target: "≤ 31 (HTTP_REQUEST_TIMEOUT_SECONDS=30; 300 before)", statuses: "" };
}

export async function run(args: string[]): Promise<BenchResult> {
  const quick = args.includes("--quick");
  const database = await createBenchDatabase("sealbook_bench_security");
  const handle = await openDatabase({ url: database.url, maxConnections: 2 });
  const ledger = await openLedger(handle, LEDGER);
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const signer = await registerSigner(ledger, { publicJwk: await exportJWK(publicKey), label: "benchmark signer", validFrom: new Date(Date.now() - 60_000) });
  await handle.close();
  const records = await signManyRecords(await exportJWK(privateKey), signer.kid, ledger.genesisRoot, 620 + 1_000);
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  try {
    const open = await startGuarded(database.url, 3931, { RATE_LIMIT_SUBMISSIONS: "0", RATE_LIMIT_READS: "0" });
    try {
      rows.push(...(await honestWhileAttacked(open.url, records.slice(0, 620), ledger.genesisRoot)));
    } finally {
      await open.stop();
    }
    rows.push(...(await burstEvaluated(database.url)));

    const size = quick ? 20 << 20 : 61 << 20;
    const big = Buffer.alloc(size, 0x20);
    big.write('{"jws":["', 0);
    big.write('"]}', size - 3);
    const nested = Buffer.from(`{"jws":${"[".repeat(4 << 20)}${"]".repeat(4 << 20)}}`);
    for (const [label, env] of [
      ["8 MiB cap (default)", {}],
      ["64 MiB cap, 64 at once (about the old limits)", { BATCH_MAX_BYTES: String(64 << 20), BATCH_MAX_CONCURRENT: "64" }],
    ] as const) {
      const child = await startGuarded(database.url, 3932, { RATE_LIMIT_SUBMISSIONS: "0", RATE_LIMIT_READS: "0", ...env });
      try {
        for (const [what, body, chunked] of [
          [`3 × ${size >> 20} MB bodies with a length`, big, false],
          [`3 × ${size >> 20} MB bodies, chunked`, big, true],
          ["3 × 8 MB nested {\"jws\":[[[…]]]}", nested, false],
        ] as const) {
          const r = await largeBodies(child, body, 3, chunked);
          rows.push({ finding: "5 bodies", measure: `${label}: ${what}: server RSS before → peak (MiB), small request p50 (ms)`, value: `${Math.round(r.baseMiB)} → ${Math.round(r.peakMiB)}, ${round3(r.probeMs)}`, target: "peak ≤ base + 3 × 8 MiB × a few", statuses: r.statuses });
        }
      } finally {
        await child.stop();
      }
    }

    rows.push(...searchTimes());

    const limited = await startGuarded(database.url, 3933, { RATE_LIMIT_SUBMISSIONS: "100", HTTP_REQUEST_TIMEOUT_SECONDS: "30" });
    try {
      rows.push(await flood(limited.url, records.slice(620, 620 + 1_000)));
      if (!quick) rows.push(await trickle(limited.url));
      else notes.push("--quick skips the 30-second trickle.");
    } finally {
      await limited.stop();
    }
  } finally {
    await database.drop();
  }
  notes.push("Every figure is a count or a ratio measured in this run; none is asserted by the test suite.");
  return { title: "security limits under attack (issue 12), PostgreSQL, API as npm start serves it", rows, notes };
}
