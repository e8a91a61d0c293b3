/**
 * `sealbook admin create | list | disable`: the first admin is made from the command line, its
 * password read from stdin in scripts (a terminal prompts for it, hidden).
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { listAdminLog } from "../../lib/admin/admin-log";
import { signIn } from "../../lib/admin/sign-in";
import { readAdminSettings } from "../../lib/admin/settings";
import { openDatabase } from "../../db/client";
import { adminCreate } from "../../scripts/commands/admin";
import { runSealbook } from "../support/cli";
import { drivers, freshDatabase, skipReason } from "../support/db";

const PASSWORD = "a long enough pass phrase";

/** Runs the CLI with `stdin` piped in; resolves with its exit code and output. */
const sealbook = (args: string[], env: Record<string, string>, stdin: string) => runSealbook(args, { LEDGER_ID: "cli-admin", ...env }, stdin);

describe("sealbook admin create's arguments", () => {
  it("refuses an unknown role or a missing email before asking for a password", async () => {
    await assert.rejects(adminCreate.run({ values: { email: "x@example.org", role: "root" }, positionals: [] }), /--role must be one of admin, operator, auditor/);
    await assert.rejects(adminCreate.run({ values: {}, positionals: [] }), /--email EMAIL is required/);
  });
  it("refuses an empty stdin", async () => {
    const empty = await sealbook(["admin", "create", "--email", "y@example.org"], { DATABASE_URL: "postgres://nowhere.invalid/x" }, "");
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /No password on stdin/);
  });
});

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`sealbook admin on ${driver}`, { skip: skip ?? false }, () => {
    let env: Record<string, string>;
    let dispose: () => Promise<void>;
    let open: () => Promise<Awaited<ReturnType<typeof openDatabase>>>;

    before(async () => {
      if (driver === "postgres") {
        const db = await freshDatabase("postgres");
        await db.close();
        env = { DATABASE_URL: db.url! };
        open = () => openDatabase({ url: db.url! });
        dispose = () => db.dispose();
      } else {
        const dir = await mkdtemp(path.join(tmpdir(), "sealbook-admin-cli-"));
        env = { SEALBOOK_DATA_DIR: dir };
        open = () => openDatabase({ dataDir: path.join(dir, "db") });
        dispose = () => rm(dir, { recursive: true, force: true });
      }
    });
    after(async () => dispose?.());

    it("creates the first admin with the password from stdin, hashed, and logs it", async () => {
      const created = await sealbook(["admin", "create", "--email", "First.Admin@Example.org", "--json"], env, `${PASSWORD}\n`);
      assert.equal(created.code, 0, created.stderr);
      const user = JSON.parse(created.stdout) as { email: string; role: string };
      assert.deepEqual([user.email, user.role], ["first.admin@example.org", "admin"]);
      assert.ok(!created.stdout.includes(PASSWORD) && !created.stderr.includes(PASSWORD));

      const handle = await open();
      try {
        const session = await signIn(handle.db, { email: "first.admin@example.org", password: PASSWORD }, { ip: null, userAgent: null }, new Date(), readAdminSettings({}));
        assert.equal(session.user.role, "admin");
        const entries = await listAdminLog(handle.db);
        const creation = entries.find((e) => e.action === "user.create");
        assert.equal(creation?.target, "first.admin@example.org");
        assert.match(creation?.userAgent ?? "", /^sealbook CLI \(/);
      } finally {
        await handle.close();
      }
    });

    it("creates other roles, lists them, and refuses a duplicate or a short password", async () => {
      assert.equal((await sealbook(["admin", "create", "--email", "ops@example.org", "--role", "operator"], env, `${PASSWORD}\n`)).code, 0);
      const duplicate = await sealbook(["admin", "create", "--email", "OPS@example.org", "--role", "auditor"], env, `${PASSWORD}\n`);
      assert.equal(duplicate.code, 2);
      assert.match(duplicate.stderr, /exists already/);
      const short = await sealbook(["admin", "create", "--email", "short@example.org"], env, "short\n");
      assert.equal(short.code, 2);
      assert.match(short.stderr, /at least 12 characters/);

      const listed = await sealbook(["admin", "list", "--json"], env, "");
      assert.deepEqual(
        (JSON.parse(listed.stdout) as Array<{ email: string; role: string }>).map((u) => [u.email, u.role]),
        [["first.admin@example.org", "admin"], ["ops@example.org", "operator"]],
      );
    });

    it("disables an account", async () => {
      const disabled = await sealbook(["admin", "disable", "--email", "ops@example.org"], env, "");
      assert.equal(disabled.code, 0, disabled.stderr);
      const listed = JSON.parse((await sealbook(["admin", "list", "--json"], env, "")).stdout) as Array<{ email: string; disabledAt: string | null }>;
      assert.ok(listed.find((u) => u.email === "ops@example.org")?.disabledAt);
    });
  });
}
