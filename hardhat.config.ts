/**
 * Hardhat 3 configuration for the RootRegistry contract.
 *
 * solc comes from the `solc` npm package (its WebAssembly build, soljson.js) rather than Hardhat's
 * compiler download, so a build works offline and every machine compiles with the same bytes.
 */
import { createRequire } from "node:module";
import hardhatToolboxViemPlugin from "@nomicfoundation/hardhat-toolbox-viem";
import { defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  plugins: [hardhatToolboxViemPlugin],
  solidity: {
    version: "0.8.28",
    path: require.resolve("solc/soljson.js"),
    settings: {
      // Anchoring runs for years and is paid per call; deployment is paid once.
      optimizer: { enabled: true, runs: 10_000 },
      viaIR: true,
    },
  },
  paths: {
    tests: { nodejs: "test/contracts" },
  },
});
