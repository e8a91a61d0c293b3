import type { Command, CommandSpec } from "../cli-kit";

/** A command as `sealbook help` lists it, with a way to load its code when it runs. */
export interface CommandEntry extends CommandSpec {
  load(): Promise<Command>;
}

/**
 * Every `sealbook` command, in the order `sealbook help` lists them. Only the command that runs is
 * loaded (its module imports the database, chain and protocol code it needs), so `help` and a
 * command's `--help` load none of them.
 */
export const commands: CommandEntry[] = [
  {
    name: "keygen",
    summary: "Create a signer key pair: a private JWK to keep and a public JWK to register.",
    usage: "sealbook keygen --alg EdDSA|ES256 --out DIR [--json]",
    options: { alg: { type: "string", default: "EdDSA" }, out: { type: "string" }, json: { type: "boolean" } },
    load: async () => (await import("./keygen")).keygen,
  },
  {
    name: "signer add",
    summary: "Register a signer's public key in the directory.",
    usage: 'sealbook signer add --jwk FILE --label TEXT [--organization TEXT] [--valid-from TIME] [--json]',
    options: { jwk: { type: "string" }, label: { type: "string" }, organization: { type: "string" }, "valid-from": { type: "string" }, json: { type: "boolean" } },
    load: async () => (await import("./signer")).signerAdd,
  },
  {
    name: "signer revoke",
    summary: "Revoke a signer's key: records it signs are rejected from the given time on.",
    usage: "sealbook signer revoke KID [--at TIME] [--reason TEXT] [--json]",
    options: { at: { type: "string" }, reason: { type: "string" }, json: { type: "boolean" } },
    load: async () => (await import("./signer")).signerRevoke,
  },
  {
    name: "signer list",
    summary: "List the signer directory.",
    usage: "sealbook signer list [--json]",
    options: { json: { type: "boolean" } },
    load: async () => (await import("./signer")).signerList,
  },
  {
    name: "sign",
    summary: "Sign a record as a compact JWS, ready to submit; prints the JWS.",
    usage: "sealbook sign --key PRIVATE.jwk --kind KIND --body FILE [--prev-root HASH] [--id UUID] [--ledger URL]",
    options: {
      key: { type: "string" },
      kind: { type: "string" },
      body: { type: "string" },
      "prev-root": { type: "string" },
      id: { type: "string" },
      ledger: { type: "string" },
  },
    load: async () => (await import("./sign")).sign,
  },
  {
    name: "seal",
    summary: "Seal every pending entry into the next block now.",
    usage: "sealbook seal [--json]",
    options: { json: { type: "boolean" } },
    load: async () => (await import("./seal")).seal,
  },
  {
    name: "publish",
    summary: "Publish sealed blocks as mirror files (header, entry list, tree) and a signed ledger.json, for any static file server to serve.",
    usage:
      "sealbook publish [--from H] [--dir DIR] [--json]\n\n" +
      "  --from H   republish from block H (default: the block after the directory's ledger.json)\n" +
      "  --dir DIR  where to write (default SEALBOOK_PUBLISH_DIR); the layout is in docs/PROTOCOL.md, \"Appendix: mirror layout\"",
    options: { from: { type: "string" }, dir: { type: "string" }, json: { type: "boolean" } },
    load: async () => (await import("./publish")).publish,
  },
  {
    name: "status",
    summary: "Show the ledger's head, pending count and anchoring height.",
    usage: "sealbook status [--json]",
    options: { json: { type: "boolean" } },
    load: async () => (await import("./status")).status,
  },
  {
    name: "audit",
    summary: "Re-verify the whole ledger from the database: hashes, signatures, links, roots, counts; with --chain, every root against the registry. Exits 1 on any finding.",
    usage: "sealbook audit [--chain] [--json] [--quiet]",
    options: { json: { type: "boolean" }, quiet: { type: "boolean" }, chain: { type: "boolean" } },
    load: async () => (await import("./audit")).audit,
  },
  {
    name: "anchor",
    summary: "Anchor the sealed blocks not on chain yet, once (reconciling with the chain first). Exits 1 on an alarm.",
    usage: "sealbook anchor [--json] [--wait] [--timeout <seconds>] [--batch-size <n>] [--recheck-alarm]",
    options: {
      json: { type: "boolean" },
      wait: { type: "boolean" },
      timeout: { type: "string" },
      "batch-size": { type: "string" },
      "recheck-alarm": { type: "boolean" },
  },
    load: async () => (await import("./anchor")).anchor,
  },
  {
    name: "worker",
    summary: "Seal and anchor on timers (SEAL_INTERVAL_SECONDS, ANCHOR_INTERVAL_SECONDS) until Ctrl-C; runs the local chain when RPC_URL is unset.",
    usage: "sealbook worker",
    options: {},
    load: async () => (await import("./worker")).worker,
  },
  {
    name: "chain status",
    summary: "Show the chain side: chain id, registry, its latest height against the ledger's head, lag, alarm, anchorer and balance.",
    usage: "sealbook chain status [--json]",
    options: { json: { type: "boolean" } },
    load: async () => (await import("./chain-status")).chainStatus,
  },
  {
    name: "deploy",
    summary: "Deploy this ledger's RootRegistry to RPC_URL, granting ANCHORER_ROLE and RECEIPT_SIGNER_ROLE to the configured accounts.",
    usage: "sealbook deploy [--admin <address>] [--anchorer <address>] [--receipt-signer <address>] [--json]",
    options: { admin: { type: "string" }, anchorer: { type: "string" }, "receipt-signer": { type: "string" }, json: { type: "boolean" } },
    load: async () => (await import("./deploy")).deploy,
  },
  {
    name: "verify",
    summary: "Verify a proof bundle (PROTOCOL §5) and, with --receipt, an acceptance receipt (§6), trusting no server; offline except the chain steps.",
    usage: "sealbook verify BUNDLE.json [--jws FILE] [--receipt FILE] [--rpc URL | --offline] [--json]\n" +
      "       sealbook verify --mirror URL [--entry HASH] [--block H] [--rpc URL | --offline] [--json]\n\n" +
      "  BUNDLE.json     the answer of GET /api/v1/proofs/{entryHash}\n" +
      "  --mirror URL    a mirror of the ledger's files (docs/PROTOCOL.md, \"Appendix: mirror layout\"): checks its\n" +
      "                  signed ledger.json, then the proof of --entry (found from the head down, or in --block)\n" +
      "                  and/or the whole --block, from the files alone\n" +
      "  --jws FILE      the signed record you hold: checks that it is this entry\n" +
      "  --receipt FILE  the receipt from the acceptance answer: checks the signature, the signer's role on chain,\n" +
      "                  that it is this entry, and that the block was sealed by its sealBy\n" +
      "  --rpc URL       an Ethereum JSON-RPC endpoint of the bundle's chain, for the chain steps\n" +
      "  --offline       accept skipped chain steps (otherwise they make the result incomplete)\n\n" +
      "Exit codes: 0 verified (every step passed; chain steps skipped only with --offline), 1 a step failed,\n" +
      "2 unusable input, 3 incomplete (nothing failed, but the chain steps could not run).",
    options: { jws: { type: "string" }, receipt: { type: "string" }, rpc: { type: "string" }, offline: { type: "boolean" }, json: { type: "boolean" }, mirror: { type: "string" }, entry: { type: "string" }, block: { type: "string" } },
    load: async () => (await import("./verify")).verify,
  },
  {
    name: "monitor",
    summary: "Watch a ledger from outside, through its public API and the chain only: recompute every block, check links, roots on chain, anchoring lag and receipts.",
    usage:
      "sealbook monitor (--portal URL | --mirror URL) --rpc URL --registry ADDR [--state FILE] [--receipts DIR] [--once | --interval S] [--webhook URL] [--max-lag S] [--recheck N] [--json]\n\n" +
      "  --portal URL     the ledger's public portal (its /api/v1)\n" +
      "  --mirror URL     or a mirror of its files (docs/PROTOCOL.md, \"Appendix: mirror layout\"), served by any static server\n" +
      "  --rpc URL        your own Ethereum JSON-RPC endpoint\n" +
      "  --registry ADDR  the RootRegistry you hold the ledger to (not the one the portal names)\n" +
      "  --state FILE     what was verified (JSON): a block that changes later is caught, findings are posted once\n" +
      "  --receipts DIR   *.json acceptance receipts (or API answers holding them) to hold the ledger to\n" +
      "  --once           one pass, then exit (the default)\n" +
      "  --interval S     a pass every S seconds until Ctrl-C\n" +
      "  --webhook URL    POST each new finding (and a lasting outage) as JSON\n" +
      "  --max-lag S      longest a sealed block may wait for its anchor (default 600)\n" +
      "  --recheck N      verified blocks whose entry lists are downloaded again each pass, in rotation (default 1)\n\n" +
      "Exit codes: 0 no finding, 1 findings, 2 bad options or state, 3 the portal or the chain could not be reached\n" +
      "(after retries with backoff: a blip is never reported as a finding).",
    options: {
      portal: { type: "string" },
      mirror: { type: "string" },
      rpc: { type: "string" },
      registry: { type: "string" },
      state: { type: "string" },
      receipts: { type: "string" },
      once: { type: "boolean" },
      interval: { type: "string" },
      webhook: { type: "string" },
      "max-lag": { type: "string" },
      recheck: { type: "string" },
      json: { type: "boolean" },
  },
    load: async () => (await import("./monitor")).monitor,
  },
  {
    name: "config check",
    summary: "Validate the environment without starting anything: every variable (source, value, secrets masked), problems with their fix, and whether the database, RPC and registry (with the anchorer's and receipt signer's roles) answer.",
    usage: "sealbook config check [--offline] [--json]   (exit 0 fine, 1 invalid configuration, 3 something unreachable or a role missing)",
    options: { offline: { type: "boolean" }, json: { type: "boolean" } },
    load: async () => (await import("./config")).configCheck,
  },
  {
    name: "admin create",
    summary: "Create an admin console account; asks for its password (hidden), or reads it from stdin in scripts.",
    usage: "sealbook admin create --email EMAIL [--role admin|operator|auditor] [--json]",
    options: { email: { type: "string" }, role: { type: "string" }, json: { type: "boolean" } },
    load: async () => (await import("./admin")).adminCreate,
  },
  {
    name: "admin list",
    summary: "List the admin console accounts.",
    usage: "sealbook admin list [--json]",
    options: { json: { type: "boolean" } },
    load: async () => (await import("./admin")).adminList,
  },
  {
    name: "admin disable",
    summary: "Disable an admin console account and end its sessions.",
    usage: "sealbook admin disable --email EMAIL",
    options: { email: { type: "string" } },
    load: async () => (await import("./admin")).adminDisable,
  },
];

/** The name, help and options of the command called `name`, for its module to spread into its Command. */
export function commandSpec(name: string): CommandSpec {
  const entry = commands.find((c) => c.name === name);
  if (!entry) throw new Error(`No command named "${name}" in scripts/commands/index.ts.`);
  const { load: _load, ...spec } = entry;
  return spec;
}
