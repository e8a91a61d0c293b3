/** The JSON forms of what the admin API answers. */
import type { TrustedCa } from "../ledger/signers/trusted-cas";
import { serializeSigner } from "../http/serialize";
import type { AdminLogEntry } from "./admin-log";
import { explorerTxUrl, type AnchorHistoryRow } from "./anchor-history";
import type { Dashboard } from "./dashboard";
import type { AdminSigner } from "./signer-admin";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function serializeDashboard(d: Dashboard) {
  const a = d.anchoring;
  return {
    ledger: {
      ledgerId: d.ledger.ledgerId,
      head: { height: d.ledger.head.height, root: d.ledger.head.root, sealedAt: iso(d.ledger.head.sealedAt) },
      pendingCount: d.ledger.pendingCount,
      totalEntries: d.ledger.totalEntries,
    },
    anchoring: {
      anchoredHeight: a.anchoredHeight,
      lag: a.lag,
      inFlight: a.inFlight,
      oldestUnanchoredSealedAt: iso(d.oldestUnanchoredSealedAt),
      lastError: a.lastError ? { ...a.lastError, at: a.lastError.at.toISOString() } : null,
      alarm: a.alarm ? { ...a.alarm, raisedAt: a.alarm.raisedAt.toISOString() } : null,
      loop: a.loop ? { ...a.loop, lastPassAt: iso(a.loop.lastPassAt), nextPassAt: iso(a.loop.nextPassAt) } : null,
    },
    chain: d.chain,
    anchorer: d.anchorer,
  };
}

export function serializeAnchorHistoryRow(r: AnchorHistoryRow, explorerUrl: string | null) {
  return {
    ...r,
    sealedAt: r.sealedAt.toISOString(),
    updatedAt: iso(r.updatedAt),
    txUrl: r.txHash ? explorerTxUrl(r.chainId, r.txHash, explorerUrl) : null,
  };
}

export function serializeAdminSigner(s: AdminSigner) {
  const c = s.certificate;
  return {
    ...serializeSigner(s),
    certificate: c ? { ...c, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString() } : null,
  };
}

export function serializeTrustedCa(ca: TrustedCa) {
  return { ...ca, notBefore: ca.notBefore.toISOString(), notAfter: ca.notAfter.toISOString(), addedAt: ca.addedAt.toISOString(), removedAt: iso(ca.removedAt) };
}

export function serializeLogEntry(e: AdminLogEntry) {
  return { ...e, at: e.at.toISOString() };
}
