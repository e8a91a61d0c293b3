import type { CommandSpec } from "../cli-kit";

/**
 * Every `sealbook` command's name, help and options, in the order `sealbook help` lists them. The
 * table imports no command module, so `help` and a command's `--help` load none of them, and each
 * command module takes its own entry from here (`commandSpec`).
 */
export const COMMAND_SPECS: CommandSpec[] = [
  {
    name: "keygen",
    summary: "Create a signer key pair: a private JWK to keep and a public JWK to register.",
    usage: "sealbook keygen --alg EdDSA|ES256 --out DIR [--json]",
    options: { alg: { type: "string", default: "EdDSA" }, out: { type: "string" }, json: { type: "boolean" } },
  },
  {
    name: "signer add",
    summary: "Register a signer's public key in the directory.",
    usage: 'sealbook signer add --jwk FILE --label TEXT [--organization TEXT] [--valid-from TIME] [--json]',
    options: { jwk: { type: "string" }, label: { type: "string" }, organization: { type: "string" }, "valid-from": { type: "string" }, json: { type: "boolean" } },
  },
  {
    name: "signer revoke",
    summary: "Revoke a signer's key: records it signs are rejected from the given time on.",
    usage: "sealbook signer revoke KID [--at TIME] [--reason TEXT] [--json]",
    options: { at: { type: "string" }, reason: { type: "string" }, json: { type: "boolean" } },
  },
  {
    name: "signer list",
    summary: "List the signer directory.",
    usage: "sealbook signer list [--json]",
    options: { json: { type: "boolean" } },
  },  {
    name: "ca list",
    summary: "List the certification centres, trusted and distrusted, with their signers.",
    usage: "sealbook ca list [--json]",
    options: { json: { type: "boolean" } },
  },
  {
    name: "ca distrust",
    summary: "Stop trusting a certification centre; with --revoke-signers also revoke the keys it registered.",
    usage: "sealbook ca distrust ID [--revoke-signers] [--reason TEXT] [--json]",
    options: { "revoke-signers": { type: "boolean" }, reason: { type: "string" }, json: { type: "boolean" } },
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
  },
  {
    name: "seal",
    summary: "Seal every pending entry into the next block now.",
    usage: "sealbook seal [--json]",
    options: { json: { type: "boolean" } },
  },
  {
    name: "status",
    summary: "Show the ledger's head, pending count and anchoring height.",
    usage: "sealbook status [--json]",
    options: { json: { type: "boolean" } },
  },
  {
    name: "audit",
    summary: "Re-verify the whole ledger from the database: hashes, signatures, links, roots, counts; with --chain, every root against the registry. Exits 1 on any finding.",
    usage: "sealbook audit [--chain] [--json] [--quiet]",
    options: { json: { type: "boolean" }, quiet: { type: "boolean" }, chain: { type: "boolean" } },
  },  {
    name: "backup",
    summary: "Write a complete private backup of the ledger (signers, certificates, CAs, blocks, entries with their JWS, anchors) to one compressed file.",
    usage: "sealbook backup --out FILE [--force] [--json] [--quiet]",
    options: { out: { type: "string" }, force: { type: "boolean" }, json: { type: "boolean" }, quiet: { type: "boolean" } },
  },  {
    name: "restore",
    summary: "Rebuild the ledger from a backup into an empty database, after checking every block root against the chain.",
    usage: "sealbook restore --from FILE [--accept-unanchored] [--json] [--quiet]",
    options: { from: { type: "string" }, "accept-unanchored": { type: "boolean" }, json: { type: "boolean" }, quiet: { type: "boolean" } },
  },  {
    name: "repair",
    summary: "Mend what the audit finds from a backup the chain vouches for: puts back exactly the damaged rows, block by block, then audits again.",
    usage: "sealbook repair --from BACKUP [--dry-run] [--json] [--quiet]",
    options: { from: { type: "string" }, "dry-run": { type: "boolean" }, json: { type: "boolean" }, quiet: { type: "boolean" } },
  },



  {
    name: "publish",
    summary: "Publish sealed blocks as mirror files (header, entry list, tree) and a signed ledger.json, for any static file server to serve.",
    usage:
      "sealbook publish [--from H] [--dir DIR] [--json]\n\n" +
      "  --from H   republish from block H (default: the block after the directory's ledger.json)\n" +
      "  --dir DIR  where to write (default SEALBOOK_PUBLISH_DIR); the layout is in docs/PROTOCOL.md, \"Appendix: mirror layout\"",
    options: { from: { type: "string" }, dir: { type: "string" }, json: { type: "boolean" } },
  },
  {
    name: "archive",
    summary: "Take the partitions holding only blocks below a height out of the database, once those blocks are published and anchored; they are then read from their files.",
    usage:
      "sealbook archive --below H [--dir DIR] [--json]\n\n" +
      "  --below H  archive the blocks below height H (1 … H-1); each must have a confirmed anchor and be\n" +
      "             published (`sealbook publish`) with files that verify and match the ledger\n" +
      "  --dir DIR  the published files (default SEALBOOK_PUBLISH_DIR)\n\n" +
      "The partitions of entries and tree tiles that hold only such blocks are detached and kept as\n" +
      "tables in the schema sealbook_archive (they hold the records' JWS, which the files do not): dump\n" +
      "them to cold storage, then drop them. Proofs and the audit read archived blocks from the files\n" +
      "and check them against the sealed headers. Refuses, changing nothing, when a block is not ready.",
    options: { below: { type: "string" }, dir: { type: "string" }, json: { type: "boolean" } },
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
  },
  {
    name: "worker",
    summary: "Seal and anchor on timers (SEAL_INTERVAL_SECONDS, ANCHOR_INTERVAL_SECONDS) until Ctrl-C; runs the local chain when RPC_URL is unset.",
    usage: "sealbook worker",
    options: {},
  },
  {
    name: "chain status",
    summary: "Show the chain side: chain id, registry, its latest height against the ledger's head, lag, alarm, anchorer and balance.",
    usage: "sealbook chain status [--json]",
    options: { json: { type: "boolean" } },
  },
  {
    name: "deploy",
    summary:
      "Deploy this ledger's RootRegistry to RPC_URL, granting ANCHORER_ROLE and RECEIPT_SIGNER_ROLE to the configured accounts. " +
      "On any chain but 31337, --admin (a cold key or a multisig, not the anchorer or the receipt signer) is required.",
    usage: "sealbook deploy [--admin <address>] [--anchorer <address>] [--receipt-signer <address>] [--json]",
    options: { admin: { type: "string" }, anchorer: { type: "string" }, "receipt-signer": { type: "string" }, json: { type: "boolean" } },
  },  {
    name: "evidence",
    summary: "Write an evidence bundle (PROTOCOL §8) for chosen records: JWS, proof, receipt, signer, the chain of blocks and the anchors, checkable offline for years.",
    usage:
      "sealbook evidence (--entry HASH… | --record-id UUID… | --signer KID --from TIME --to TIME) [--public] --out FILE.sealbook.json [--report FILE.html] [--portal-url URL] [--json]\n\n" +
      "  --entry HASH      entry hashes (repeat, or separate with commas or spaces)\n" +
      "  --record-id UUID  record ids (the payload's `id`)\n" +
      "  --signer KID      one signer's records accepted from --from to --to (inclusive)\n" +
      "  --public          leave out the signed records (JWS): for records whose content must stay private\n" +
      "  --out FILE        where to write the bundle (written to FILE.partial, then renamed)\n" +
      "  --report FILE     also write a printable plain-language HTML report, a QR code per record\n" +
      "  --portal-url URL  the public portal the report's QR codes link to (default http://localhost:$PORT)\n" +
      "  --json            print the summary as JSON\n\n" +
      "Only records sealed in an anchored block go in; the others are counted and left out. Exit 0 written,\n" +
      "1 nothing to write, 2 bad options. Check a bundle with `sealbook verify FILE`.",
    options: {
      entry: { type: "string", multiple: true },
      "record-id": { type: "string", multiple: true },
      signer: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      public: { type: "boolean" },
      out: { type: "string" },
      report: { type: "string" },
      "portal-url": { type: "string" },
      json: { type: "boolean" },
    },
  },


  {
    name: "verify",
    summary: "Verify a proof bundle (PROTOCOL §5) with, optionally, an acceptance receipt (§6), or an evidence bundle (§8), trusting no server; offline except the chain steps.",
    usage: "sealbook verify BUNDLE.json [--jws FILE] [--receipt FILE] [--rpc URL [--registry ADDR] | --offline] [--json]\n" +
      "       sealbook verify --mirror URL [--entry HASH] [--block H] [--rpc URL | --offline] [--json]\n\n" +
      "  BUNDLE.json     the answer of GET /api/v1/proofs/{entryHash}, or an evidence bundle (FILE.sealbook.json,\n" +
      "                  recognised by its type \"sealbook.evidence\"): every check of §8, one line per check\n" +
      "  --mirror URL    a mirror of the ledger's files (docs/PROTOCOL.md, \"Appendix: mirror layout\"): checks its\n" +
      "                  signed ledger.json, then the proof of --entry (found from the head down, or in --block)\n" +
      "                  and/or the whole --block, from the files alone\n" +
      "  --jws FILE      the signed record you hold: checks that it is this entry\n" +
      "  --receipt FILE  the receipt from the acceptance answer: checks the signature, the signer's role on chain,\n" +
      "                  that it is this entry, and that the block was sealed by its sealBy\n" +
      "  --rpc URL       an Ethereum JSON-RPC endpoint of the bundle's chain, for the chain steps\n" +
      "  --registry ADDR the registry the ledger's operator publishes: the bundle must name it, and its rootOf(0)\n" +
      "                  must be the ledger's genesis root (without it, the registry the bundle names is read)\n" +
      "  --offline       accept skipped chain steps (otherwise they make the result incomplete)\n\n" +
      "Exit codes: 0 verified (every step passed; chain steps skipped only with --offline), 1 a step failed,\n" +
      "2 unusable input, 3 incomplete (nothing failed, but the chain steps could not run).",
    options: { jws: { type: "string" }, receipt: { type: "string" }, rpc: { type: "string" }, registry: { type: "string" }, offline: { type: "boolean" }, json: { type: "boolean" }, mirror: { type: "string" }, entry: { type: "string" }, block: { type: "string" } },
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
  },
  {
    name: "config check",
    summary: "Validate the environment without starting anything: every variable (source, value, secrets masked), problems with their fix, and whether the database, RPC and registry (with the anchorer's and receipt signer's roles) answer.",
    usage: "sealbook config check [--offline] [--json]   (exit 0 fine, 1 invalid configuration, 3 something unreachable or a role missing)",
    options: { offline: { type: "boolean" }, json: { type: "boolean" } },
  },
  {
    name: "admin create",
    summary: "Create an admin console account; asks for its password (hidden), or reads it from stdin in scripts.",
    usage: "sealbook admin create --email EMAIL [--role admin|operator|auditor] [--json]",
    options: { email: { type: "string" }, role: { type: "string" }, json: { type: "boolean" } },
  },
  {
    name: "admin list",
    summary: "List the admin console accounts.",
    usage: "sealbook admin list [--json]",
    options: { json: { type: "boolean" } },
  },
  {
    name: "admin disable",
    summary: "Disable an admin console account and end its sessions.",
    usage: "sealbook admin disable --email EMAIL",
    options: { email: { type: "string" } },
  },
];

/** The name, help and options of the command called `name`, for its module to spread into its Command. */
export function commandSpec(name: string): CommandSpec {
  const spec = COMMAND_SPECS.find((c) => c.name === name);
  if (!spec) throw new Error(`No command named "${name}" in scripts/commands/specs.ts.`);
  return spec;
}
