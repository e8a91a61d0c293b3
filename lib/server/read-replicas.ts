import { openDatabase } from "../../db/client";
import type { SealbookConfig } from "../config";
import type { LedgerContext } from "../ledger/context";
import { createReadRouting, type ReadRouting } from "../ledger/replicas";
import { logger } from "../observability/logger";

/** The replica URLs of DATABASE_READ_URL (comma-separated); none without DATABASE_URL (the embedded database has no replicas). */
export function readReplicaUrls(config: Pick<SealbookConfig, "DATABASE_URL" | "DATABASE_READ_URL">): string[] {
  if (!config.DATABASE_URL || !config.DATABASE_READ_URL) return [];
  return config.DATABASE_READ_URL.split(",").map((u) => u.trim()).filter(Boolean);
}

/**
 * Opens the hot standbys of DATABASE_READ_URL for public reads (not migrated: they follow the
 * primary). A replica that is down when the process starts is opened anyway (postgres.js connects
 * on first use) and skipped with a warning until it answers. Undefined without replicas.
 */
export async function openReadReplicas(config: SealbookConfig, primary: LedgerContext): Promise<ReadRouting | undefined> {
  const urls = readReplicaUrls(config);
  if (urls.length === 0) return undefined;
  const handles = await Promise.all(urls.map((url) => openDatabase({ url, maxConnections: config.DATABASE_POOL_SIZE, readOnly: true })));
  return createReadRouting(primary, handles, (message, error) => logger().warn({ err: error }, message));
}
