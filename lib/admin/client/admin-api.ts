/**
 * The console's browser side of the admin API: JSON calls that turn problem+json into errors, and
 * job streams read line by line. Imported by client components only; it holds no secret (the
 * session cookie is httpOnly and travels by itself).
 */

/** A refused admin API call, with the problem's code and sentence. */
export class AdminApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly retryAfterSeconds: number | null;
  constructor(status: number, code: string, message: string, retryAfterSeconds: number | null = null) {
    super(message);
    this.name = "AdminApiError";
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Sends the browser to the sign-in page, coming back here afterwards. */
export function goToSignIn(): void {
  window.location.assign(`/admin/sign-in?next=${encodeURIComponent(window.location.pathname)}`);
}

async function failure(response: Response): Promise<AdminApiError> {
  let code = "internal";
  let detail = `The server answered ${response.status}.`;
  try {
    const problem = (await response.json()) as { code?: string; detail?: string };
    code = problem.code ?? code;
    detail = problem.detail ?? detail;
  } catch {
    // Not problem+json: keep the status sentence.
  }
  const retryAfter = Number(response.headers.get("retry-after"));
  return new AdminApiError(response.status, code, detail, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
}

/**
 * Calls an admin API route with a JSON body. A lost session (401) sends the browser to sign-in.
 * Throws AdminApiError with the problem's sentence otherwise.
 */
export async function adminFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? {} : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: "same-origin",
    cache: "no-store",
  });
  if (response.status === 401 && path !== "/api/v1/admin/session") goToSignIn();
  if (!response.ok) throw await failure(response);
  return (response.status === 204 ? null : await response.json()) as T;
}

/** One line of a job stream (lib/admin/http/job-stream.ts). */
export type JobEvent =
  | { type: "progress"; at: string; message: string; data?: Record<string, number | string> }
  | { type: "result"; at: string; result: unknown }
  | { type: "error"; at: string; code: string; message: string };

/**
 * Starts a job and hands each line of its progress stream to `onEvent` as it arrives.
 * Throws AdminApiError when the job is refused before it starts.
 */
export async function runJob(path: string, body: unknown, onEvent: (event: JobEvent) => void): Promise<void> {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body ?? {}),
    credentials: "same-origin",
    cache: "no-store",
  });
  if (response.status === 401) goToSignIn();
  if (!response.ok || !response.body) throw await failure(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buffered += value;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) onEvent(JSON.parse(line) as JobEvent);
    if (done) break;
  }
  if (buffered.trim()) onEvent(JSON.parse(buffered) as JobEvent);
}
