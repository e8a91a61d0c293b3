/**
 * The route pattern of a request path (`/api/v1/proofs/[entryHash]`, `/blocks/[height]`), for
 * request logs and metric labels: a bounded set of names, never a raw path with a hash in it.
 * The patterns are Next.js's own, from the build's routes manifest.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

type Pattern = { page: string; regex: RegExp };

/** The routes `npm start` answers itself, before Next.js. */
const OWN_ROUTES = ["/metrics", "/api/v1/health/live", "/api/v1/health/ready"];
/** The fast routes' patterns (lib/server/fast-routes.ts), known even without a build. */
const FAST_ROUTE_PATTERNS: Pattern[] = [
  { page: "/api/v1/records", regex: /^\/api\/v1\/records$/ },
  { page: "/api/v1/records/batch", regex: /^\/api\/v1\/records\/batch$/ },
  { page: "/api/v1/proofs/[entryHash]", regex: /^\/api\/v1\/proofs\/[^/]+$/ },
];

/**
 * Reads the route patterns of the Next.js build in `dir` (`.next/routes-manifest.json`); without
 * a build, only the server's own routes are known and every other path is `(other)`.
 */
export function loadRoutePatterns(dir: string): (pathname: string) => string {
  const manifestFile = path.join(dir, ".next", "routes-manifest.json");
  const patterns: Pattern[] = [...FAST_ROUTE_PATTERNS];
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { staticRoutes?: { page: string; regex: string }[]; dynamicRoutes?: { page: string; regex: string }[] };
    // Static routes first: `/blocks` must not be taken for a `[height]`.
    for (const route of [...(manifest.staticRoutes ?? []), ...(manifest.dynamicRoutes ?? [])]) patterns.push({ page: route.page, regex: new RegExp(route.regex) });
  }
  return (pathname) => {
    if (OWN_ROUTES.includes(pathname)) return pathname;
    if (pathname.startsWith("/_next/")) return "/_next/*";
    for (const pattern of patterns) if (pattern.regex.test(pathname)) return pattern.page;
    return "(other)";
  };
}
