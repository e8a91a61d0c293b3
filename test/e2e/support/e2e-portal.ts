/**
 * The system the browser tests look at, started once per test file: `scripts/start.ts` on a fresh
 * PostgreSQL database with its local chain, blocks of signed records sealed, one record pending,
 * and anchoring awaited. Not a test file itself.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BlockHeader } from "../../../lib/ledger/seal";
import { waitForAnchoring, type PortalChain } from "./anchoring";
import { createE2eDatabase, e2eServerEnv, fillLedger, type HeldRecord } from "./ledger-fixture";
import { startPortalServer, type PortalServer } from "./portal-server";

export interface E2ePortal {
  server: PortalServer;
  blocks: BlockHeader[];
  held: HeldRecord & { height: number };
  pending: HeldRecord;
  chain: PortalChain | { skip: string };
  /** Why the chain-dependent checks cannot run, or null when the blocks are anchored. */
  chainSkip(): string | null;
  /** A folder of this run's own, removed by stop(). */
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts the portal on a fresh database, seals blocks of `sizes` records, and waits until they are anchored (or says why not). */
export async function startE2ePortal(sizes: number[]): Promise<E2ePortal> {
  const fixture = await createE2eDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), "sealbook-e2e-"));
  let server: PortalServer | undefined;
  try {
    server = await startPortalServer({ env: await e2eServerEnv(fixture.databaseUrl, dataDir) });
    const { blocks, held, pending } = await fillLedger(server.baseUrl, fixture, sizes);
    const chain = await waitForAnchoring(server.baseUrl, blocks.length);
    const chainSkip = () => ("skip" in chain ? chain.skip : null);
    const reason = chainSkip();
    if (reason) console.log(`# the chain-dependent checks are skipped: ${reason}`);
    const running = server;
    return {
      server,
      blocks,
      held,
      pending,
      chain,
      chainSkip,
      dataDir,
      async stop() {
        await running.stop();
        await fixture.dispose();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server?.stop();
    await fixture.dispose();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
