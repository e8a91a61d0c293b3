"use client";

import type { FormEvent } from "react";
import { adminFetch } from "@/lib/admin/client/admin-api";
import { buttonClass, Field, FormMessage, inputClass, NewPasswordFields, newPasswordOf, useFormTask } from "./form-bits";

/** Changes the signed-in admin's own password; says how many other sessions it ended. */
export function ChangePasswordForm({ minLength }: { minLength: number }) {
  const { busy, error, done, run } = useFormTask();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    await run(async () => {
      const newPassword = newPasswordOf(form);
      const answer = await adminFetch<{ endedSessions: number }>("/api/v1/admin/session/password", {
        method: "POST",
        body: { currentPassword: String(form.get("current-password") ?? ""), newPassword },
      });
      element.reset();
      const others = answer.endedSessions === 0 ? "You had no other session." : `Your ${answer.endedSessions} other session${answer.endedSessions === 1 ? " was" : "s were"} signed out.`;
      return `Your password is changed. ${others}`;
    });
  }

  return (
    <form onSubmit={submit} className="max-w-md space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <Field id="current-password" label="Current password">
        <input id="current-password" name="current-password" type="password" autoComplete="current-password" required className={inputClass} />
      </Field>
      <NewPasswordFields minLength={minLength} label="New password" />
      <button type="submit" disabled={busy} className={buttonClass}>
        {busy ? "Changing…" : "Change password"}
      </button>
      <FormMessage error={error} done={done} />
    </form>
  );
}
