/**
 * The CLI beside a running embedded server: while a server holds the PGlite data directory, the
 * ledger commands are answered by it over the control socket (scripts/control/), with the same
 * output and exit codes as when the CLI opens the database itself; and a second server on the same
 * directory still refuses to start.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { callControlServer } from "../../scripts/control/client";
import { controlPaths } from "../../scripts/control/protocol";
import { freePort } from "../support/chain";
import { runToEnd, type Finished } from "../support/processes";
import { newKeyPair } from "../support/records";

const root = path.resolve(import.meta.dirname, "..", "..");
const PASSWORD = "a long enough pass phrase";

type Run = Finished;

/** Runs `sealbook` as a user would (bin/sealbook.mjs, compiled) with `env`. */
function sealbook(args: string[], env: Record<string, string>, stdin = ""): Promise<Run> {
  return runToEnd(process.execPath, [path.join(root, "bin", "sealbook.mjs"), ...args], { cwd: root, env: { ...process.env, SEALBOOK_CHAIN: "off", DATABASE_URL: "", ...env } }, stdin);
}

/** The stand-in server (./support/embedded-server.ts), up and serving its control socket. */
async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; send(line: object): Promise<string>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "support", "embedded-server.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const lines: string[] = [];
  let waiting: ((line: string) => void) | null = null;
  child.stdout!.on("data", (c: Buffer) => {
    for (const line of c.toString().split("\n").filter(Boolean)) {
      if (waiting) {
        const w = waiting;
        waiting = null;
        w(line);
      } else lines.push(line);
    }
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      if (lines.length > 0) return resolve(lines.shift()!);
      waiting = resolve;
      void exited.then(() => reject(new Error(`The stand-in server exited: ${stderr}`)));
    });
  assert.equal(await nextLine(), "ready");
  return {
    child,
    async send(line) {
      child.stdin!.write(`${JSON.stringify(line)}\n`);
      return nextLine();
    },
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

describe("the sealbook CLI beside a running embedded server", () => {
  let dir: string;
  let env: Record<string, string>;
  let server: Awaited<ReturnType<typeof startServer>>;
  let keys: Awaited<ReturnType<typeof newKeyPair>>;
  let jwkFile: string;
  let kid: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sealbook-beside-"));
    env = { SEALBOOK_DATA_DIR: dir, LEDGER_ID: "beside-server" };
    keys = await newKeyPair("EdDSA");
    jwkFile = path.join(dir, "signer.public.jwk");
    await writeFile(jwkFile, JSON.stringify(keys.publicJwk));
    server = await startServer(env);
  });
  after(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps the control socket and its token to the owner: a 0700 folder, a 0600 socket and token", async () => {
    const paths = controlPaths(dir);
    assert.equal((await stat(paths.dir)).mode & 0o777, 0o700);
    assert.equal((await stat(paths.socket)).mode & 0o777, 0o600);
    assert.equal((await stat(paths.token)).mode & 0o777, 0o600);
  });

  it("refuses a request that does not carry the server's token", async () => {
    const paths = controlPaths(dir);
    await assert.rejects(callControlServer({ socket: paths.socket, token: "not-the-token" }, "status", {}, () => {}), /control token does not match/);
  });

  it("answers status from the server", async () => {
    const run = await sealbook(["status", "--json"], env);
    assert.equal(run.code, 0, run.stderr);
    const status = JSON.parse(run.stdout) as { ledgerId: string; head: { height: number } };
    assert.deepEqual([status.ledgerId, status.head.height], ["beside-server", 0]);
  });

  it("registers, lists and (later) revokes a signer through the server", async () => {
    const added = await sealbook(["signer", "add", "--jwk", jwkFile, "--label", "Dr. Beside", "--valid-from", new Date(Date.now() - 60_000).toISOString(), "--json"], env);
    assert.equal(added.code, 0, added.stderr);
    kid = (JSON.parse(added.stdout) as { kid: string }).kid;
    const listed = await sealbook(["signer", "list", "--json"], env);
    assert.equal(listed.code, 0, listed.stderr);
    const signers = JSON.parse(listed.stdout) as Array<{ kid: string; status: string; entryCount: number }>;
    assert.deepEqual(signers.map((s) => [s.kid, s.status, s.entryCount]), [[kid, "active", 0]]);
  });

  it("seals the pending entries through the server, with the block in --json", async () => {
    assert.equal(await server.send({ submit: keys.privateJwk, count: 3 }), "submitted");
    const sealed = await sealbook(["seal", "--json"], env);
    assert.equal(sealed.code, 0, sealed.stderr);
    const block = JSON.parse(sealed.stdout) as { height: number; entryCount: number };
    assert.deepEqual([block.height, block.entryCount], [1, 3]);
    const again = await sealbook(["seal"], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Nothing is pending/);
  });

  it("audits through the server and exits 0 on a clean ledger", async () => {
    const audited = await sealbook(["audit", "--json", "--quiet"], env);
    assert.equal(audited.code, 0, audited.stderr);
    const report = JSON.parse(audited.stdout) as { ok: boolean; checked: { blocks: number; entries: number } };
    assert.deepEqual([report.ok, report.checked.blocks, report.checked.entries], [true, 1, 3]);
  });

  it("creates an admin account through the server, with the password from stdin", async () => {
    const created = await sealbook(["admin", "create", "--email", "Beside@Example.org", "--role", "operator", "--json"], env, `${PASSWORD}\n`);
    assert.equal(created.code, 0, created.stderr);
    const user = JSON.parse(created.stdout) as { email: string; role: string };
    assert.deepEqual([user.email, user.role], ["beside@example.org", "operator"]);
    const listed = await sealbook(["admin", "list", "--json"], env);
    assert.deepEqual((JSON.parse(listed.stdout) as Array<{ email: string }>).map((u) => u.email), ["beside@example.org"]);
  });

  it("revokes a signer through the server", async () => {
    const revoked = await sealbook(["signer", "revoke", kid, "--reason", "left the clinic", "--json"], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal((JSON.parse(revoked.stdout) as { status: string }).status, "revoked");
  });

  it("refuses a second server on the same data directory, naming the running one", async () => {
    // scripts/start.ts itself, in a folder whose (empty) portal build counts as up to date, so it
    // gets as far as opening the database without building Next.js.
    const cwd = path.join(dir, "second-server");
    await mkdir(path.join(cwd, ".next"), { recursive: true });
    await writeFile(path.join(cwd, ".next", "BUILD_ID"), "test");
    const second = await runToEnd(process.execPath, ["--import", path.join(root, "node_modules", "tsx", "dist", "loader.mjs"), path.join(root, "scripts", "start.ts")], {
      cwd,
      env: { ...process.env, ...env, DATABASE_URL: "", SEALBOOK_CHAIN: "off", PORT: String(await freePort()), TSX_TSCONFIG_PATH: path.join(root, "tsconfig.json") },
    });
    assert.equal(second.code, 1, second.stdout);
    // The logger writes every level to stdout (one stream for log platforms); either stream will do.
    assert.match(second.stdout + second.stderr, new RegExp(`could not start: The embedded database in .* is open in another process \\(pid ${server.child.pid}\\)`));
    // The first server still answers.
    assert.equal((await sealbook(["status"], env)).code, 0);
  });

  it("prints the same answers, and the same refusals, as the CLI on the database itself", async () => {
    const commands = [["status"], ["signer", "list"], ["admin", "list"], ["signer", "revoke", "no-such-kid"]];
    const remote: Run[] = [];
    for (const args of commands) remote.push(await sealbook(args, env));
    await server.stop();
    const local: Run[] = [];
    for (const args of commands) local.push(await sealbook(args, env));
    assert.equal(remote[3].code, 2);
    for (let i = 0; i < remote.length; i++) {
      assert.deepEqual({ code: remote[i].code, stdout: remote[i].stdout, stderr: remote[i].stderr }, { code: local[i].code, stdout: local[i].stdout, stderr: local[i].stderr });
    }
  });
});
