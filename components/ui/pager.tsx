import { Link } from "@/lib/portal/i18n/navigation";

/** Previous/next links for a paginated list; a missing side is shown as plain text. */
export function Pager({
  label,
  previous,
  next,
  position,
}: {
  label: string;
  previous?: { href: string; text: string } | null;
  next?: { href: string; text: string } | null;
  position?: string;
}) {
  const linkClass = "rounded border border-slate-300 bg-white px-3 py-2 font-medium text-blue-900 hover:bg-slate-100";
  return (
    <nav aria-label={label} className="mt-4 flex flex-wrap items-center justify-between gap-3">
      {previous ? (
        <Link className={linkClass} href={previous.href} rel="prev">
          ← {previous.text}
        </Link>
      ) : (
        <span />
      )}
      {position ? <span className="text-sm text-slate-700">{position}</span> : null}
      {next ? (
        <Link className={linkClass} href={next.href} rel="next">
          {next.text} →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
