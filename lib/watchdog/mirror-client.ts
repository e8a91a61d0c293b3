/**
 * The watchdog's `PortalClient` over a mirror's files (docs/PROTOCOL.md, "Appendix: mirror
 * layout") instead of a portal's API, so that `sealbook monitor --mirror URL` runs every check of
 * the monitor (recomputed roots, links, roots on chain, anchoring lag, receipts) on the files any
 * static server serves. A file that is missing or malformed is an AnswerError, as a bad API answer is.
 */
import { httpMirrorReader, MirrorError, proofBundleFromMirror, readCheckpoint, readMirrorEntries, readMirrorHeader, type MirrorReader } from "../protocol/mirror";
import type { PortalBlock, PortalClient } from "./portal-client";
import { AnswerError, DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry";

/** A client of the mirror at `baseUrl`; `read` replaces HTTP in tests. */
export function createMirrorClient(baseUrl: string, options: { read?: MirrorReader; retry?: RetryPolicy } = {}): PortalClient {
  const root = baseUrl.replace(/\/+$/, "");
  const read = options.read ?? httpMirrorReader(root);
  const attempt = <T>(what: string, fn: () => Promise<T>): Promise<T> =>
    withRetry(
      what,
      async () => {
        try {
          return await fn();
        } catch (error) {
          if (error instanceof MirrorError) throw new AnswerError(error.message);
          throw error;
        }
      },
      options.retry ?? DEFAULT_RETRY,
    );
  const checkpoint = () => attempt(`Reading ${root}/ledger.json`, () => readCheckpoint(read));

  return {
    baseUrl: root,
    async ledger() {
      const c = await checkpoint();
      return { ledgerId: c.ledgerId, genesisRoot: c.genesisRoot, head: { height: c.height, root: c.root }, chainId: c.chainId, registry: c.registry };
    },
    async blocks(downTo = 1) {
      const { height: head } = await checkpoint();
      const blocks: PortalBlock[] = [];
      for (let h = head; h >= Math.max(1, downTo); h--) {
        const header = await attempt(`Reading the header of block ${h} from ${root}`, () => readMirrorHeader(read, h));
        blocks.push({ height: header.height, root: header.root, prevRoot: header.prevRoot, entryCount: header.entryCount, sealedAt: header.sealedAt, anchor: null });
      }
      return blocks;
    },
    entries: (height) =>
      attempt(`Reading the entries of block ${height} from ${root}`, async () => {
        const header = await readMirrorHeader(read, height);
        const packed = await readMirrorEntries(read, header);
        const { ledgerId, root: blockRoot, prevRoot, entryCount } = header;
        return { header: { ledgerId, height, root: blockRoot, prevRoot, entryCount }, packed, count: entryCount };
      }),
    async proof(entryHash) {
      const { height } = await checkpoint();
      const bundle = await attempt(`Finding ${entryHash} in the files of ${root}`, () => proofBundleFromMirror(read, entryHash, { headHeight: height }));
      return bundle ? { status: "sealed", bundle } : { status: "unknown" };
    },
  };
}
