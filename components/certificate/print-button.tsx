"use client";

/** Opens the browser's print dialog, where the certificate can also be saved as a PDF. */
export function PrintButton({ label }: { label: string }) {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900"
      data-testid="certificate-print"
    >
      {label}
    </button>
  );
}
