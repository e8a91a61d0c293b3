/**
 * The database work of the commands that also run beside `npm start`: `status`, `seal`, `audit`,
 * `signer add|list|revoke` and `admin create|list|disable`. Each operation takes JSON parameters
 * and returns JSON, so the same function runs in the CLI's own process (PostgreSQL, or an
 * embedded database nobody holds) and in the running server, which answers the CLI over its
 * control socket (./server.ts) when it holds the embedded database. The command prints the answer
 * the same way in both cases.
 *
 * Each operation imports its ledger code when it runs, so that `sealbook status` does not load the
 * audit or the password hashing.
 */
import { userInfo, hostname } from "node:os";
import { z } from "zod";
import { ADMIN_ROLES } from "../../lib/admin/roles";
import { ProtocolError } from "../../lib/protocol/errors";
import type { Runtime } from "../../lib/server/runtime";

/** Reports progress as JSON (the command formats it); goes over the socket as it comes. */
export type ReportProgress = (progress: unknown) => void;

interface Operation<P extends z.ZodType, R> {
  params: P;
  run(runtime: Runtime, params: z.infer<P>, progress: ReportProgress): Promise<R>;
}

function operation<P extends z.ZodType, R>(params: P, run: Operation<P, R>["run"]): Operation<P, R> {
  return { params, run };
}

const noParams = z.object({});
const isoTime = z.iso.datetime({ offset: true }).optional();

/** Writes a change made from the CLI to the admin log: no signed-in actor; the client is the CLI's user (the socket admits only the server's own). */
async function logCliChange(ledger: Runtime["ledger"], user: string, entry: { action: "user.create" | "user.disable"; target: string; details: Record<string, unknown> }) {
  const { writeAdminLog } = await import("../../lib/admin/admin-log");
  await writeAdminLog(ledger.db, {
    at: ledger.now(),
    actor: { userId: null, email: null, role: null },
    ...entry,
    outcome: "ok",
    details: { ...entry.details, via: "cli" },
    client: { ip: null, userAgent: `sealbook CLI (${user}@${hostname()})` },
  });
}
const cliUser = z.string().min(1).max(200).default(() => userInfo().username);

export const ledgerOperations = {
  status: operation(noParams, async ({ ledger }) => {
    const [{ getLedgerStatus }, { serializeLedgerStatus }] = await Promise.all([import("../../lib/ledger/reads"), import("../../lib/http/serialize")]);
    return serializeLedgerStatus(await getLedgerStatus(ledger));
  }),

  seal: operation(noParams, async ({ ledger }, _params, progress) => {
    const { sealPendingEntries } = await import("../../lib/ledger/seal");
    const block = await sealPendingEntries(ledger, { onProgress: (p) => p.phase !== "done" && progress(p) });
    return block ? { ...block, sealedAt: block.sealedAt.toISOString() } : null;
  }),

  publish: operation(z.object({ from: z.number().int().min(1).optional(), dir: z.string().min(1).optional() }), async ({ ledger, config }, { from, dir }, progress) => {
    const [{ resolvePublishTarget }, { publishBlocks }] = await Promise.all([import("../../lib/chain/publish-target"), import("../../lib/ledger/publish")]);
    const target = resolvePublishTarget(config, dir ?? config.SEALBOOK_PUBLISH_DIR);
    if (!target) throw new ProtocolError("invalid_request", "No directory to publish to: set SEALBOOK_PUBLISH_DIR, or give --dir.");
    const result = await publishBlocks(ledger, target, { from, onProgress: progress });
    return { ...result, dir: target.dir };
  }),

  archive: operation(z.object({ below: z.number().int(), dir: z.string().min(1).optional() }), async ({ ledger, config }, { below, dir }, progress) => {
    const [{ archiveBlocksBelow, ArchiveRefusedError }, { directoryMirrorReader }] = await Promise.all([import("../../lib/ledger/archive"), import("../../lib/ledger/mirror-directory")]);
    const from = dir ?? config.SEALBOOK_PUBLISH_DIR;
    try {
      return { ...(await archiveBlocksBelow(ledger, from ? directoryMirrorReader(from) : undefined, below, progress)), dir: from };
    } catch (error) {
      if (error instanceof ArchiveRefusedError) throw new ProtocolError("invalid_request", error.message, { heights: error.heights });
      throw error;
    }
  }),

  audit: operation(z.object({ chain: z.boolean().default(false) }), async (runtime, { chain }, progress) => {
    const { auditForCli } = await import("../commands/audit-report");
    return auditForCli(runtime, { chain, onProgress: progress });
  }),

  "signer add": operation(
    z.object({ publicJwk: z.record(z.string(), z.unknown()), label: z.string(), organization: z.string().nullable(), validFrom: isoTime }),
    async ({ ledger }, input) => {
      const [{ registerSigner }, { serializeSigner }] = await Promise.all([import("../../lib/ledger/signers/signers"), import("../../lib/http/serialize")]);
      return serializeSigner(await registerSigner(ledger, { ...input, validFrom: input.validFrom ? new Date(input.validFrom) : undefined }));
    },
  ),

  "signer revoke": operation(z.object({ kid: z.string(), at: isoTime, reason: z.string().optional() }), async ({ ledger }, { kid, at, reason }) => {
    const [{ revocationTime, revokeSigner }, { serializeSigner }] = await Promise.all([import("../../lib/ledger/signers/signers"), import("../../lib/http/serialize")]);
    return serializeSigner(await revokeSigner(ledger, kid, { at: revocationTime(at ? new Date(at) : undefined, ledger.now()), reason }));
  }),

  "signer list": operation(noParams, async ({ ledger }) => {
    const [{ listSignersWithCounts }, { serializeSigner }] = await Promise.all([import("../../lib/ledger/signers/signers"), import("../../lib/http/serialize")]);
    return (await listSignersWithCounts(ledger)).map((s) => ({ ...serializeSigner(s), entryCount: s.entryCount }));
  }),

  "admin create": operation(z.object({ email: z.string(), role: z.enum(ADMIN_ROLES), password: z.string(), user: cliUser }), async ({ ledger }, input) => {
    const { createAdminUser } = await import("../../lib/admin/users");
    const created = await createAdminUser(ledger.db, input);
    await logCliChange(ledger, input.user, { action: "user.create", target: created.email, details: { role: created.role } });
    return { id: created.id, email: created.email, role: created.role, createdAt: created.createdAt.toISOString() };
  }),

  "admin list": operation(noParams, async ({ ledger }) => {
    const { listAdminUsers } = await import("../../lib/admin/users");
    return (await listAdminUsers(ledger.db)).map((u) => ({ ...u, createdAt: u.createdAt.toISOString(), disabledAt: u.disabledAt?.toISOString() ?? null }));
  }),

  "admin disable": operation(z.object({ email: z.string(), user: cliUser }), async ({ ledger }, { email, user }) => {
    const { disableAdminUser } = await import("../../lib/admin/users");
    const disabled = await disableAdminUser(ledger.db, email, ledger.now());
    await logCliChange(ledger, user, { action: "user.disable", target: disabled.email, details: {} });
    return { email: disabled.email };
  }),
};

export type OperationName = keyof typeof ledgerOperations;
export type OperationParams<N extends OperationName> = z.input<(typeof ledgerOperations)[N]["params"]>;
export type OperationResult<N extends OperationName> = Awaited<ReturnType<(typeof ledgerOperations)[N]["run"]>>;

/** Whether `name` names an operation (the server checks what the socket sends). */
export function isOperationName(name: unknown): name is OperationName {
  return typeof name === "string" && Object.hasOwn(ledgerOperations, name);
}

/**
 * Runs operation `name` on an open runtime. Throws a zod error when `params` do not fit, and
 * whatever the ledger throws (a ProtocolError for a refused change).
 */
export async function runOperation<N extends OperationName>(runtime: Runtime, name: N, params: unknown, progress: ReportProgress): Promise<OperationResult<N>> {
  const op = ledgerOperations[name] as unknown as Operation<z.ZodType, OperationResult<N>>;
  return op.run(runtime, op.params.parse(params), progress);
}
