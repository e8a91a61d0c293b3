"use client";

import type { FormEvent } from "react";
import { adminFetch } from "@/lib/admin/client/admin-api";
import { buttonClass, Field, FormMessage, inputClass, NewPasswordFields, newPasswordOf, useFormTask } from "./form-bits";

/** Creates the first admin account with the setup link's token, then opens the console (the answer signed it in). */
export function FirstAdminForm({ token, minLength }: { token: string; minLength: number }) {
  const { busy, error, done, run } = useFormTask();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await run(async () => {
      const password = newPasswordOf(form);
      await adminFetch("/api/v1/admin/setup", { method: "POST", body: { token, email: String(form.get("email") ?? ""), password } });
      // replace: the used link should not stay in this tab's history.
      window.location.replace("/admin");
      return "Your admin account is created. Opening the console…";
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <Field id="email" label="Email address" hint="You sign in with it; it names you in the admin log.">
        <input id="email" name="email" type="email" autoComplete="username" required aria-describedby="email-hint" className={inputClass} />
      </Field>
      <NewPasswordFields minLength={minLength} label="Password" />
      <button type="submit" disabled={busy || done !== null} className={buttonClass}>
        {busy ? "Creating…" : "Create the admin account"}
      </button>
      <FormMessage error={error} done={done} />
    </form>
  );
}
