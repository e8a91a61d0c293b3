import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { bytesToHex, type Hash } from "../lib/protocol/hex";
import { packJws, unpackJws } from "./packed-jws";
import { ROOT_KEY_FUNCTION } from "./root-key";

/** A 32-byte hash stored as `bytea`, read and written as `0x` hex. */
export const hash32 = customType<{ data: Hash; driverData: Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => Buffer.from(value.slice(2), "hex"),
  fromDriver: (value) => bytesToHex(value),
});

/** Raw bytes stored as `bytea`. */
export const bytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
});

/** A compact JWS stored as `bytea`, 6 bits a base64url symbol (./packed-jws.ts), read and written as its text. */
export const packedJws = customType<{ data: string; driverData: Uint8Array }>({
  dataType: () => "bytea",
  toDriver: packJws,
  fromDriver: unpackJws,
});

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** The one ledger this database holds: its id and genesis root. Its row is also the sealing lock. */
export const ledger = pgTable("ledger", {
  id: text("id").primaryKey(),
  genesisRoot: hash32("genesis_root").notNull(),
  createdAt: instant("created_at").notNull().defaultNow(),
});

/** The signer directory (PROTOCOL §1): who may submit records, with which key, since and until when. */
export const signers = pgTable("signers", {
  kid: text("kid").primaryKey(),
  /** The signer's number, by which entries name it in 4 bytes instead of its 43-character kid (migration 0010). */
  id: integer("id").notNull().unique().generatedAlwaysAsIdentity(),
  alg: text("alg").notNull(),
  publicJwk: jsonb("public_jwk").notNull().$type<Record<string, string>>(),
  label: text("label").notNull(),
  organization: text("organization"),
  validFrom: instant("valid_from").notNull(),
  revokedAt: instant("revoked_at"),
  revocationReason: text("revocation_reason"),
  createdAt: instant("created_at").notNull().defaultNow(),
});

/**
 * Accepted records, as they arrived. An entry never changes: the database refuses every UPDATE and
 * DELETE (see the append-only migrations). Which block holds it follows from the protocol itself:
 * block h holds exactly the entries whose prevRoot is root(h-1); `entry_leaves` records where in
 * that block's tree each one sits, once the block is sealed.
 * Range-partitioned by seq (migration 0009, db/partitions.ts); a record id is unique, and an entry
 * is found by its hash, through its row in `entry_keys`, which a trigger writes on every insert.
 */
export const entries = pgTable(
  "entries",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    entryHash: hash32("entry_hash").notNull(),
    recordId: uuid("record_id").notNull(),
    // The signer's number (signers.id); its kid and the record's kind are in the JWS, and the
    // audit checks this column against the kid there (migration 0010 dropped `kind`).
    signerId: integer("signer_id")
      .notNull()
      .references(() => signers.id),
    prevRoot: hash32("prev_root").notNull(),
    jws: packedJws("jws").notNull(),
    acceptedAt: instant("accepted_at").notNull(),
  },
  (t) => [
    // The prevRoot index keys on 8 bytes of the root (db/root-key.ts): queries name entries of a
    // root with `namesRoot`. An entry is found by its hash through `entry_keys` (migration 0011),
    // not by an index here: a partitioned index would be probed once a partition.
    index("entries_prev_root_idx").on(sql.raw(`${ROOT_KEY_FUNCTION}(prev_root)`), t.seq),
  ],
);

/**
 * The ledger-wide keys of every entry the ledger accepted (migrations 0009 and 0011), written by a
 * trigger on `entries`, never changed, and kept when the entry's partition is archived:
 * - `record_id` is the key that refuses a replay across all partitions of `entries`;
 * - `hash_key` (8 bytes of the entry hash, `sealbook_root_key`) finds an entry by its hash with one
 *   index, whatever the number of partitions: `seq` then names its partition of `entries`, and
 *   `height` (the block it belongs to, from the root it names) its partition of `entry_leaves` and
 *   `block_tree_tiles` (db/entry-keys.ts). Two hashes may share a key; readers compare the full hash.
 *
 * `hash_key` is null only for entries archived before migration 0011 whose partition was dropped;
 * `height` is null for an entry that names no sealed block's root nor the genesis.
 */
export const entryKeys = pgTable(
  "entry_keys",
  {
    recordId: uuid("record_id").primaryKey(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    hashKey: bigint("hash_key", { mode: "number" }),
    height: integer("height"),
  },
  (t) => [
    index("entry_keys_hash_key_idx").on(t.hashKey),
    index("entry_keys_unkeyed_idx").on(t.seq).where(sql`${t.hashKey} is null`),
  ],
);

/** How wide the next partitions of each partitioned ledger table are (db/partitions.ts). */
export const ledgerPartitioning = pgTable(
  "ledger_partitioning",
  {
    tableName: text("table_name").primaryKey(),
    width: bigint("width", { mode: "number" }).notNull(),
  },
  (t) => [check("ledger_partitioning_width_positive", sql`${t.width} > 0`)],
);

/**
 * Each `sealbook archive` run: the blocks below `below` are served from their published files, and
 * the partitions named were detached into the schema `sealbook_archive`. Append-only.
 */
export const ledgerArchive = pgTable("ledger_archive", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  below: integer("below").notNull(),
  partitions: text("partitions").array().notNull(),
  archivedAt: instant("archived_at").notNull().defaultNow(),
});

/**
 * Where each sealed entry sits: its block and its position in the block tree's sorted leaf order.
 * Written once when the block is sealed (narrow rows, so sealing a large block stays quick), never
 * changed. An entry without a row here is pending. Range-partitioned by block height (migration
 * 0009); the rows stay when a block is archived, as the index that finds an archived entry's block.
 */
export const entryLeaves = pgTable(
  "entry_leaves",
  {
    // No foreign key to entries: PostgreSQL would lock every referenced entry row (FOR KEY SHARE)
    // while sealing, which doubled the time to seal a million entries. Entries cannot be deleted
    // (trigger), and the audit names any leaf row without its entry.
    entryHash: hash32("entry_hash").notNull(),
    blockHeight: integer("block_height").notNull(),
    leafIndex: integer("leaf_index").notNull(),
  },
  // A block's leaf positions are its key; an entry is found by a hash index (migration 0008: one
  // B-tree instead of two, 38–48 bytes an entry instead of 78). A leaf row written twice for an
  // entry takes a second position of its block, which the key or the audit refuses.
  (t) => [
    primaryKey({ name: "entry_leaves_pkey", columns: [t.blockHeight, t.leafIndex] }),
    index("entry_leaves_entry_hash_idx").using("hash", t.entryHash),
  ],
);

/** Sealed blocks (PROTOCOL §3). Append-only: heights are consecutive and each names its predecessor's root. */
export const blocks = pgTable(
  "blocks",
  {
    height: integer("height").primaryKey(),
    root: hash32("root").notNull().unique(),
    prevRoot: hash32("prev_root").notNull(),
    entryCount: integer("entry_count").notNull(),
    sealedAt: instant("sealed_at").notNull(),
  },
  // The block that holds an entry is the one naming the entry's prevRoot.
  (t) => [uniqueIndex("blocks_prev_root_idx").on(t.prevRoot)],
);

/**
 * Blocks whose derived data (entry_leaves and block_tree_tiles) is complete. The seal commits a
 * header under the ledger lock and writes its derived data afterwards, with this row last, in one
 * transaction; a block without a row here is repaired at the next start or seal, and readers answer
 * 503 for it meanwhile (lib/ledger/derived.ts).
 */
export const blockDerived = pgTable("block_derived", {
  height: integer("height").primaryKey(),
  completedAt: instant("completed_at").notNull().defaultNow(),
});

/**
 * A block's tree, cut into dense tiles so that an inclusion proof reads a handful of rows and the
 * table holds little more than the tree's nodes (see lib/protocol/tiles.ts). Append-only like the
 * blocks. `nodes` is stored inline (STORAGE MAIN, set by the migration): tiles of up to 4 KB of
 * hashes do not compress, and out-of-line storage would add reads to every proof.
 * Range-partitioned by height (migration 0009); archived blocks' partitions are detached.
 */
export const blockTreeTiles = pgTable(
  "block_tree_tiles",
  {
    height: integer("height").notNull(),
    tile: integer("tile").notNull(),
    nodes: bytes("nodes").notNull(),
  },
  (t) => [primaryKey({ columns: [t.height, t.tile] })],
);

/**
 * The anchoring job's bookkeeping for each sealed block: where and whether its root was published
 * on chain. This is operational state, not evidence; the chain itself is the evidence.
 */
export const anchors = pgTable("anchors", {
  height: integer("height").primaryKey(),
  status: text("status").notNull().$type<"sent" | "confirmed" | "failed">(),
  chainId: integer("chain_id").notNull(),
  registry: text("registry").notNull(),
  txHash: text("tx_hash"),
  chainBlockNumber: bigint("chain_block_number", { mode: "number" }),
  gasUsed: bigint("gas_used", { mode: "number" }),
  attempts: integer("attempts").notNull().default(0),
  lastError: text("last_error"),
  updatedAt: instant("updated_at").notNull().defaultNow(),
  /** How many blocks the transaction anchored (`anchorBatch`); `gas_used` is the whole transaction's, shared by them. */
  batchSize: integer("batch_size").notNull().default(1),
});

/**
 * Why the anchoring job stopped for one registry: the chain disagrees with the ledger (another root at
 * a height, heights the ledger never sealed, the registry gone or for another ledger). At most one
 * alarm is active (`cleared_at` null) per chain and registry; while it is, nothing is anchored there.
 */
export const chainAlarms = pgTable(
  "chain_alarms",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    chainId: integer("chain_id").notNull(),
    registry: text("registry").notNull(),
    kind: text("kind").notNull().$type<"root_mismatch" | "chain_ahead" | "registry_missing" | "genesis_mismatch">(),
    height: integer("height"),
    ledgerRoot: text("ledger_root"),
    chainRoot: text("chain_root"),
    message: text("message").notNull(),
    raisedAt: instant("raised_at").notNull().defaultNow(),
    clearedAt: instant("cleared_at"),
  },
  (t) => [uniqueIndex("chain_alarms_active_idx").on(t.chainId, t.registry).where(sql`${t.clearedAt} is null`)],
);

/**
 * The people who run the ledger through the admin console (issue 6). Passwords are argon2id hashes
 * (PHC strings); the role decides what each may do (lib/admin/roles.ts). Never deleted: the admin
 * log names them. A disabled account cannot sign in and its sessions end.
 */
export const adminUsers = pgTable("admin_users", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  /** Lower-case. */
  email: text("email").notNull().unique(),
  role: text("role").notNull().$type<"admin" | "operator" | "auditor">(),
  passwordHash: text("password_hash").notNull(),
  createdAt: instant("created_at").notNull().defaultNow(),
  disabledAt: instant("disabled_at"),
});

/**
 * Signed-in admin sessions. The cookie holds a random token; only its SHA-256 is stored, so a copy
 * of this table lets nobody in. A session ends when idle too long, at `expires_at`, or on sign-out.
 */
export const adminSessions = pgTable(
  "admin_sessions",
  {
    tokenHash: bytes("token_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => adminUsers.id),
    createdAt: instant("created_at").notNull(),
    lastUsedAt: instant("last_used_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("admin_sessions_user_idx").on(t.userId)],
);

/**
 * Every admin action: who, what, when, from where, and how it ended. Append-only (triggers refuse
 * UPDATE, DELETE and TRUNCATE). Failed sign-ins are kept here too, and the sign-in throttle counts them.
 */
export const adminLog = pgTable(
  "admin_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: instant("at").notNull(),
    /** Null for a sign-in attempt that matched no account. */
    userId: integer("user_id").references(() => adminUsers.id),
    /** The account named, as typed for a failed sign-in (lower-case). */
    email: text("email"),
    role: text("role"),
    action: text("action").notNull(),
    target: text("target"),
    outcome: text("outcome").notNull().$type<"ok" | "denied" | "failed">(),
    details: jsonb("details").notNull().$type<Record<string, unknown>>(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [
    index("admin_log_at_idx").on(t.at),
    index("admin_log_email_idx").on(t.action, t.email, t.at),
    index("admin_log_ip_idx").on(t.action, t.ip, t.at),
  ],
);

/**
 * Certification centres whose certificates the ledger trusts: a record carrying an X.509 chain
 * (JWS `x5c`) up to one of them registers its signer by itself. Kept when distrusted
 * (`removed_at`), because signers registered through a centre stay linked to it.
 */
export const trustedCas = pgTable(
  "trusted_cas",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    /** SHA-256 of the DER certificate, lower-case hex. */
    fingerprint: text("fingerprint").notNull(),
    subject: text("subject").notNull(),
    issuer: text("issuer").notNull(),
    serialNumber: text("serial_number").notNull(),
    notBefore: instant("not_before").notNull(),
    notAfter: instant("not_after").notNull(),
    der: bytes("der").notNull(),
    addedAt: instant("added_at").notNull(),
    addedBy: text("added_by").notNull(),
    removedAt: instant("removed_at"),
    removedBy: text("removed_by"),
  },
  (t) => [uniqueIndex("trusted_cas_active_fingerprint_idx").on(t.fingerprint).where(sql`${t.removedAt} is null`)],
);

/**
 * The X.509 certificate a signer's key was registered from: through a record's `x5c` chain up to a
 * trusted centre (`trusted_ca_id`), or uploaded by an admin (`trusted_ca_id` null). Append-only.
 */
export const signerCertificates = pgTable("signer_certificates", {
  kid: text("kid")
    .primaryKey()
    .references(() => signers.kid),
  trustedCaId: integer("trusted_ca_id").references(() => trustedCas.id),
  fingerprint: text("fingerprint").notNull(),
  subject: text("subject").notNull(),
  issuer: text("issuer").notNull(),
  serialNumber: text("serial_number").notNull(),
  notBefore: instant("not_before").notNull(),
  notAfter: instant("not_after").notNull(),
  /** The chain as validated, leaf first, base64 DER (as in `x5c`), up to and including the trusted centre. */
  chain: jsonb("chain").notNull().$type<string[]>(),
  createdAt: instant("created_at").notNull(),
});
