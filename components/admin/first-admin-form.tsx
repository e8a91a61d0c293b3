"use client";

import type { FormEvent } from "react";
import { adminFetch } from "@/lib/admin/client/admin-api";
import { buttonClass, Field, FormMessage, inputClass, useFormTask } from "./form-bits";

/** Creates the first admin account with the setup link's token, then opens the console (the answer signed it in). */
export function FirstAdminForm({ token, minLength }: { token: string; minLength: number }) {
  const { busy, error, done, run } = useFormTask();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get("new-password") ?? "");
    await run(async () => {
      if (password !== String(form.get("repeat-password") ?? "")) throw new Error("The two passwords differ; type the same one twice.");
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
      <Field id="new-password" label="Password" hint={`At least ${minLength} characters; a few words make a good one.`}>
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
      <Field id="repeat-password" label="Password again">
        <input id="repeat-password" name="repeat-password" type="password" autoComplete="new-password" required minLength={minLength} className={inputClass} />
      </Field>
      <button type="submit" disabled={busy || done !== null} className={buttonClass}>
        {busy ? "Creating…" : "Create the admin account"}
      </button>
      <FormMessage error={error} done={done} />
    </form>
  );
}
