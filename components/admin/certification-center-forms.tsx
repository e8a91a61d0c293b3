"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { adminFetch } from "@/lib/admin/client/admin-api";
import { buttonClass, dangerButtonClass, Field, FormMessage, inputClass, readFileText, useFormTask } from "./form-bits";

/** Uploads a certification centre's CA certificate (PEM) to trust it. */
export function TrustCaForm() {
  const router = useRouter();
  const fileRef = useRef<HTMLInputElement>(null);
  const { busy, error, done, run } = useFormTask();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const pasted = String(new FormData(formElement).get("pem") ?? "").trim();
    await run(async () => {
      const certificate = (fileRef.current ? await readFileText(fileRef.current) : null) ?? pasted;
      if (!certificate) throw new Error("Choose the CA certificate file (PEM), or paste it.");
      const answer = await adminFetch<{ certificationCenter: { subject: string }; created: boolean }>("/api/v1/admin/certification-centers", { method: "POST", body: { certificate } });
      formElement.reset();
      router.refresh();
      return answer.created ? `Now trusted: ${answer.certificationCenter.subject}.` : `${answer.certificationCenter.subject} was trusted already.`;
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="trust-ca-title">
      <h2 id="trust-ca-title" className="text-xl font-semibold">
        Trust a certification centre
      </h2>
      <Field id="ca-file" label="CA certificate file" hint="A CA certificate (basicConstraints cA) allowed to sign certificates, valid now.">
        <input id="ca-file" ref={fileRef} type="file" accept=".pem,.crt,.cer,application/x-pem-file" className={inputClass} aria-describedby="ca-file-hint" />
      </Field>
      <Field id="ca-pem" label="…or paste it (PEM)">
        <textarea id="ca-pem" name="pem" rows={4} className={`${inputClass} font-mono text-xs`} placeholder="-----BEGIN CERTIFICATE-----" />
      </Field>
      <FormMessage error={error} done={done} />
      <button type="submit" disabled={busy} className={buttonClass}>
        {busy ? "Uploading…" : "Trust this centre"}
      </button>
    </form>
  );
}

/** Stops trusting a centre, after a confirmation. */
export function DistrustCaButton({ id, subject, activeSigners }: { id: number; subject: string; activeSigners: number }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="mt-3 space-y-2">
      <button
        type="button"
        disabled={busy}
        className={dangerButtonClass}
        onClick={async () => {
          if (
            !window.confirm(
              `Stop trusting ${subject}? Its certificates will register no new signer. ${activeSigners} key(s) registered through it stay active until you revoke them; you can do that next.`,
            )
          )
            return;
          setBusy(true);
          setError(null);
          try {
            await adminFetch(`/api/v1/admin/certification-centers/${id}`, { method: "DELETE" });
            router.refresh();
          } catch (e) {
            setError((e as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        Distrust
      </button>
      <FormMessage error={error} done={null} />
    </div>
  );
}

/** Revokes, from now on, the keys a distrusted centre registered, after a confirmation that says how many. */
export function RevokeCaSignersButton({ id, subject, activeSigners }: { id: number; subject: string; activeSigners: number }) {
  const router = useRouter();
  const { busy, error, done, run } = useFormTask();
  return (
    <div className="mt-3 space-y-2">
      <p className="text-sm text-slate-700">
        {activeSigners} key(s) registered through this centre are still active. A key certified by a centre you no longer trust may be no better
        than it.
      </p>
      <button
        type="button"
        disabled={busy}
        className={dangerButtonClass}
        onClick={() =>
          window.confirm(`Revoke the ${activeSigners} key(s) registered through ${subject}, from now on? Records they signed before stay in the ledger.`)
            ? run(async () => {
                const answer = await adminFetch<{ revoked: string[] }>(`/api/v1/admin/certification-centers/${id}/revoke-signers`, { method: "POST" });
                router.refresh();
                return `Revoked ${answer.revoked.length} key(s).`;
              })
            : undefined
        }
      >
        {busy ? "Revoking…" : `Revoke its ${activeSigners} signer key(s)`}
      </button>
      <FormMessage error={error} done={done} />
    </div>
  );
}
