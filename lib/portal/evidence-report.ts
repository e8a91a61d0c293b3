/**
 * The printable report that goes beside an evidence bundle (`sealbook evidence --report FILE.html`):
 * for people who are not engineers, per record what it is, what the bundle proves about it, on
 * which chain and transaction, and what it does not prove, with a QR code to its public entry page.
 * Written piece by piece as the bundle's items are written, so a long selection never sits in memory.
 */
import type { EvidenceItem } from "../protocol/evidence";
import { decodeRecord } from "../protocol/record";
import { entryPageUrl } from "./entry-links";
import { qrCodeSvg } from "./entry-qr";

export interface ReportHead {
  ledgerId: string;
  createdAt: string;
  /** The public portal, for the QR codes and links (e.g. https://ledger.example.org). */
  portalUrl: string;
  /** The bundle's file name, to say which file this report goes with. */
  bundleFile: string;
  publicBundle: boolean;
  /** What was asked for, in words ("3 named entries", "signer X from … to …"). */
  selection: string;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const when = (iso: string) => new Date(iso).toUTCString().replace("GMT", "UTC");

/** The top of the report: what it is, and how to check it. */
export function reportHead(head: ReportHead): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evidence report: ledger ${escape(head.ledgerId)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#111}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin:0 0 .5rem}code{font-size:.85em;word-break:break-all}
section.record{border:1px solid #999;border-radius:6px;padding:1rem;margin:1rem 0;display:flex;gap:1rem;break-inside:avoid}
section.record .qr{flex:0 0 8rem}section.record .qr svg{width:8rem;height:8rem}dl{display:grid;grid-template-columns:9rem 1fr;gap:.2rem .8rem;margin:.5rem 0}
dt{font-weight:600}dd{margin:0}.note{background:#f3f3f3;padding:.75rem 1rem;border-radius:6px}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}
</style></head><body>
<h1>Evidence report: ledger “${escape(head.ledgerId)}”</h1>
<p>This report goes with the evidence file <code>${escape(head.bundleFile)}</code>, made on ${escape(when(head.createdAt))} for ${escape(head.selection)}.
It describes, in plain words, each record in that file and what the file proves about it.</p>
<div class="note"><p><strong>This page is a description, not the proof.</strong> The proof is the evidence file itself: anyone can check it,
without trusting the ledger or whoever made it, with <code>sealbook verify ${escape(head.bundleFile)} --rpc URL</code> or on the ledger's public <a href="${escape(head.portalUrl)}/verify">verify page</a>
(choose the file; the checks run in the browser). The checks compare the records with the block roots published on a public blockchain, which nobody can change afterwards.</p>
${head.publicBundle ? "<p>This is a <strong>public</strong> evidence file: it does not contain the records themselves (their content is private), only their fingerprints (entry hashes). It proves that records with these fingerprints were accepted and sealed; the signature on each record can only be checked by someone who holds the record.</p>" : ""}
</div>
`;
}

/** One record's section, with a QR code linking to its public entry page. */
export async function reportItem(item: EvidenceItem, head: ReportHead, index: number): Promise<string> {
  const link = entryPageUrl(head.portalUrl, item.entryHash);
  const qr = await qrCodeSvg(link);
  let kind = "not shown (public bundle: the record itself is not included)";
  if (item.jws !== undefined) {
    try {
      kind = decodeRecord(item.jws).payload.kind;
    } catch {
      kind = "unreadable: the record in the file is damaged (verification will fail)";
    }
  }
  const { block, anchor } = item.bundle;
  const signer = item.signer;
  const anchoredHow = anchor
    ? `the root of block ${block.height} was published on blockchain ${anchor.chainId}, in the registry contract <code>${escape(anchor.registry)}</code>, by transaction <code>${escape(anchor.txHash)}</code> (chain block ${anchor.blockNumber})`
    : `block ${block.height} is tied to the blockchain through the blocks after it, up to an anchored one listed at the end`;
  const proves = [
    `A record with this fingerprint was accepted by the ledger on ${escape(when(item.acceptedAt))}.`,
    item.jws !== undefined
      ? `It was signed with the key of “${escape(signer.label)}” (key id <code>${escape(signer.kid)}</code>), and that key was valid at that moment.`
      : `The ledger lists it as signed with the key of “${escape(signer.label)}” (key id <code>${escape(signer.kid)}</code>); the signature itself can be checked only with the record.`,
    `It is one of the ${block.entryCount} records sealed in block ${block.height} on ${escape(when(block.sealedAt))}, and ${anchoredHow}.`,
    "Since then it has not been changed or removed: any change would change the fingerprint and break the link to the published root.",
  ];
  const notProves = [
    "That what the record says is true: only that it was signed, accepted at that time, and kept unchanged.",
    "Who was at the keyboard: only that the registered key was used.",
    item.jws === undefined ? "What the record says: its content is not in this file." : "Anything about records not listed in this report.",
  ];
  return `<section class="record" id="r${index + 1}">
<div class="qr" role="img" aria-label="QR code linking to the public page of this record">${qr}</div>
<div><h2>Record ${index + 1}</h2>
<dl><dt>Entry hash</dt><dd><code>${escape(item.entryHash)}</code></dd>
<dt>Kind</dt><dd>${escape(kind)}</dd>
<dt>Signer</dt><dd>${escape(signer.label)}</dd>
<dt>Accepted at</dt><dd>${escape(when(item.acceptedAt))}</dd>
<dt>Public page</dt><dd><a href="${escape(link)}">${escape(link)}</a></dd></dl>
<p><strong>What this proves</strong></p><ul>${proves.map((p) => `<li>${p}</li>`).join("")}</ul>
<p><strong>What this does not prove</strong></p><ul>${notProves.map((p) => `<li>${p}</li>`).join("")}</ul>
</div></section>
`;
}

/** The end of the report. */
export function reportTail(records: number): string {
  return `<p>${records} record(s) in this report. End of report.</p>\n</body></html>\n`;
}
