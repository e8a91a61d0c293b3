import type { ReactNode } from "react";

/** A page's title and the sentence saying, in plain words, what the page shows. */
export function PageIntro({ title, eyebrow, children }: { title: ReactNode; eyebrow?: ReactNode; children?: ReactNode }) {
  return (
    <div className="mb-8 max-w-3xl">
      {eyebrow ? <p className="mb-1 text-sm font-semibold uppercase tracking-wide text-slate-600">{eyebrow}</p> : null}
      <h1 className="text-3xl font-bold tracking-tight text-slate-900 sm:text-4xl">{title}</h1>
      {children ? <div className="mt-3 space-y-2 text-lg leading-relaxed text-slate-700">{children}</div> : null}
    </div>
  );
}
