import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { evidenceChunks, planEvidence, planSummary, type EvidenceSelection } from "../../lib/ledger/evidence";
import { evidenceReceiptIssuer } from "../../lib/chain/evidence-receipts";
import { reportHead, reportItem, reportTail, type ReportHead } from "../../lib/portal/evidence-report";
import { isHash, type Hash } from "../../lib/protocol/hex";
import { CliError, endProgress, progressLine, throttle, type Command } from "../cli-kit";
import { commandSpec } from "./specs";
import { withLedger } from "./with-ledger";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the selection from the options; throws CliError when it is not exactly one of the three forms. */
export function selectionFromOptions(values: Record<string, string | boolean | string[] | undefined>, positionals: string[]): EvidenceSelection {
  const list = (v: unknown) => (Array.isArray(v) ? v : typeof v === "string" ? [v] : []).flatMap((s) => String(s).split(/[\s,]+/)).filter(Boolean);
  const entries = list(values.entry);
  const records = list(values["record-id"]);
  const kinds = [entries.length > 0, records.length > 0, values.signer !== undefined].filter(Boolean).length;
  if (kinds !== 1) throw new CliError(`Give exactly one selection: --entry HASH…, --record-id UUID…, or --signer KID --from TIME --to TIME.\n\nUsage: ${evidence.usage.split("\n")[0]}`);
  if (entries.length > 0) {
    const all = [...entries, ...positionals];
    const bad = all.find((h) => !isHash(h.toLowerCase()));
    if (bad) throw new CliError(`${JSON.stringify(bad)} is not an entry hash (0x and 64 hex digits).`);
    return { by: "entries", entryHashes: all.map((h) => h.toLowerCase() as Hash) };
  }
  if (records.length > 0) {
    const all = [...records, ...positionals];
    const bad = all.find((id) => !UUID.test(id));
    if (bad) throw new CliError(`${JSON.stringify(bad)} is not a record id (a UUID).`);
    return { by: "records", recordIds: all };
  }
  if (positionals.length > 0) throw new CliError(`Unexpected argument ${JSON.stringify(positionals[0])}.`);
  const time = (name: "from" | "to") => {
    const v = values[name];
    if (typeof v !== "string") throw new CliError(`--signer needs --from TIME and --to TIME (RFC 3339, e.g. 2026-11-01T00:00:00Z).`);
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw new CliError(`--${name} ${JSON.stringify(v)} is not a time (use RFC 3339, e.g. 2026-11-01T00:00:00Z).`);
    return d;
  };
  return { by: "signer", kid: String(values.signer), from: time("from"), to: time("to") };
}

/** The selection in words, for the report and the log. */
export function describeSelection(selection: EvidenceSelection): string {
  if (selection.by === "entries") return `${selection.entryHashes.length} named entr${selection.entryHashes.length === 1 ? "y" : "ies"}`;
  if (selection.by === "records") return `${selection.recordIds.length} named record id(s)`;
  return `the records of signer ${selection.kid} accepted from ${selection.from.toISOString()} to ${selection.to.toISOString()}`;
}

export const evidence: Command = {
  ...commandSpec("evidence"),
  async run({ values, positionals }) {
    const selection = selectionFromOptions(values, positionals);
    if (typeof values.out !== "string") throw new CliError("Give --out FILE.sealbook.json: where to write the bundle.");
    const out = values.out;
    const reportFile = typeof values.report === "string" ? values.report : null;
    const publicBundle = values.public === true;
    const show = throttle<string>(500, progressLine);
    const started = Date.now();
    const summary = await withLedger(async (ledger, runtime) => {
      show("evidence: finding the records…", true);
      const plan = await planEvidence(ledger, selection);
      const left = [
        plan.unknown.length ? `${plan.unknown.length} not in the ledger (${plan.unknown.slice(0, 3).join(", ")}${plan.unknown.length > 3 ? ", …" : ""})` : "",
        plan.pending ? `${plan.pending} not sealed yet` : "",
        plan.unanchored ? `${plan.unanchored} in blocks not anchored yet` : "",
      ].filter(Boolean);
      if (left.length) process.stderr.write(`evidence: left out: ${left.join("; ")}.\n`);
      if (plan.included === 0) throw new CliError("None of the selected records is sealed in an anchored block, so there is nothing to write.", 1);
      const { issuer, unavailable } = await evidenceReceiptIssuer(runtime.config);
      if (unavailable) process.stderr.write(`evidence: receipts are null in this bundle: ${unavailable}\n`);
      const head: ReportHead = {
        ledgerId: ledger.ledgerId,
        createdAt: ledger.now().toISOString(),
        portalUrl: (typeof values["portal-url"] === "string" ? values["portal-url"] : `http://localhost:${runtime.config.PORT}`).replace(/\/+$/, ""),
        bundleFile: basename(out),
        publicBundle,
        selection: describeSelection(selection),
      };
      const report = reportFile ? createWriteStream(`${reportFile}.partial`) : null;
      if (report) report.write(reportHead(head));
      try {
        const chunks = evidenceChunks(ledger, plan, {
          public: publicBundle,
          receipts: issuer,
          onItem: async (item, done, total) => {
            if (report && !report.write(await reportItem(item, head, done - 1))) await new Promise<void>((r) => report.once("drain", () => r()));
            show(`evidence: ${done}/${total} records written`, done === total);
          },
        });
        await pipeline(Readable.from(chunks), createWriteStream(`${out}.partial`));
        if (report) {
          report.end(reportTail(plan.included));
          await finished(report);
        }
      } catch (error) {
        report?.destroy();
        await rm(`${out}.partial`, { force: true });
        if (reportFile) await rm(`${reportFile}.partial`, { force: true });
        throw error;
      }
      await rename(`${out}.partial`, out);
      if (reportFile) await rename(`${reportFile}.partial`, reportFile);
      return { file: out, report: reportFile, public: publicBundle, receipts: issuer !== null, ...planSummary(plan), seconds: (Date.now() - started) / 1000 };
    });
    endProgress();
    if (values.json) console.log(JSON.stringify(summary, null, 2));
    else {
      console.log(`Wrote ${summary.file}: ${summary.included} record(s) in blocks ${summary.lowestHeight}–${summary.highestHeight}, ${summary.blockCount} block header(s) up to anchored height ${summary.anchorHeight}${summary.public ? ", public (no JWS)" : ""}, in ${summary.seconds.toFixed(1)} s.`);
      if (summary.report) console.log(`Wrote the report ${summary.report}.`);
      console.log(`Check it with: sealbook verify ${summary.file} --rpc URL`);
    }
    return 0;
  },
};
