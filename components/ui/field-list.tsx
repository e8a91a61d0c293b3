import type { ReactNode } from "react";

/** Labelled fields (a description list) that stack on phones and sit side by side on wider screens. */
export function FieldList({ fields }: { fields: Array<{ label: string; value: ReactNode; hint?: ReactNode }> }) {
  return (
    <dl className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
      {fields.map((field) => (
        <div key={field.label} className="grid gap-1 px-4 py-3 sm:grid-cols-[12rem_1fr] sm:gap-4">
          <dt className="font-semibold text-slate-800">{field.label}</dt>
          <dd className="min-w-0 text-slate-900">
            {field.value}
            {field.hint ? <p className="mt-1 text-sm text-slate-600">{field.hint}</p> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}
