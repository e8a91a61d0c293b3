import { userInfo, hostname } from "node:os";
import { writeAdminLog } from "../../lib/admin/admin-log";
import { isAdminRole, ADMIN_ROLES, type AdminRole } from "../../lib/admin/roles";
import { createAdminUser, disableAdminUser, listAdminUsers } from "../../lib/admin/users";
import { ProtocolError } from "../../lib/protocol/errors";
import { CliError, type Command } from "../cli-kit";
import { withLedger } from "./with-ledger";
import { commandSpec } from "./index";

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          finish();
          resolve(value);
          return;
        }
        if (ch === "\u0003" || ch === "\u0004") {
          finish();
          reject(new CliError("Cancelled; no account was created.", 130));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

/** Reads the password from a script's stdin: its first line, without the line ending. */
async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
}

/** The new account's password: asked twice on a terminal (hidden), read from stdin otherwise. */
async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const password = await readPasswordFromStdin();
    if (!password) throw new CliError("No password on stdin: pipe it in as the first line, e.g. `printf '%s\\n' \"$PASSWORD\" | sealbook admin create …`.");
    return password;
  }
  const first = await promptHidden("Password (at least 12 characters, not shown): ");
  const second = await promptHidden("The same password again: ");
  if (first !== second) throw new CliError("The two passwords differ; no account was created.");
  return first;
}

const cliClient = () => ({ ip: null, userAgent: `sealbook CLI (${userInfo().username}@${hostname()})` });

export const adminCreate: Command = {
  ...commandSpec("admin create"),
  async run({ values }) {
    if (!values.email) throw new CliError("--email EMAIL is required.");
    const role = (values.role as string | undefined) ?? "admin";
    if (!isAdminRole(role)) throw new CliError(`--role must be one of ${ADMIN_ROLES.join(", ")}; got ${JSON.stringify(role)}.`);
    const password = await readNewPassword();
    const user = await withLedger(async (ledger) => {
      const created = await createAdminUser(ledger.db, { email: values.email as string, role: role as AdminRole, password });
      await writeAdminLog(ledger.db, {
        at: ledger.now(),
        actor: { userId: null, email: null, role: null },
        action: "user.create",
        target: created.email,
        outcome: "ok",
        details: { role: created.role, via: "cli" },
        client: cliClient(),
      });
      return created;
    }).catch((error: unknown) => {
      if (error instanceof ProtocolError) throw new CliError(error.message);
      throw error;
    });
    if (values.json) console.log(JSON.stringify({ id: user.id, email: user.email, role: user.role, createdAt: user.createdAt.toISOString() }));
    else console.log(`Created the ${user.role} account ${user.email}. Sign in at /admin.`);
  },
};

export const adminList: Command = {
  ...commandSpec("admin list"),
  async run({ values }) {
    const users = await withLedger((ledger) => listAdminUsers(ledger.db));
    if (values.json) {
      console.log(JSON.stringify(users.map((u) => ({ ...u, createdAt: u.createdAt.toISOString(), disabledAt: u.disabledAt?.toISOString() ?? null }))));
      return;
    }
    if (users.length === 0) return console.log("No admin account yet. Create the first with `sealbook admin create --email EMAIL`.");
    for (const u of users) console.log(`${u.email.padEnd(32)}  ${u.role.padEnd(8)}  ${u.disabledAt ? `disabled ${u.disabledAt.toISOString()}` : "active"}`);
  },
};

export const adminDisable: Command = {
  ...commandSpec("admin disable"),
  async run({ values }) {
    if (!values.email) throw new CliError("--email EMAIL is required.");
    const user = await withLedger(async (ledger) => {
      const disabled = await disableAdminUser(ledger.db, values.email as string, ledger.now());
      await writeAdminLog(ledger.db, {
        at: ledger.now(),
        actor: { userId: null, email: null, role: null },
        action: "user.disable",
        target: disabled.email,
        outcome: "ok",
        details: { via: "cli" },
        client: cliClient(),
      });
      return disabled;
    }).catch((error: unknown) => {
      if (error instanceof ProtocolError) throw new CliError(error.message);
      throw error;
    });
    console.log(`Disabled ${user.email}; its sessions have ended.`);
  },
};
