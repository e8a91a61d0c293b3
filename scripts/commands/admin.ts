import { isAdminRole, ADMIN_ROLES } from "../../lib/admin/roles";
import { CliError, type Command } from "../cli-kit";
import { ledgerOperation } from "../control/client";
import { commandSpec } from "./specs";

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

export const adminCreate: Command = {
  ...commandSpec("admin create"),
  async run({ values }) {
    if (!values.email) throw new CliError("--email EMAIL is required.");
    const role = (values.role as string | undefined) ?? "admin";
    if (!isAdminRole(role)) throw new CliError(`--role must be one of ${ADMIN_ROLES.join(", ")}; got ${JSON.stringify(role)}.`);
    const password = await readNewPassword();
    const user = await ledgerOperation("admin create", { email: values.email as string, role, password });
    if (values.json) console.log(JSON.stringify(user));
    else console.log(`Created the ${user.role} account ${user.email}. Sign in at /admin.`);
  },
};

export const adminList: Command = {
  ...commandSpec("admin list"),
  async run({ values }) {
    const users = await ledgerOperation("admin list", {});
    if (values.json) {
      console.log(JSON.stringify(users));
      return;
    }
    if (users.length === 0) return console.log("No admin account yet. Create the first with `sealbook admin create --email EMAIL`.");
    for (const u of users) console.log(`${u.email.padEnd(32)}  ${u.role.padEnd(8)}  ${u.disabledAt ? `disabled ${u.disabledAt}` : "active"}`);
  },
};

export const adminDisable: Command = {
  ...commandSpec("admin disable"),
  async run({ values }) {
    if (!values.email) throw new CliError("--email EMAIL is required.");
    const user = await ledgerOperation("admin disable", { email: values.email as string });
    console.log(`Disabled ${user.email}; its sessions have ended.`);
  },
};
