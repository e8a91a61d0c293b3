import Link from "next/link";

/** Shown with a 403 when a signed-in admin's role may not open a console page. */
export default function AdminForbidden() {
  return (
    <div className="max-w-prose">
      <h1 className="text-3xl font-bold">Not for your role</h1>
      <p className="mt-3 text-lg text-slate-700">
        Your role may not open this page. The attempt was written to the admin log. Ask an admin if you need it.
      </p>
      <p className="mt-6">
        <Link href="/admin" className="link">
          Back to the dashboard
        </Link>
      </p>
    </div>
  );
}
