import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The database drivers and PGlite's WASM files must be loaded by Node, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "postgres", "@node-rs/argon2"],
  poweredByHeader: false,
  typedRoutes: false,
  // `npm test` type-checks the whole project (tsc --noEmit); the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
