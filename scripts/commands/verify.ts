import { getAddress, isAddress } from "viem";
import { readFile } from "node:fs/promises";
import { parseProofBundle, type ProofBundle, type StepResult } from "../../lib/protocol/bundle";
import { looksLikeEvidenceBundle } from "../../lib/protocol/evidence";
import { HASH_ANY_CASE_PATTERN } from "../../lib/protocol/hex";
import { parseReceipt, type SignedReceipt } from "../../lib/protocol/receipt";
import type { ReceiptStep } from "../../lib/protocol/receipt-checks";
import { verifyBundleAndReceipt, type CheckStep, type VerifyReport } from "../../lib/watchdog/verify";
import { CliError, type Command } from "../cli-kit";
import { commandSpec } from "./specs";
import { verifyEvidenceFile } from "./verify-evidence";

async function readJsonFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new CliError(`Cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`The ${what} ${file} is not JSON: ${(error as Error).message}`);
  }
}

const label = (s: CheckStep) => ("check" in s ? `${s.step}/${s.check}` : s.step);

function printSteps(report: VerifyReport): void {
  const width = Math.max(...report.steps.map((s) => label(s).length));
  for (const step of report.steps) {
    const word = step.status === "pass" ? "PASS" : step.status === "fail" ? "FAIL" : "SKIP";
    const values = step.expected !== undefined || step.computed !== undefined ? ` (expected ${step.expected ?? "?"}, got ${step.computed ?? "?"})` : "";
    console.log(`  ${word}  ${label(step).padEnd(width)}  ${step.message}${values}`);
  }
  console.log(report.conclusion);
}

/** `sealbook verify --mirror URL (--entry HASH | --block H)`: from a mirror's files alone. */
async function verifyMirror(values: Record<string, unknown>): Promise<number> {
  const mirror = values.mirror as string;
  if (!/^https?:\/\/[^\s]+$/.test(mirror)) throw new CliError(`--mirror must be an http(s) URL, not ${JSON.stringify(mirror)}.`);
  const entryHash = values.entry as string | undefined;
  if (entryHash !== undefined && !HASH_ANY_CASE_PATTERN.test(entryHash)) throw new CliError(`--entry must be an entry hash (0x and 64 hex digits), not ${JSON.stringify(entryHash)}.`);
  const height = values.block === undefined ? undefined : Number(values.block);
  if (height !== undefined && (!Number.isInteger(height) || height < 1)) throw new CliError(`--block must be a block height (1 or more), not ${JSON.stringify(values.block)}.`);
  if (!entryHash && height === undefined) throw new CliError("With --mirror, give --entry HASH (a proof), --block H (a whole block), or both.");
  const { verifyFromMirror } = await import("../../lib/watchdog/mirror-verify");
  const report = await verifyFromMirror({ mirror, entryHash: entryHash?.toLowerCase() as `0x${string}` | undefined, height, rpcUrl: values.rpc as string | undefined, offline: values.offline === true });
  if (values.json) console.log(JSON.stringify({ entryHash: entryHash ?? null, height: height ?? null, ...report }, null, 2));
  else {
    console.log(`${entryHash ? `Entry ${entryHash}` : `Block ${height}`} from the mirror ${mirror}:`);
    printSteps(report);
  }
  return report.exitCode;
}

export const verify: Command = {
  ...commandSpec("verify"),
  async run({ values, positionals }) {
    if (values.rpc && values.offline) throw new CliError("--rpc and --offline contradict each other: give one.");
    if (typeof values.rpc === "string" && !/^https?:\/\//.test(values.rpc)) throw new CliError(`--rpc must be an http(s) URL, not ${JSON.stringify(values.rpc)}.`);
    if (values.registry !== undefined && (typeof values.registry !== "string" || !isAddress(values.registry))) {
      throw new CliError(`--registry must be an address (0x followed by 40 hex digits), not ${JSON.stringify(values.registry)}.`);
    }
    if (typeof values.mirror === "string") {
      if (positionals.length > 0) throw new CliError("With --mirror, give no bundle file: the proof is built from the mirror's files.");
      return verifyMirror(values);
    }
    if (positionals.length !== 1) throw new CliError(`Give exactly one proof bundle file.\n\nUsage: ${verify.usage.split("\n")[0]}`);
    let bundle: ProofBundle;
    let receipt: SignedReceipt | undefined;
    const document = await readJsonFile(positionals[0], "bundle");
    if (looksLikeEvidenceBundle(document)) {
      if (values.jws !== undefined || values.receipt !== undefined) throw new CliError("An evidence bundle carries its records and receipts itself: --jws and --receipt are for proof bundles.");
      if (typeof values.registry === "string") {
        // The registry the reader trusts, not the one the bundle names (a forged bundle can name the forger's contract).
        const trusted = getAddress(values.registry);
        const anchors = (document as { anchors?: Array<{ registry?: unknown }> }).anchors ?? [];
        const other = anchors.find((a) => typeof a.registry !== "string" || !isAddress(a.registry) || getAddress(a.registry) !== trusted);
        if (other) throw new CliError(`The bundle's anchors name the registry ${String(other.registry)}, not the one you trust (--registry ${trusted}): its chain checks would prove nothing.`, 1);
      }
      return verifyEvidenceFile(document, { rpcUrl: values.rpc as string | undefined, offline: values.offline === true, json: values.json === true });
    }
    try {
      bundle = parseProofBundle(document);
      if (typeof values.receipt === "string") receipt = parseReceipt(await readJsonFile(values.receipt, "receipt"));
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError((error as Error).message);
    }
    let jws: string | undefined;
    if (typeof values.jws === "string") {
      try {
        jws = (await readFile(values.jws, "utf8")).trim();
      } catch (error) {
        throw new CliError(`Cannot read the signed record ${values.jws}: ${(error as Error).message}`);
      }
    }
    const registry = typeof values.registry === "string" ? getAddress(values.registry) : undefined;
    const report = await verifyBundleAndReceipt({ bundle, jws, receipt, rpcUrl: values.rpc as string | undefined, offline: values.offline === true, registry });
    if (values.json) {
      console.log(JSON.stringify({ entryHash: bundle.entryHash, height: bundle.block.height, ...report }, null, 2));
    } else {
      console.log(`Entry ${bundle.entryHash} in block ${bundle.block.height} of ledger "${bundle.ledgerId}":`);
      printSteps(report);
    }
    return report.exitCode;
  },
};
