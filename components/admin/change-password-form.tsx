"use client";

import type { FormEvent } from "react";
import { adminFetch } from "@/lib/admin/client/admin-api";
import { buttonClass, Field, FormMessage, inputClass, useFormTask } from "./form-bits";

/** Changes the signed-in admin's own password; says how many other sessions it ended. */
export function ChangePasswordForm({ minLength }: { minLength: number }) {
  const { busy, error, done, run } = useFormTask();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const newPassword = String(form.get("new-password") ?? "");
    await run(async () => {
      if (newPassword !== String(form.get("repeat-password") ?? "")) throw new Error("The two new passwords differ; type the same one twice.");
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
      <Field id="new-password" label="New password" hint={`At least ${minLength} characters; a few words make a good one.`}>
        <input
          id="new-password"
          name="new-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={minLength}
          aria-describedby="new-password-hint"
          className={inputClass}
        />
      </Field>
      <Field id="repeat-password" label="New password again">
        <input id="repeat-password" name="repeat-password" type="password" autoComplete="new-password" required minLength={minLength} className={inputClass} />
      </Field>
      <button type="submit" disabled={busy} className={buttonClass}>
        {busy ? "Changing…" : "Change password"}
      </button>
      <FormMessage error={error} done={done} />
    </form>
  );
}
