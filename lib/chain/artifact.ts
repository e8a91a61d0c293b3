import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Abi, Hex } from "viem";

/** What deploying RootRegistry needs from Hardhat's compiled artifact. */
export interface RootRegistryArtifact {
  readonly abi: Abi;
  /** Creation bytecode, `0x`-prefixed. */
  readonly bytecode: Hex;
}

/** Where Hardhat writes the artifact, relative to its artifacts directory. */
const ARTIFACT_PATH = path.join("contracts", "RootRegistry.sol", "RootRegistry.json");

/** Thrown when the compiled RootRegistry artifact is missing or unreadable. */
export class RootRegistryArtifactError extends Error {
  override name = "RootRegistryArtifactError";
  constructor(
    readonly file: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot load the RootRegistry artifact at ${file}: ${detail}. Run \`npm run compile\` first.`, options);
  }
}

/**
 * Loads the compiled RootRegistry (abi and creation bytecode) from Hardhat's artifacts directory.
 * `artifactsDir` defaults to `artifacts/` under the current directory, which is the repository root
 * for every `npm run` script.
 * Throws RootRegistryArtifactError, telling the user to run `npm run compile`, when the file is
 * missing or is not a compiled artifact.
 */
export async function loadRootRegistryArtifact(
  artifactsDir: string = path.resolve("artifacts"),
): Promise<RootRegistryArtifact> {
  const file = path.join(artifactsDir, ARTIFACT_PATH);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new RootRegistryArtifactError(file, missing ? "no such file" : "cannot read it", { cause: error });
  }
  let parsed: { abi?: unknown; bytecode?: unknown };
  try {
    parsed = JSON.parse(text) as { abi?: unknown; bytecode?: unknown };
  } catch (error) {
    throw new RootRegistryArtifactError(file, "it is not valid JSON", { cause: error });
  }
  const { abi, bytecode } = parsed;
  if (!Array.isArray(abi) || typeof bytecode !== "string" || !/^0x([0-9a-fA-F]{2})+$/.test(bytecode)) {
    throw new RootRegistryArtifactError(file, "it has no abi array or no creation bytecode");
  }
  return { abi: abi as Abi, bytecode: bytecode as Hex };
}
