import type { SealbookConfig } from "../config";
import type { LedgerContext } from "../ledger/context";
import { createPublisher, type PublishTarget } from "../ledger/publish";
import { logger } from "../observability/logger";
import { chainKeys } from "./settings";
import { getPublicChainInfo } from "./chain-info";
import { accountFromPrivateKey } from "./secrets";

/**
 * Where and how this process publishes mirror files: SEALBOOK_PUBLISH_DIR (or `dir`), signed by the
 * receipt signer (EIP-191), stating where the ledger anchors. Null when no directory is set.
 * Throws when there is a directory but no receipt signer key to sign the checkpoint with.
 */
export function resolvePublishTarget(config: SealbookConfig, dir: string | undefined = config.SEALBOOK_PUBLISH_DIR): PublishTarget | null {
  if (!dir) return null;
  const key = chainKeys(config).receiptKey ?? undefined;
  if (!key) throw new Error("Publishing mirror files needs RECEIPT_PRIVATE_KEY, the key that signs ledger.json: set it, or unset SEALBOOK_PUBLISH_DIR.");
  const account = accountFromPrivateKey(key, "RECEIPT_PRIVATE_KEY");
  return {
    dir,
    signer: { address: account.address, signMessage: (message) => account.signMessage({ message }) },
    chain: async () => {
      const { chainId, registry } = await getPublicChainInfo(config);
      return { chainId, registry };
    },
  };
}

/**
 * Starts publishing for `npm start` when SEALBOOK_PUBLISH_DIR is set: catches up at once, then
 * `publishNew()` after each seal. Logs what it wrote, and a failure (retried after the next seal).
 */
export function startPublisher(ledger: LedgerContext, config: SealbookConfig): { publishNew(): Promise<void> } | null {
  const target = resolvePublishTarget(config);
  if (!target) return null;
  const publisher = createPublisher(ledger, target, {
    published: (heights) => logger().info({ heights, dir: target.dir }, `published block${heights.length > 1 ? "s" : ""} ${heights[0]}${heights.length > 1 ? `-${heights.at(-1)}` : ""} as mirror files`),
    error: (error) => logger().warn({ err: error }, "publishing mirror files failed; the next seal retries from the last checkpoint"),
  });
  void publisher.publishNew();
  return publisher;
}
