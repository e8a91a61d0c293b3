import type { PublicChainInfo } from "../chain/chain-info";
import type { LedgerStatus, BlockSummary } from "../ledger/reads";
import type { Signer } from "../ledger/signers/signers";
import type { BlockAnswer, LedgerStatusAnswer } from "../protocol/wire/ledger";

/** The JSON form of the ledger status, with where its roots are anchored (null fields when unknown). */
export function serializeLedgerStatus(status: LedgerStatus, chain?: PublicChainInfo): LedgerStatusAnswer {
  return {
    ledgerId: status.ledgerId,
    genesisRoot: status.genesisRoot,
    head: { height: status.head.height, root: status.head.root, sealedAt: status.head.sealedAt?.toISOString() ?? null },
    pendingCount: status.pendingCount,
    totalEntries: status.totalEntries,
    anchoredHeight: status.anchoredHeight,
    chainId: chain?.chainId ?? null,
    registry: chain?.registry ?? null,
    rpcUrl: chain?.rpcUrl ?? null,
  };
}

/** The JSON form of a block header with its anchor. */
export function serializeBlock(block: BlockSummary): BlockAnswer {
  return {
    height: block.height,
    root: block.root,
    prevRoot: block.prevRoot,
    entryCount: block.entryCount,
    sealedAt: block.sealedAt.toISOString(),
    anchor: block.anchor,
  };
}

/** The public JSON form of a signer. */
export function serializeSigner(signer: Signer & { entryCount?: number }) {
  return {
    kid: signer.kid,
    alg: signer.alg,
    publicJwk: signer.publicJwk,
    label: signer.label,
    organization: signer.organization,
    status: signer.status,
    validFrom: signer.validFrom.toISOString(),
    revokedAt: signer.revokedAt?.toISOString() ?? null,
    revocationReason: signer.revocationReason,
    ...(signer.entryCount !== undefined ? { entryCount: signer.entryCount } : {}),
  };
}
