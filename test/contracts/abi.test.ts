import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { artifacts } from "hardhat";
import { rootRegistryAbi } from "../../lib/chain/registry/abi";
import { loadRootRegistryArtifact, RootRegistryArtifactError } from "../../lib/chain/artifact";

describe("RootRegistry ABI and artifact", () => {
  it("commits in lib/chain/registry/abi.ts exactly the ABI of the compiled contract", async () => {
    const compiled = await artifacts.readArtifact("RootRegistry");
    assert.deepEqual(rootRegistryAbi, compiled.abi);
  });

  it("loads the compiled artifact's abi and creation bytecode from the artifacts directory", async () => {
    const compiled = await artifacts.readArtifact("RootRegistry");
    const loaded = await loadRootRegistryArtifact();
    assert.deepEqual(loaded.abi, compiled.abi);
    assert.equal(loaded.bytecode, compiled.bytecode);
  });

  it("tells the user to run `npm run compile` when the artifact is missing", async () => {
    const empty = await mkdtemp(path.join(tmpdir(), "sealbook-no-artifacts-"));
    try {
      await assert.rejects(loadRootRegistryArtifact(empty), (error: unknown) => {
        assert.ok(error instanceof RootRegistryArtifactError);
        assert.match(error.message, /npm run compile/);
        assert.ok(error.file.startsWith(empty));
        return true;
      });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
