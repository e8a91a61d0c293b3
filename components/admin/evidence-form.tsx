"use client";

import { useId, useState, type FormEvent } from "react";
import type { EvidenceSummary } from "@/lib/ledger/evidence";
import { adminFetch, AdminApiError, goToSignIn } from "@/lib/admin/client/admin-api";
import { buttonClass, Field, FormMessage, inputClass, secondaryButtonClass, useFormTask } from "./form-bits";

type By = "entries" | "records" | "signer";
/** What the preview route answers (the plan's summary). */
type Preview = EvidenceSummary;

/** The Evidence page's search, preview and download. */
export function EvidenceForm() {
  const ids = useId();
  const [by, setBy] = useState<By>("entries");
  const [list, setList] = useState("");
  const [kid, setKid] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [isPublic, setPublic] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const task = useFormTask();

  function request() {
    const items = list.split(/[\s,]+/).filter(Boolean);
    const selection =
      by === "entries"
        ? { by, entryHashes: items }
        : by === "records"
          ? { by, recordIds: items }
          : { by, kid: kid.trim(), from: from ? new Date(from).toISOString() : "", to: to ? new Date(to).toISOString() : "" };
    return { selection, public: isPublic };
  }

  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void task.run(async () => {
      setPreview(null);
      const found = await adminFetch<Preview>("/api/v1/admin/evidence/plan", { method: "POST", body: request() });
      setPreview(found);
      return `${found.found} record(s) found.`;
    });
  }

  function onDownload() {
    void task.run(async () => {
      const response = await fetch("/api/v1/admin/evidence", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request()), credentials: "same-origin" });
      if (response.status === 401) goToSignIn();
      if (!response.ok) {
        const problem = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
        throw new AdminApiError(response.status, problem.code ?? "internal", problem.detail ?? `The server answered ${response.status}.`);
      }
      const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "evidence.sealbook.json";
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return `Downloaded ${name}. It is written to the admin log.`;
    });
  }

  return (
    <div className="grid max-w-3xl gap-6">
      <form onSubmit={onSearch} className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4" aria-label="Find records for an evidence bundle">
        <fieldset className="grid gap-1">
          <legend className="font-semibold">Find records by</legend>
          {(
            [
              ["entries", "Entry hashes"],
              ["records", "Record ids"],
              ["signer", "Signer and time range"],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="flex items-center gap-2">
              <input type="radio" name={`${ids}-by`} value={value} checked={by === value} onChange={() => setBy(value)} data-testid={`evidence-by-${value}`} /> {label}
            </label>
          ))}
        </fieldset>
        {by === "signer" ? (
          <div className="grid gap-3 sm:grid-cols-3">
            <Field id={`${ids}-kid`} label="Signer key id">
              <input id={`${ids}-kid`} className={inputClass} value={kid} onChange={(e) => setKid(e.target.value)} required data-testid="evidence-kid" />
            </Field>
            <Field id={`${ids}-from`} label="Accepted from">
              <input id={`${ids}-from`} type="datetime-local" className={inputClass} value={from} onChange={(e) => setFrom(e.target.value)} required data-testid="evidence-from" />
            </Field>
            <Field id={`${ids}-to`} label="Accepted to">
              <input id={`${ids}-to`} type="datetime-local" className={inputClass} value={to} onChange={(e) => setTo(e.target.value)} required data-testid="evidence-to" />
            </Field>
          </div>
        ) : (
          <Field id={`${ids}-list`} label={by === "entries" ? "Entry hashes" : "Record ids"} hint="One per line, or separated by commas or spaces.">
            <textarea id={`${ids}-list`} rows={5} className={`${inputClass} font-mono text-sm`} value={list} onChange={(e) => setList(e.target.value)} required data-testid="evidence-list" />
          </Field>
        )}
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={isPublic} onChange={(e) => setPublic(e.target.checked)} data-testid="evidence-public" /> Public bundle: leave the signed records (JWS) out
        </label>
        <div>
          <button type="submit" className={buttonClass} disabled={task.busy} data-testid="evidence-search">
            Search
          </button>
        </div>
      </form>
      {preview ? (
        <section aria-label="What the bundle will contain" className="rounded-lg border border-slate-200 bg-white p-4" data-testid="evidence-preview">
          <h2 className="text-xl font-semibold">What the bundle will contain</h2>
          <ul className="mt-2 list-disc pl-6">
            <li data-testid="evidence-included">{preview.included} record(s), sealed and anchored</li>
            {preview.included > 0 ? (
              <li>
                Block headers {preview.lowestHeight} to {preview.anchorHeight} ({preview.blockCount}), anchored up to block {preview.anchorHeight}
              </li>
            ) : null}
            {preview.pending ? <li>{preview.pending} left out: not sealed yet</li> : null}
            {preview.unanchored ? <li>{preview.unanchored} left out: their block is not anchored yet</li> : null}
            {preview.unknown.length ? <li>{preview.unknown.length} not in this ledger: {preview.unknown.slice(0, 5).join(", ")}</li> : null}
            <li>{isPublic ? "Public: without the signed records" : "With the signed records (JWS): handle it as confidential"}</li>
          </ul>
          <button type="button" className={`${secondaryButtonClass} mt-3`} disabled={task.busy || preview.included === 0} onClick={onDownload} data-testid="evidence-download">
            Download the evidence bundle
          </button>
        </section>
      ) : null}
      <FormMessage error={task.error} done={task.done} />
    </div>
  );
}
