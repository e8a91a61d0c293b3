import { parseEvidenceBundle, type EvidenceBundle } from "../../lib/protocol/evidence";
import type { EvidenceCheck } from "../../lib/protocol/evidence-verify";
import { verifyEvidence } from "../../lib/watchdog/evidence";
import { CliError, endProgress, progressLine, throttle } from "../cli-kit";

const word = (c: EvidenceCheck) => (c.status === "pass" ? "PASS" : c.status === "fail" ? "FAIL" : "SKIP");

/** One line for a check: status, what it is about, which check, the sentence, and the values when they differ. */
export function checkLine(c: EvidenceCheck): string {
  const about = c.entryHash ? `entry ${c.entryHash.slice(0, 12)}…` : c.height !== undefined ? `block ${c.height}` : "bundle";
  const values = c.expected !== undefined || c.computed !== undefined ? ` (expected ${c.expected ?? "?"}, got ${c.computed ?? "?"})` : "";
  return `  ${word(c)}  ${about.padEnd(20)} ${c.check.padEnd(22)} ${c.message}${values}`;
}

/** `sealbook verify` on an evidence bundle: every §8 check, one line each; the exit code as for proof bundles. */
export async function verifyEvidenceFile(document: unknown, options: { rpcUrl?: string; offline: boolean; json: boolean }): Promise<number> {
  let bundle: EvidenceBundle;
  try {
    bundle = parseEvidenceBundle(document);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const show = throttle<string>(500, progressLine);
  const result = await verifyEvidence(bundle, {
    rpcUrl: options.rpcUrl,
    offline: options.offline,
    onItem: (done, total) => {
      if (total >= 100) show(`verifying: ${done}/${total} records`, done === total);
    },
  });
  if (bundle.items.length >= 100) endProgress();
  if (options.json) {
    // Written check by check: a bundle of 100,000 records has about two million checks, more than one string can hold.
    const { checks, ...rest } = result;
    await write(`${JSON.stringify({ type: bundle.type, ledgerId: bundle.ledgerId, items: bundle.items.length, ...rest }).slice(0, -1)},"checks":[\n`);
    for (let i = 0; i < checks.length; i++) await write(`${i === 0 ? "" : ",\n"}${JSON.stringify(checks[i])}`);
    await write("\n]}\n");
    await flushed();
    return result.exitCode;
  }
  const heights = bundle.blocks.length ? `blocks ${bundle.blocks[0].height}–${bundle.blocks.at(-1)!.height}` : "no blocks";
  console.log(`Evidence bundle of ledger "${bundle.ledgerId}" made ${bundle.createdAt}: ${bundle.items.length} record(s), ${heights}, ${bundle.anchors.length} anchor(s).`);
  for (const c of result.checks) await write(`${checkLine(c)}\n`);
  console.log(`${result.counts.pass} passed, ${result.counts.fail} failed, ${result.counts.skipped} skipped.`);
  console.log(result.conclusion);
  await flushed();
  return result.exitCode;
}

/** Writes to stdout, waiting when its buffer is full (millions of lines must not pile up in memory). */
function write(text: string): Promise<void> {
  return process.stdout.write(text) ? Promise.resolve() : new Promise((resolve) => process.stdout.once("drain", () => resolve()));
}

/** Resolves once everything written to stdout so far is handed to the OS: the CLI exits right after, and a pipe would lose the rest. */
function flushed(): Promise<void> {
  return new Promise((resolve) => process.stdout.write("", () => resolve()));
}
