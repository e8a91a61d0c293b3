"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { adminFetch } from "@/lib/admin/client/admin-api";
import { buttonClass, Field, FormMessage, inputClass, readFileText, useFormTask } from "./form-bits";

type Source = "certificate" | "jwk";

/** Registers a signer key from its X.509 certificate (PEM) or from a public JWK. */
export function RegisterSignerForm() {
  const router = useRouter();
  const fileRef = useRef<HTMLInputElement>(null);
  const [source, setSource] = useState<Source>("certificate");
  const { busy, error, done, run } = useFormTask();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    await run(async () => {
      let body: Record<string, unknown>;
      if (source === "certificate") {
        const certificate = (fileRef.current ? await readFileText(fileRef.current) : null) ?? text("pem");
        if (!certificate) throw new Error("Choose the signer's certificate file (PEM), or paste it.");
        body = { certificate, label: text("label") || null, organization: text("organization") || null };
      } else {
        let jwk: unknown;
        try {
          jwk = JSON.parse(text("jwk"));
        } catch {
          throw new Error("The public key must be a JSON Web Key, such as the .public.jwk file `sealbook keygen` writes.");
        }
        const validFrom = text("validFrom");
        body = { jwk, label: text("label"), organization: text("organization") || null, ...(validFrom ? { validFrom: new Date(validFrom).toISOString() } : {}) };
      }
      const answer = await adminFetch<{ signer: { kid: string; label: string }; created: boolean }>("/api/v1/admin/signers", { method: "POST", body });
      formElement.reset();
      router.refresh();
      return answer.created ? `Registered "${answer.signer.label}" (key id ${answer.signer.kid}).` : `This key is registered already, as "${answer.signer.label}"; nothing changed.`;
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="register-signer-title">
      <h2 id="register-signer-title" className="text-xl font-semibold">
        Register a signer key
      </h2>
      <fieldset>
        <legend className="font-semibold">From</legend>
        <div className="mt-1 flex flex-wrap gap-4">
          {(
            [
              ["certificate", "An X.509 certificate (PEM)"],
              ["jwk", "A public JWK"],
            ] as const
          ).map(([value, text]) => (
            <label key={value} className="inline-flex items-center gap-2">
              <input type="radio" name="source" value={value} checked={source === value} onChange={() => setSource(value)} className="h-4 w-4" />
              {text}
            </label>
          ))}
        </div>
      </fieldset>
      {source === "certificate" ? (
        <>
          <Field id="signer-certificate-file" label="Certificate file" hint="The signer's own certificate (not its CA's): its key is extracted, and its validity kept.">
            <input id="signer-certificate-file" ref={fileRef} type="file" accept=".pem,.crt,.cer,application/x-pem-file" className={inputClass} aria-describedby="signer-certificate-file-hint" />
          </Field>
          <Field id="signer-certificate-pem" label="…or paste it (PEM)">
            <textarea id="signer-certificate-pem" name="pem" rows={4} className={`${inputClass} font-mono text-xs`} placeholder="-----BEGIN CERTIFICATE-----" />
          </Field>
        </>
      ) : (
        <>
          <Field id="signer-jwk" label="Public key (JWK)" hint="Ed25519 (kty OKP) or P-256 (kty EC). Never a private key.">
            <textarea id="signer-jwk" name="jwk" rows={4} required className={`${inputClass} font-mono text-xs`} aria-describedby="signer-jwk-hint" />
          </Field>
          <Field id="signer-valid-from" label="Valid from (optional)" hint="Your local time; empty means now.">
            <input id="signer-valid-from" name="validFrom" type="datetime-local" className={inputClass} aria-describedby="signer-valid-from-hint" />
          </Field>
        </>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="signer-label" label={source === "jwk" ? "Label" : "Label (optional: the certificate's name)"}>
          <input id="signer-label" name="label" maxLength={200} required={source === "jwk"} className={inputClass} />
        </Field>
        <Field id="signer-organization" label="Organization (optional)">
          <input id="signer-organization" name="organization" maxLength={200} className={inputClass} />
        </Field>
      </div>
      <FormMessage error={error} done={done} />
      <button type="submit" disabled={busy} className={buttonClass}>
        {busy ? "Registering…" : "Register the key"}
      </button>
    </form>
  );
}
