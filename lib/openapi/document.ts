import { STATUS_OF } from "../http/problem";
import type { ErrorCode } from "../protocol/errors";
import { EVIDENCE_MEDIA_TYPE } from "../protocol/evidence";
import { schemas } from "./schemas";
import type { OpenApiDocument, ParameterObject, ResponseObject, SchemaObject } from "./types";

const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ "application/json": { schema: ref(name) } });

/** The problem+json answers an operation can give, grouped by HTTP status, each naming its codes. */
function problems(...codes: ErrorCode[]): Record<string, ResponseObject> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(STATUS_OF[code], [...(byStatus.get(STATUS_OF[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => [
      String(status),
      {
        description: `A problem document with code ${group.map((c) => `\`${c}\``).join(" or ")}.`,
        content: { "application/problem+json": { schema: ref("Problem") } },
      },
    ]),
  );
}

const cacheHeader = { "Cache-Control": { description: "How long the answer may be cached.", schema: { type: "string" } } };

const heightParam: ParameterObject = {
  name: "height",
  in: "path",
  required: true,
  description: "The block height, from 1.",
  schema: { type: "integer", minimum: 1, maximum: 2147483647 },
};

/**
 * The OpenAPI 3.1 description of every public endpoint, served at /api/v1/openapi.json and
 * rendered at /api. test/portal/openapi.test.ts fails when a route handler is missing from it.
 */
export const openApiDocument: OpenApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Sealbook public API",
    version: "1",
    summary: "Read the tamper-evident ledger, fetch proofs, and submit signed records.",
    description:
      "Every answer about a sealed block is final and cacheable. Errors are RFC 9457 problem documents with a stable `code` (PROTOCOL §7). Hashes are lowercase 0x-prefixed hex.",
  },
  servers: [{ url: "/", description: "This portal" }],
  tags: [
    { name: "Ledger", description: "The ledger's state and its sealed blocks." },
    { name: "Proofs", description: "Inclusion proofs for entries (PROTOCOL §5)." },
    { name: "Signers", description: "The public signer directory." },
    { name: "Records", description: "Submitting signed records (PROTOCOL §1)." },
    { name: "Meta", description: "This document and the feed." },
  ],
  paths: {
    "/api/v1/ledger": {
      get: {
        operationId: "getLedger",
        summary: "The ledger at a glance",
        description: "Its identity and genesis root, the head block, the number of pending and sealed entries, and how far anchoring has come.",
        tags: ["Ledger"],
        responses: { "200": { description: "The ledger's status (cached for a few seconds).", headers: cacheHeader, content: json("LedgerStatus") } },
      },
    },
    "/api/v1/blocks": {
      get: {
        operationId: "listBlocks",
        summary: "Sealed blocks, newest first",
        description: "Paginated with a cursor: pass the `nextCursor` of one page as `cursor` to get the next, older page.",
        tags: ["Ledger"],
        parameters: [
          { name: "cursor", in: "query", description: "List blocks below this height.", schema: { type: "integer", minimum: 1 } },
          { name: "limit", in: "query", description: "Blocks per page (default 20).", schema: { type: "integer", minimum: 1, maximum: 200 } },
        ],
        responses: { "200": { description: "A page of blocks.", headers: cacheHeader, content: json("BlockList") }, ...problems("invalid_request") },
      },
    },
    "/api/v1/blocks/{height}": {
      get: {
        operationId: "getBlock",
        summary: "One sealed block",
        description: "The block header and its anchor. Immutable once anchored (cached for a year); until then it may gain its anchor.",
        tags: ["Ledger"],
        parameters: [heightParam],
        responses: { "200": { description: "The block.", headers: cacheHeader, content: json("Block") }, ...problems("invalid_request", "not_found") },
      },
    },
    "/api/v1/blocks/{height}/entries": {
      get: {
        operationId: "listBlockEntries",
        summary: "A sealed block's entry hashes",
        description:
          "In leaf order, paginated with `from` and `limit`. With `download=json` or `download=csv` the whole list is streamed as a file, from which anyone can recompute the block root.",
        tags: ["Ledger"],
        parameters: [
          heightParam,
          { name: "from", in: "query", description: "The leaf index to start at (default 0).", schema: { type: "integer", minimum: 0 } },
          { name: "limit", in: "query", description: "Entries per page (default 100).", schema: { type: "integer", minimum: 1, maximum: 10000 } },
          { name: "download", in: "query", description: "Stream every entry as a file instead of a page.", schema: { type: "string", enum: ["json", "csv"] } },
        ],
        responses: {
          "200": {
            description: "A page of entries; or, with `download`, a file (JSON with the block header and all entry hashes, or CSV `leaf_index,entry_hash`).",
            headers: cacheHeader,
            content: { ...json("EntryPage"), "text/csv": { schema: { type: "string" } } },
          },
          ...problems("invalid_request", "not_found", "unavailable"),
        },
      },
    },
    "/api/v1/proofs/{entryHash}": {
      get: {
        operationId: "getProof",
        summary: "An entry's proof bundle",
        description: "The bundle of PROTOCOL §5 for a sealed entry. Verify it yourself: it needs no trust in this server.",
        tags: ["Proofs"],
        parameters: [{ name: "entryHash", in: "path", required: true, description: "The entry hash, keccak256 of the compact JWS.", schema: ref("Hash") }],
        responses: {
          "200": { description: "The entry is sealed: its proof bundle.", headers: cacheHeader, content: json("ProofBundle") },
          "202": { description: "The entry is accepted but not sealed yet; ask again after the next block.", content: json("PendingEntry") },
          ...problems("invalid_request", "not_found", "unavailable"),
        },
      },
    },
    "/api/v1/evidence/{entryHash}": {
      get: {
        operationId: "getPublicEvidence",
        summary: "An entry's public evidence bundle",
        description:
          "The evidence bundle of PROTOCOL §8 for one sealed and anchored entry, without the signed record (a public bundle): its proof, acceptance receipt, signer, the chain of block headers up to an anchored block, and the anchors. A file (`.sealbook.json`) that `sealbook verify` and the /verify page check with no trust in this server.",
        tags: ["Proofs"],
        parameters: [{ name: "entryHash", in: "path", required: true, description: "The entry hash, keccak256 of the compact JWS.", schema: ref("Hash") }],
        responses: {
          "200": { description: "The public evidence bundle, as a download.", headers: cacheHeader, content: { [EVIDENCE_MEDIA_TYPE]: { schema: ref("EvidenceBundle") } } },
          ...problems("invalid_request", "not_found"),
        },
      },
    },
    "/api/v1/signers": {
      get: {
        operationId: "listSigners",
        summary: "The signer directory",
        description: "Every registered key with its status and validity, and how many entries it signed. Revoked keys stay listed.",
        tags: ["Signers"],
        responses: { "200": { description: "The directory.", headers: cacheHeader, content: json("SignerList") } },
      },
    },
    "/api/v1/records": {
      post: {
        operationId: "submitRecord",
        summary: "Submit one signed record",
        description:
          "The record is checked (form, algorithm, signer, signature, payload, prevRoot) and accepted into the pending set; it is sealed into the next block.",
        tags: ["Records"],
        requestBody: {
          required: true,
          description: "The compact JWS, bare (application/jose or text/plain) or as {\"jws\": \"…\"} (application/json). At most 64 KiB.",
          content: {
            "application/jose": { schema: { type: "string" } },
            "text/plain": { schema: { type: "string" } },
            "application/json": { schema: ref("RecordSubmission") },
          },
        },
        responses: {
          "201": { description: "Accepted.", content: json("AcceptedRecord") },
          ...problems(
            "invalid_jws",
            "unsupported_alg",
            "invalid_payload",
            "bad_signature",
            "unauthorized",
            "unknown_signer",
            "revoked_signer",
            "stale_prev_root",
            "duplicate_record",
            "payload_too_large",
            "rate_limited",
          ),
        },
      },
    },
    "/api/v1/records/batch": {
      post: {
        operationId: "submitRecordBatch",
        summary: "Submit up to 1,000 signed records",
        description: "Each record is accepted or rejected on its own; a rejected record carries its problem document in the result.",
        tags: ["Records"],
        requestBody: { required: true, description: "{\"jws\": [\"…\", …]} as application/json.", content: json("BatchSubmission") },
        responses: {
          "200": { description: "One result per record.", content: json("BatchResult") },
          ...problems("invalid_jws", "unauthorized", "payload_too_large", "rate_limited"),
        },
      },
    },
    "/api/v1/health": {
      get: {
        operationId: "getHealth",
        summary: "The ledger's own alarms",
        description:
          "`status` is ok, warn or alarm, the worst of the checks: the database; sealing (pending entries near or past the `sealBy` of their receipts); anchoring (lag, chain alarms); whether receipts are signed. 200 whenever the database answers, whatever the status; 503 (problem+json) when it does not.",
        tags: ["Ledger"],
        responses: {
          "200": { description: "The checks.", content: json("Health") },
          "503": {
            description: "The database does not answer: a problem document with code `unavailable`, carrying the checks in `health`.",
            content: { "application/problem+json": { schema: ref("Problem") } },
          },
        },
      },
    },
    "/api/v1/health/live": {
      get: {
        operationId: "getLiveness",
        summary: "Liveness probe",
        description: "200 `{\"status\": \"live\"}` whenever the process answers. For orchestrators; the business checks are in /api/v1/health.",
        tags: ["Ledger"],
        responses: { "200": { description: "The process answers.", content: { "application/json": { schema: { type: "object", properties: { status: { type: "string", enum: ["live"] } } } } } } },
      },
    },
    "/api/v1/health/ready": {
      get: {
        operationId: "getReadiness",
        summary: "Readiness probe",
        description: "200 when the database answers and every committed migration is applied; 503 otherwise, and while the process is starting or shutting down.",
        tags: ["Ledger"],
        responses: {
          "200": {
            description: "`{status: \"ready\", lifecycle: \"serving\", checks: {database, migrations}}`.",
            content: { "application/json": { schema: { type: "object", properties: { status: { type: "string" }, lifecycle: { type: "string" }, checks: { type: "object" } } } } },
          },
          "503": {
            description: "Not ready: a problem document with code `unavailable`, carrying the checks in `readiness`.",
            content: { "application/problem+json": { schema: ref("Problem") } },
          },
        },
      },
    },
    "/api/v1/export": {
      get: {
        operationId: "exportLedger",
        summary: "The public ledger as JSON lines, for mirrors",
        description:
          'Streamed: one `{"type":"ledger",…}` line, then for each block one `{"type":"block",…}` line (the header and its anchor) followed by one `{"type":"entry","height","leafIndex","entryHash"}` line per entry, in leaf order. Memory stays bounded whatever the range.',
        tags: ["Ledger"],
        parameters: [
          { name: "from", in: "query", description: "The first block (default 1).", schema: { type: "integer", minimum: 1 } },
          { name: "to", in: "query", description: "The last block (default and at most the head).", schema: { type: "integer", minimum: 1 } },
        ],
        responses: {
          "200": { description: "JSON lines.", content: { "application/x-ndjson": { schema: { type: "string" } } } },
          ...problems("invalid_request"),
        },
      },
    },
    "/api/v1/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        summary: "This API description",
        description: "The OpenAPI 3.1 document that the API documentation page is generated from.",
        tags: ["Meta"],
        responses: { "200": { description: "The OpenAPI document.", content: { "application/json": { schema: { type: "object" } } } } },
      },
    },
    "/feed.xml": {
      get: {
        operationId: "getFeed",
        summary: "Atom feed of blocks",
        description: "The latest sealed blocks, each updated when its root is anchored, for feed readers and watchdogs.",
        tags: ["Meta"],
        responses: { "200": { description: "An Atom 1.0 feed.", content: { "application/atom+xml": { schema: { type: "string" } } } } },
      },
    },
  },
  components: { schemas },
};
