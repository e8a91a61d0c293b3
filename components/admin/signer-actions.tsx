"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { adminFetch } from "@/lib/admin/client/admin-api";
import { dangerButtonClass, Field, FormMessage, inputClass, secondaryButtonClass, useFormTask } from "./form-bits";

/** The current local time as a datetime-local value. */
function localNow(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** Edit a signer's label and organization; revoke its key with a reason and an effective time. */
export function SignerActions({ kid, label, organization, revocable }: { kid: string; label: string; organization: string | null; revocable: boolean }) {
  const router = useRouter();
  const { busy, error, done, run } = useFormTask();
  const path = `/api/v1/admin/signers/${encodeURIComponent(kid)}`;

  async function act(event: FormEvent<HTMLFormElement>, task: (form: FormData) => Promise<string>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await run(async () => {
      const said = await task(form);
      router.refresh();
      return said;
    });
  }

  return (
    <div className="mt-3 space-y-2">
      <details>
        <summary className="cursor-pointer font-medium text-blue-900 underline">Edit label and organization</summary>
        <form
          className="mt-2 space-y-3"
          onSubmit={(e) =>
            act(e, async (form) => {
              await adminFetch(path, { method: "PATCH", body: { label: String(form.get("label") ?? ""), organization: String(form.get("organization") ?? "").trim() || null } });
              return "Saved.";
            })
          }
        >
          <Field id={`label-${kid}`} label="Label">
            <input id={`label-${kid}`} name="label" defaultValue={label} required maxLength={200} className={inputClass} />
          </Field>
          <Field id={`organization-${kid}`} label="Organization">
            <input id={`organization-${kid}`} name="organization" defaultValue={organization ?? ""} maxLength={200} className={inputClass} />
          </Field>
          <button type="submit" disabled={busy} className={secondaryButtonClass}>
            Save
          </button>
        </form>
      </details>
      {revocable ? (
        <details>
          <summary className="cursor-pointer font-medium text-red-900 underline">Revoke this key</summary>
          <form
            className="mt-2 space-y-3"
            onSubmit={(e) =>
              act(e, async (form) => {
                const at = new Date(String(form.get("at") ?? "")).toISOString();
                const answer = await adminFetch<{ signer: { revokedAt: string }; changed: boolean }>(`${path}/revocation`, {
                  method: "POST",
                  body: { reason: String(form.get("reason") ?? ""), at },
                });
                return answer.changed ? `Revoked from ${answer.signer.revokedAt}.` : `Already revoked from ${answer.signer.revokedAt}, which comes first; nothing changed.`;
              })
            }
          >
            <Field id={`reason-${kid}`} label="Reason" hint="Shown in the public signer directory.">
              <input id={`reason-${kid}`} name="reason" required maxLength={500} className={inputClass} aria-describedby={`reason-${kid}-hint`} />
            </Field>
            <Field id={`at-${kid}`} label="Effective from" hint="Your local time; now or later. Records it signs are rejected from then on. This cannot be undone.">
              <input id={`at-${kid}`} name="at" type="datetime-local" required defaultValue={localNow()} className={inputClass} aria-describedby={`at-${kid}-hint`} />
            </Field>
            <button type="submit" disabled={busy} className={dangerButtonClass}>
              Revoke the key
            </button>
          </form>
        </details>
      ) : null}
      <FormMessage error={error} done={done} />
    </div>
  );
}
