"use client";

import { useState, type ReactNode } from "react";

/** A labelled field; `hint` says what is expected, in words. */
export function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block font-semibold">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-slate-700">
          {hint}
        </p>
      ) : null}
      <div className="mt-1">{children}</div>
    </div>
  );
}

export const inputClass = "w-full rounded border border-slate-400 bg-white px-3 py-2";
export const buttonClass = "rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900 disabled:opacity-60";
export const secondaryButtonClass = "rounded border border-slate-400 bg-white px-3 py-1.5 font-semibold text-slate-900 hover:bg-slate-100 disabled:opacity-60";
export const dangerButtonClass = "rounded bg-red-800 px-3 py-1.5 font-semibold text-white hover:bg-red-900 disabled:opacity-60";

/** The outcome of a form: an error (announced) or a confirmation. */
export function FormMessage({ error, done }: { error: string | null; done: string | null }) {
  if (error) {
    return (
      <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-900">
        {error}
      </p>
    );
  }
  if (done) {
    return (
      <p role="status" className="rounded border border-emerald-300 bg-emerald-50 p-3 text-emerald-950">
        {done}
      </p>
    );
  }
  return null;
}

/** Reads a chosen file as text (a PEM certificate). */
export function readFileText(input: HTMLInputElement): Promise<string | null> {
  const file = input.files?.[0];
  return file ? file.text() : Promise.resolve(null);
}

/**
 * The state of a form that runs one task at a time: `busy` while it runs, then the sentence it
 * returned (`done`) or the message of what it threw (`error`), for FormMessage.
 */
export function useFormTask() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function run(task: () => Promise<string>): Promise<void> {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await task());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, done, run };
}

/** A new password and the same again (ids `new-password`, `repeat-password`), at least `minLength` characters. */
export function NewPasswordFields({ minLength, label }: { minLength: number; label: string }) {
  return (
    <>
      <Field id="new-password" label={label} hint={`At least ${minLength} characters; a few words make a good one.`}>
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
      <Field id="repeat-password" label={`${label} again`}>
        <input id="repeat-password" name="repeat-password" type="password" autoComplete="new-password" required minLength={minLength} className={inputClass} />
      </Field>
    </>
  );
}

/** The password typed in NewPasswordFields. Throws when the two differ. */
export function newPasswordOf(form: FormData): string {
  const password = String(form.get("new-password") ?? "");
  if (password !== String(form.get("repeat-password") ?? "")) throw new Error("The two new passwords differ; type the same one twice.");
  return password;
}
