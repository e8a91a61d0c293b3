import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { ADMIN_CONTENT_SECURITY_POLICY, HSTS_HEADER, SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // The database drivers and PGlite's WASM files must be loaded by Node, not bundled; so must the
  // native addons (argon2, and secp256k1, which finds its prebuilt binary from its own folder).
  // pino and prom-client too: loaded once by Node, shared with `npm start` (lib/observability).
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "postgres", "@node-rs/argon2", "secp256k1", "pino", "prom-client"],
  poweredByHeader: false,
  typedRoutes: false,
  // `npm test` type-checks the whole project (tsc --noEmit); the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
  // forbidden() answers 403 on admin pages whose role lacks the permission (lib/admin/http/page-guard.ts).
  experimental: { authInterrupts: true },
  // Pages about sealed blocks never change (only a block's anchor appears later), so browsers and
  // CDNs may keep them as long as the server's own cache does: see `revalidate` in
  // app/[locale]/blocks/[height]/page.tsx (30 s) and app/[locale]/blocks/[height]/entries/[page]/page.tsx (300 s).
  async headers() {
    const cacheFor = (seconds: number) => [{ key: "Cache-Control", value: `public, max-age=${seconds}, s-maxage=${seconds}, stale-while-revalidate=86400` }];
    return [
      // Every answer, pages, API and admin JSON alike (lib/http/security-headers.ts says why each).
      { source: "/:path*", headers: [...SECURITY_HEADERS] },
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: "https" }], headers: [HSTS_HEADER] },
      { source: "/:locale(uk|en)/blocks/:height(\\d+)", headers: cacheFor(30) },
      { source: "/:locale(uk|en)/blocks/:height(\\d+)/entries/:page(\\d+)", headers: cacheFor(300) },
      // The admin console is never framed (clickjacking) and never tells other sites where it came from.
      {
        source: "/admin/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Content-Security-Policy", value: ADMIN_CONTENT_SECURITY_POLICY },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

// The portal's languages: next-intl reads each request's language and texts from this file.
const withNextIntl = createNextIntlPlugin("./lib/portal/i18n/request.ts");

export default withNextIntl(nextConfig);
