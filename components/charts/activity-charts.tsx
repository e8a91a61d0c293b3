import type { BlockActivity } from "@/lib/ledger/activity";
import { formatCount, formatDuration } from "@/lib/portal/format";
import { BarChart, type BarDatum } from "./bar-chart";

/** Entries per block, for the newest blocks. */
export function EntriesPerBlockChart({ blocks }: { blocks: BlockActivity[] }) {
  const data: BarDatum[] = blocks.map((b) => ({
    key: String(b.height),
    label: `Block ${b.height}`,
    value: b.entryCount,
    valueText: `${formatCount(b.entryCount)} ${b.entryCount === 1 ? "entry" : "entries"}`,
  }));
  const counts = blocks.map((b) => b.entryCount);
  const summary =
    blocks.length === 0
      ? "No block has been sealed yet."
      : `The last ${blocks.length} blocks hold between ${formatCount(Math.min(...counts))} and ${formatCount(Math.max(...counts))} entries each, ${formatCount(Math.round(counts.reduce((a, b) => a + b, 0) / counts.length))} on average.`;
  return (
    <BarChart
      id="entries-chart"
      title="Entries per block"
      description={`Bar chart of how many entries each of the last ${blocks.length} sealed blocks holds, oldest on the left. ${summary}`}
      summary={summary}
      columns={["Block", "Entries"]}
      data={data}
      axisMaxText={(max) => `${formatCount(max)} entries`}
    />
  );
}

/** How long each of the newest blocks waited between sealing and its confirmed anchor on chain. */
export function AnchoringLagChart({ blocks }: { blocks: BlockActivity[] }) {
  const data: BarDatum[] = blocks.map((b) => {
    const lag = b.anchoredAt ? Math.max(0, b.anchoredAt.getTime() - b.sealedAt.getTime()) : null;
    return {
      key: String(b.height),
      label: `Block ${b.height}`,
      value: lag === null ? null : lag / 1000,
      valueText: lag === null ? "not anchored yet" : `anchored ${formatDuration(lag)} after sealing`,
    };
  });
  const lags = data.flatMap((d) => (d.value === null ? [] : [d.value * 1000]));
  const waiting = data.length - lags.length;
  const summary =
    blocks.length === 0
      ? "No block has been sealed yet."
      : lags.length === 0
        ? `None of the last ${blocks.length} blocks is anchored on the blockchain yet.`
        : `Of the last ${blocks.length} blocks, ${lags.length} are anchored, on average ${formatDuration(lags.reduce((a, b) => a + b, 0) / lags.length)} after sealing (longest ${formatDuration(Math.max(...lags))})${waiting > 0 ? `; ${waiting} ${waiting === 1 ? "is" : "are"} still waiting (dashed outlines)` : ""}.`;
  return (
    <BarChart
      id="lag-chart"
      title="Anchoring lag: time from sealing to the blockchain"
      description={`Bar chart of how long each of the last ${blocks.length} blocks waited between being sealed and its root being confirmed on the blockchain, oldest on the left. ${summary}`}
      summary={summary}
      columns={["Block", "Anchoring"]}
      data={data}
      axisMaxText={(max) => formatDuration(max * 1000)}
    />
  );
}
