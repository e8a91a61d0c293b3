import { readFile } from "node:fs/promises";
import { parseProofBundle, type ProofBundle, type StepResult } from "../../lib/protocol/bundle";
import { looksLikeEvidenceBundle } from "../../lib/protocol/evidence";
import { parseReceipt, type SignedReceipt } from "../../lib/watchdog/receipt";
import type { ReceiptStep } from "../../lib/watchdog/receipt-checks";
import { verifyBundleAndReceipt } from "../../lib/watchdog/verify";
import { CliError, type Command } from "../cli-kit";
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

const label = (s: StepResult | ReceiptStep) => ("check" in s ? `receipt/${s.check}` : s.step);

export const verify: Command = {
  name: "verify",
  summary: "Verify a proof bundle (PROTOCOL §5) with, optionally, an acceptance receipt (§6), or an evidence bundle (§8), trusting no server; offline except the chain steps.",
  usage: "sealbook verify BUNDLE.json [--jws FILE] [--receipt FILE] [--rpc URL | --offline] [--json]\n\n" +
    "  BUNDLE.json     the answer of GET /api/v1/proofs/{entryHash}, or an evidence bundle (FILE.sealbook.json,\n" +
    "                  recognised by its type \"sealbook.evidence\"): every check of §8, one line per check\n" +
    "  --jws FILE      the signed record you hold: checks that it is this entry\n" +
    "  --receipt FILE  the receipt from the acceptance answer: checks the signature, the signer's role on chain,\n" +
    "                  that it is this entry, and that the block was sealed by its sealBy\n" +
    "  --rpc URL       an Ethereum JSON-RPC endpoint of the bundle's chain, for the chain steps\n" +
    "  --offline       accept skipped chain steps (otherwise they make the result incomplete)\n\n" +
    "Exit codes: 0 verified (every step passed; chain steps skipped only with --offline), 1 a step failed,\n" +
    "2 unusable input, 3 incomplete (nothing failed, but the chain steps could not run).",
  options: { jws: { type: "string" }, receipt: { type: "string" }, rpc: { type: "string" }, offline: { type: "boolean" }, json: { type: "boolean" } },
  async run({ values, positionals }) {
    if (positionals.length !== 1) throw new CliError(`Give exactly one proof bundle file.\n\nUsage: ${verify.usage.split("\n")[0]}`);
    if (values.rpc && values.offline) throw new CliError("--rpc and --offline contradict each other: give one.");
    if (typeof values.rpc === "string" && !/^https?:\/\//.test(values.rpc)) throw new CliError(`--rpc must be an http(s) URL, not ${JSON.stringify(values.rpc)}.`);
    let bundle: ProofBundle;
    let receipt: SignedReceipt | undefined;
    const document = await readJsonFile(positionals[0], "bundle");
    if (looksLikeEvidenceBundle(document)) {
      if (values.jws !== undefined || values.receipt !== undefined) throw new CliError("An evidence bundle carries its records and receipts itself: --jws and --receipt are for proof bundles.");
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
    const report = await verifyBundleAndReceipt({ bundle, jws, receipt, rpcUrl: values.rpc as string | undefined, offline: values.offline === true });
    if (values.json) {
      console.log(JSON.stringify({ entryHash: bundle.entryHash, height: bundle.block.height, ...report }, null, 2));
    } else {
      console.log(`Entry ${bundle.entryHash} in block ${bundle.block.height} of ledger "${bundle.ledgerId}":`);
      const width = Math.max(...report.steps.map((s) => label(s).length));
      for (const step of report.steps) {
        const word = step.status === "pass" ? "PASS" : step.status === "fail" ? "FAIL" : "SKIP";
        const values = step.expected !== undefined || step.computed !== undefined ? ` (expected ${step.expected ?? "?"}, got ${step.computed ?? "?"})` : "";
        console.log(`  ${word}  ${label(step).padEnd(width)}  ${step.message}${values}`);
      }
      console.log(report.conclusion);
    }
    return report.exitCode;
  },
};
