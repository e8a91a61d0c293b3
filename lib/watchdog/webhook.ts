import type { Finding } from "./findings";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry";

/** What the monitor POSTs to a webhook: who watched what, and the findings (or an outage). */
export interface WebhookPayload {
  source: "sealbook-monitor";
  event: "findings" | "unreachable" | "recovered";
  at: string;
  portal: string;
  registry: string;
  chainId: number | null;
  ledgerId: string | null;
  findings: Finding[];
  /** For `unreachable`: what could not be reached, after every retry. */
  detail?: string;
}

/**
 * POSTs `payload` as JSON to `url`, retried with backoff on a network error or a 5xx/429 answer.
 * Throws an Error (UnreachableError or the refusal) when the webhook never accepts it.
 */
export async function postToWebhook(url: string, payload: WebhookPayload, retry: RetryPolicy = DEFAULT_RETRY, doFetch: typeof fetch = fetch): Promise<void> {
  await withRetry(`Posting to the webhook ${new URL(url).origin}`, async () => {
    const response = await doFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "sealbook-monitor" },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the webhook answered ${response.status} ${response.statusText}`.trim());
  }, retry);
}
