/** Child process of `runLoad`: reads its options from the file named in argv, runs autocannon, prints a summary as JSON. */
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import type { LoadOptions, LoadResult } from "./load";

const options = JSON.parse(readFileSync(process.argv[2], "utf8")) as LoadOptions;
const paths = options.paths ?? ["/"];
let next = 0;
const url = new URL(options.url);
const result = await autocannon({
  url: url.origin,
  connections: options.connections ?? 16,
  ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
  ...(options.overallRate ? { overallRate: options.overallRate } : {}),
  requests: [
    {
      method: options.method ?? "GET",
      ...(options.contentType ? { headers: { "content-type": options.contentType } } : {}),
      setupRequest: (request: autocannon.Request) => {
        const i = next++;
        return {
          ...request,
          path: paths[i % paths.length],
          ...(options.bodies ? { body: options.bodies[i % options.bodies.length] } : {}),
        };
      },
    },
  ],
});
const codes: Record<string, number> = {};
for (const [k, v] of Object.entries(result)) {
  const m = /^(\d)xx$/.exec(k);
  if (m && typeof v === "number") codes[k] = v;
}
const summary: LoadResult = {
  requests: result.requests.total,
  durationSeconds: result.duration,
  requestsPerSecond: result.requests.total / result.duration,
  latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  non2xx: result.non2xx,
  errors: result.errors,
  statusCodes: codes,
  cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
};
process.stdout.write(JSON.stringify(summary));
