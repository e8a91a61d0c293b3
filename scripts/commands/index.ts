import type { Command, CommandSpec } from "../cli-kit";
import { COMMAND_SPECS } from "./specs";

/** A command as `sealbook help` lists it, with a way to load its code when it runs. */
export interface CommandEntry extends CommandSpec {
  load(): Promise<Command>;
}

/** How to load each command's module: only the command that runs is loaded. */
const LOADERS: Record<string, () => Promise<Command>> = {
  "keygen": async () => (await import("./keygen")).keygen,
  "signer add": async () => (await import("./signer")).signerAdd,
  "signer revoke": async () => (await import("./signer")).signerRevoke,
  "signer list": async () => (await import("./signer")).signerList,
  "ca list": async () => (await import("./ca")).caList,
  "ca distrust": async () => (await import("./ca")).caDistrust,
  "sign": async () => (await import("./sign")).sign,
  "seal": async () => (await import("./seal")).seal,
  "status": async () => (await import("./status")).status,
  "audit": async () => (await import("./audit")).audit,
  "anchor": async () => (await import("./anchor")).anchor,
  "worker": async () => (await import("./worker")).worker,
  "chain status": async () => (await import("./chain-status")).chainStatus,
  "deploy": async () => (await import("./deploy")).deploy,
  "verify": async () => (await import("./verify")).verify,
  "monitor": async () => (await import("./monitor")).monitor,
  "config check": async () => (await import("./config")).configCheck,
  "admin create": async () => (await import("./admin")).adminCreate,
  "admin list": async () => (await import("./admin")).adminList,
  "admin disable": async () => (await import("./admin")).adminDisable,
  "evidence": async () => (await import("./evidence")).evidence,
  "backup": async () => (await import("./backup")).backup,
  "restore": async () => (await import("./backup")).restore,
  "repair": async () => (await import("./backup")).repair,
  "publish": async () => (await import("./publish")).publish,
  "archive": async () => (await import("./archive")).archive,
};

/** Every `sealbook` command, in the order `sealbook help` lists them (scripts/commands/specs.ts). */
export const commands: CommandEntry[] = COMMAND_SPECS.map((spec) => {
  const load = LOADERS[spec.name];
  if (!load) throw new Error(`The command "${spec.name}" has no loader in scripts/commands/index.ts.`);
  return { ...spec, load };
});
