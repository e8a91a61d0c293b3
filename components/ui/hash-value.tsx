import { CopyButton } from "./copy-button";

/** A hash or address shown in full (it wraps anywhere), with an optional copy button. */
export function HashValue({ value, label, copy = true, className = "" }: { value: string; label?: string; copy?: boolean; className?: string }) {
  return (
    <span className={`inline-flex flex-wrap items-center gap-x-2 gap-y-1 ${className}`}>
      <code className="hash text-sm text-slate-900">{value}</code>
      {copy && label ? <CopyButton value={value} label={label} /> : null}
    </span>
  );
}
