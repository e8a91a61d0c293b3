import type { Metadata } from "next";
import { BlockTable } from "@/components/blocks/block-table";
import { PageIntro } from "@/components/ui/page-intro";
import { Pager } from "@/components/ui/pager";
import { TrustNote } from "@/components/ui/trust-note";
import { getLedgerStatus, listBlocks } from "@/lib/ledger/reads";
import { pageLocale } from "@/lib/portal/i18n/page-locale";
import { translator } from "@/lib/portal/i18n/translator";
import { getLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ before?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await translator(await pageLocale(params), "blocks");
  return { title: t("list.metaTitle"), description: t("list.metaDescription") };
}

const PAGE_SIZE = 25;

/** Reads `?before=N` (list blocks below height N); anything else means "from the newest". */
function readBefore(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !/^[0-9]{1,10}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 2 && n <= 2_147_483_647 ? n : undefined;
}

export default async function BlocksPage({ params, searchParams }: Props) {
  const locale = await pageLocale(params);
  const t = await translator(locale, "blocks");
  const before = readBefore((await searchParams).before);
  const ledger = await getLedger();
  const [status, page] = await Promise.all([getLedgerStatus(ledger), listBlocks(ledger, { before, limit: PAGE_SIZE })]);
  const first = page.blocks[0];
  const last = page.blocks.at(-1);
  const newerBefore = first ? first.height + PAGE_SIZE + 1 : null;
  const newer =
    before !== undefined && first && first.height < status.head.height
      ? { href: newerBefore !== null && newerBefore <= status.head.height ? `/blocks?before=${newerBefore}` : "/blocks", text: t("list.newer") }
      : null;
  const older = page.nextBefore !== null ? { href: `/blocks?before=${page.nextBefore}`, text: t("list.older") } : null;

  return (
    <>
      <PageIntro title={t("list.title")}>
        <p>{t("list.intro")}</p>
      </PageIntro>
      <BlockTable blocks={page.blocks} caption={t("list.caption")} />
      {first && last ? (
        <Pager
          label={t("list.pagerLabel")}
          previous={newer}
          next={older}
          position={t("list.position", { from: String(last.height), to: String(first.height), head: String(status.head.height) })}
        />
      ) : null}
      <TrustNote>
        <p>{t("list.trust")}</p>
      </TrustNote>
    </>
  );
}
