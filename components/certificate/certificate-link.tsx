import { getLocale } from "next-intl/server";
import { entryCertificatePath } from "@/lib/portal/entry-links";
import { Link } from "@/lib/portal/i18n/navigation";
import { DEFAULT_LOCALE, isLocale } from "@/lib/portal/i18n/routing";
import { translator } from "@/lib/portal/i18n/translator";

/** The entry page's button to its printable verification certificate, in the page's language. */
export async function CertificateLink({ entryHash }: { entryHash: `0x${string}` }) {
  const locale = await getLocale();
  const t = await translator(isLocale(locale) ? locale : DEFAULT_LOCALE, "certificate");
  return (
    <Link
      href={entryCertificatePath(entryHash)}
      className="rounded border border-slate-300 bg-white px-4 py-2 font-semibold text-blue-900 hover:bg-slate-100"
      data-testid="certificate-link"
    >
      {t("entryLink")}
    </Link>
  );
}
