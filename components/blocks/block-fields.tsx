import Link from "next/link";
import type { BlockSummary } from "@/lib/ledger/reads";
import { formatCount } from "@/lib/portal/format";
import { DateTime } from "../ui/date-time";
import { FieldList } from "../ui/field-list";
import { HashValue } from "../ui/hash-value";
import { StatusBadge } from "../ui/status-badge";

/** The block header of PROTOCOL §3, field by field, each hash copyable. */
export function BlockHeaderFields({ block }: { block: BlockSummary }) {
  return (
    <FieldList
      fields={[
        { label: "Height", value: <span className="tabular-nums">{block.height}</span>, hint: "Blocks are numbered from 1, in the order they were sealed." },
        {
          label: "Root",
          value: <HashValue value={block.root} label="block root" />,
          hint: "One value that sums up every entry of this block: change any entry and the root changes.",
        },
        {
          label: "Previous root",
          value: <HashValue value={block.prevRoot} label="previous root" />,
          hint:
            block.height > 1 ? (
              <>
                The root of <Link className="link" href={`/blocks/${block.height - 1}`}>block {block.height - 1}</Link>: every record here was
                signed against it, which chains this block to the whole history before it.
              </>
            ) : (
              "The ledger’s genesis root: this is the first block."
            ),
        },
        { label: "Entries", value: <span className="tabular-nums">{formatCount(block.entryCount)}</span> },
        { label: "Sealed", value: <DateTime at={block.sealedAt} /> },
      ]}
    />
  );
}

/** Where and when this block's root was written on chain, or that it is not yet. */
export function AnchorFields({ block }: { block: BlockSummary }) {
  const { anchor } = block;
  if (!anchor) {
    return (
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <StatusBadge tone="warn">Not anchored yet</StatusBadge>
        <p className="mt-2 max-w-prose text-slate-700">
          This block’s root has not been confirmed on the blockchain yet. Until it is, the block is sealed by the ledger but not yet
          publicly fixed. Anchoring normally follows within minutes.
        </p>
      </div>
    );
  }
  return (
    <FieldList
      fields={[
        { label: "Status", value: <StatusBadge tone="good">Anchored</StatusBadge> },
        { label: "Chain", value: <span className="tabular-nums">{anchor.chainId}</span> },
        { label: "Registry contract", value: <HashValue value={anchor.registry} label="registry contract address" /> },
        { label: "Transaction", value: <HashValue value={anchor.txHash} label="anchoring transaction hash" /> },
        { label: "In chain block", value: <span className="tabular-nums">{formatCount(anchor.blockNumber)}</span> },
      ]}
    />
  );
}
