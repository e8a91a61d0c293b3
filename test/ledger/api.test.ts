import assert from "node:assert/strict";
import { createPrivateKey, sign as nodeSign, type JsonWebKey as NodeJwk } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { CompactSign, importJWK, type JWK } from "jose";
import { queryRows } from "../../db/client";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { sealPendingEntries } from "../../lib/ledger/seal";
import { registerSigner, revokeSigner } from "../../lib/ledger/signers/signers";
import { bytesToHex, type Hash } from "../../lib/protocol/hex";
import { verifyProof } from "../../lib/protocol/proof";
import { signRecord } from "../../lib/protocol/sign";
import { tryFastRoute } from "../../lib/server/fast-routes";
import { api, useLedgerForRoutes } from "../support/api";
import { drivers, freshDatabase, skipReason } from "../support/db";
import { b64url, newKeyPair, payload, signedRecord } from "../support/records";

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`the records API on ${driver}`, { skip: skip ?? false }, () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let ledger: LedgerContext;
    let ed: { privateJwk: JWK; publicJwk: JWK; kid: string };
    let ec: { privateJwk: JWK; publicJwk: JWK; kid: string };
    let revoked: { privateJwk: JWK; kid: string };
    let future: { privateJwk: JWK; kid: string };
    let stranger: { privateJwk: JWK };
    let head: Hash;

    const entryCount = async () => Number((await queryRows<{ n: string }>(db.db, sql`select count(*) as n from entries`))[0].n);

    before(async () => {
      db = await freshDatabase(driver);
      ledger = await openLedger(db, "api-test");
      useLedgerForRoutes(db, ledger);
      const register = async (alg: "EdDSA" | "ES256", validFrom?: Date) => {
        const pair = await newKeyPair(alg);
        const signer = await registerSigner(ledger, { publicJwk: pair.publicJwk, label: `test ${alg}`, validFrom: validFrom ?? new Date(Date.now() - 60_000) });
        return { ...pair, kid: signer.kid };
      };
      ed = await register("EdDSA");
      ec = await register("ES256");
      revoked = await register("EdDSA");
      await revokeSigner(ledger, revoked.kid, { reason: "key compromised" });
      future = await register("EdDSA", new Date(Date.now() + 86_400_000));
      stranger = await newKeyPair("EdDSA");
      // One sealed block, so that a stale root exists.
      const first = await api.postRecord(await signedRecord(ed.privateJwk, ledger.genesisRoot));
      assert.equal(first.status, 201);
      head = (await sealPendingEntries(ledger))!.root;
    });
    after(async () => db?.dispose());

    const signRaw = async (header: Record<string, unknown>, body: unknown, key: JWK, alg = "EdDSA") =>
      new CompactSign(new TextEncoder().encode(typeof body === "string" ? body : JSON.stringify(body)))
        .setProtectedHeader(header as { alg: string })
        .sign(await importJWK(key, alg));

    /** Each bad input: what to send and the code it must be answered with. */
    const badInputs: Array<{ name: string; code: string; send: () => Promise<Response> }> = [
      { name: "alg none", code: "unsupported_alg", send: async () => api.postRecord(`${b64url({ alg: "none", kid: ed.kid })}.${b64url(payload(head))}.`) },
      { name: "alg HS256", code: "unsupported_alg", send: async () => api.postRecord(`${b64url({ alg: "HS256", kid: ed.kid })}.${b64url(payload(head))}.c2ln`) },
      {
        name: "alg confusion: an ES256 header on an Ed25519 key",
        code: "unsupported_alg",
        send: async () => api.postRecord(await signRaw({ alg: "ES256", kid: ed.kid }, payload(head), ec.privateJwk, "ES256")),
      },
      // jose refuses to sign these headers, so the signature is borrowed: the header check comes first.
      { name: "a crit header", code: "invalid_jws", send: async () => api.postRecord(`${b64url({ alg: "EdDSA", kid: ed.kid, crit: ["exp"], exp: 1 })}.${b64url(payload(head))}.${(await signedRecord(ed.privateJwk, head)).split(".")[2]}`) },
      { name: "a b64 header", code: "invalid_jws", send: async () => api.postRecord(`${b64url({ alg: "EdDSA", kid: ed.kid, b64: true })}.${b64url(payload(head))}.${(await signedRecord(ed.privateJwk, head)).split(".")[2]}`) },
      { name: "no kid", code: "invalid_jws", send: async () => api.postRecord(await signRaw({ alg: "EdDSA" }, payload(head), ed.privateJwk)) },
      { name: "bad base64url in the header", code: "invalid_jws", send: async () => api.postRecord(`eyJ!!!.${b64url(payload(head))}.c2ln`) },
      { name: "bad base64url in the payload", code: "invalid_jws", send: async () => api.postRecord(`${b64url({ alg: "EdDSA", kid: ed.kid })}.a+b/c=.c2ln`) },
      { name: "a header that is not JSON", code: "invalid_jws", send: async () => api.postRecord(`${b64url("not json")}.${b64url(payload(head))}.c2ln`) },
      { name: "two parts", code: "invalid_jws", send: async () => api.postRecord(`${b64url({ alg: "EdDSA", kid: ed.kid })}.${b64url(payload(head))}`) },
      { name: "four parts", code: "invalid_jws", send: async () => api.postRecord(`${(await signedRecord(ed.privateJwk, head))}.extra`) },
      { name: "an empty body", code: "invalid_jws", send: async () => api.postRecord("") },
      { name: "a non-object payload (array)", code: "invalid_payload", send: async () => api.postRecord(await signRaw({ alg: "EdDSA", kid: ed.kid }, [1, 2], ed.privateJwk)) },
      { name: "a payload that is a JSON string", code: "invalid_payload", send: async () => api.postRecord(await signRaw({ alg: "EdDSA", kid: ed.kid }, "\"hello\"", ed.privateJwk)) },
      {
        name: "a payload that names kind twice (I-JSON)",
        code: "invalid_payload",
        send: async () => api.postRecord(await signRaw({ alg: "EdDSA", kid: ed.kid }, JSON.stringify(payload(head)).replace("{", '{"kind":"claim",'), ed.privateJwk)),
      },
      {
        name: "a payload that repeats a name under another spelling (k\\u0069nd)",
        code: "invalid_payload",
        send: async () => api.postRecord(await signRaw({ alg: "EdDSA", kid: ed.kid }, JSON.stringify(payload(head)).replace("{", '{"k\\u0069nd":"claim",'), ed.privateJwk)),
      },
      {
        name: "a header that names alg twice",
        code: "invalid_jws",
        send: async () => {
          const signingInput = `${b64url(`{"alg":"EdDSA","kid":"${ed.kid}","alg":"none"}`)}.${b64url(payload(head))}`;
          const signature = nodeSign(null, Buffer.from(signingInput), createPrivateKey({ key: ed.privateJwk as NodeJwk, format: "jwk" }));
          return api.postRecord(`${signingInput}.${signature.toString("base64url")}`);
        },
      },
      {
        name: "a header that starts with a UTF-8 byte-order mark (I-JSON)",
        code: "invalid_jws",
        send: async () => {
          const header = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ alg: "EdDSA", kid: ed.kid }))]);
          const signingInput = `${header.toString("base64url")}.${b64url(payload(head))}`;
          const signature = nodeSign(null, Buffer.from(signingInput), createPrivateKey({ key: ed.privateJwk as NodeJwk, format: "jwk" }));
          return api.postRecord(`${signingInput}.${signature.toString("base64url")}`);
        },
      },
      {
        name: "a payload that starts with a UTF-8 byte-order mark (I-JSON)",
        code: "invalid_payload",
        send: async () => api.postRecord(await signRaw({ alg: "EdDSA", kid: ed.kid }, `\uFEFF${JSON.stringify(payload(head))}`, ed.privateJwk)),
      },
      { name: "a payload that is not JSON", code: "invalid_payload", send: async () => api.postRecord(await signRaw({ alg: "EdDSA", kid: ed.kid }, "{not json", ed.privateJwk)) },
      {
        name: "a missing field (kind)",
        code: "invalid_payload",
        send: async () => {
          const { kind: _kind, ...rest } = payload(head);
          return api.postRecord(await signRecord(ed.privateJwk, rest));
        },
      },
      { name: "an extra field", code: "invalid_payload", send: async () => api.postRecord(await signedRecord(ed.privateJwk, head, { patientName: "leak" })) },
      { name: "a prevRoot of the wrong type", code: "invalid_payload", send: async () => api.postRecord(await signedRecord(ed.privateJwk, head, { prevRoot: 42 })) },
      { name: "a prevRoot in upper-case hex", code: "invalid_payload", send: async () => api.postRecord(await signedRecord(ed.privateJwk, head, { prevRoot: head.toUpperCase().replace("0X", "0x") })) },
      { name: "a kind with capitals", code: "invalid_payload", send: async () => api.postRecord(await signedRecord(ed.privateJwk, head, { kind: "Prescription" })) },
      { name: "an id that is not a UUID", code: "invalid_payload", send: async () => api.postRecord(await signedRecord(ed.privateJwk, head, { id: "record-1" })) },
      { name: "a createdAt that is not RFC 3339", code: "invalid_payload", send: async () => api.postRecord(await signedRecord(ed.privateJwk, head, { createdAt: "22/11/2026" })) },
      { name: "a body that is an array", code: "invalid_payload", send: async () => api.postRecord(await signedRecord(ed.privateJwk, head, { body: [1] })) },
      {
        name: "a deeply nested body",
        code: "invalid_payload",
        send: async () => {
          let body: Record<string, unknown> = { leaf: true };
          for (let i = 0; i < 40; i++) body = { nested: body };
          return api.postRecord(await signedRecord(ed.privateJwk, head, { body }));
        },
      },
      { name: "a stale root", code: "stale_prev_root", send: async () => api.postRecord(await signedRecord(ed.privateJwk, ledger.genesisRoot)) },
      {
        name: "a root that never existed",
        code: "stale_prev_root",
        send: async () => api.postRecord(await signedRecord(ed.privateJwk, bytesToHex(crypto.getRandomValues(new Uint8Array(32))))),
      },
      { name: "an unknown signer", code: "unknown_signer", send: async () => api.postRecord(await signedRecord(stranger.privateJwk, head)) },
      { name: "a signer not valid yet", code: "unknown_signer", send: async () => api.postRecord(await signedRecord(future.privateJwk, head)) },
      { name: "a revoked signer", code: "revoked_signer", send: async () => api.postRecord(await signedRecord(revoked.privateJwk, head)) },
      {
        name: "a signature with one byte changed",
        code: "bad_signature",
        send: async () => {
          const jws = await signedRecord(ed.privateJwk, head);
          const sig = Buffer.from(jws.split(".")[2], "base64url");
          sig[5] ^= 0xff;
          return api.postRecord(`${jws.split(".").slice(0, 2).join(".")}.${sig.toString("base64url")}`);
        },
      },
      {
        name: "a payload swapped after signing",
        code: "bad_signature",
        send: async () => {
          const [h, , s] = (await signedRecord(ed.privateJwk, head)).split(".");
          return api.postRecord(`${h}.${b64url(payload(head))}.${s}`);
        },
      },
      { name: "a signature by another registered key", code: "bad_signature", send: async () => api.postRecord(await signRaw({ alg: "EdDSA", kid: ed.kid }, payload(head), revoked.privateJwk)) },
      { name: "a 65 KiB JWS", code: "payload_too_large", send: async () => api.postRecord(await signedRecord(ed.privateJwk, head, { body: { pad: "x".repeat(66 * 1024) } })) },
      {
        name: "a 1,001-item batch",
        code: "payload_too_large",
        send: async () => {
          const jws = await signedRecord(ed.privateJwk, head);
          return api.postBatch(JSON.stringify({ jws: Array.from({ length: 1001 }, () => jws) }));
        },
      },
      { name: "a wrong content type", code: "invalid_jws", send: async () => api.postRecord(await signedRecord(ed.privateJwk, head), "application/xml") },
      { name: "a JSON body without jws", code: "invalid_jws", send: async () => api.postRecord(JSON.stringify({ record: "x" }), "application/json") },
      { name: "a JSON body that does not parse", code: "invalid_jws", send: async () => api.postRecord("{\"jws\":", "application/json") },
      { name: "a batch that is not a list", code: "invalid_jws", send: async () => api.postBatch(JSON.stringify({ jws: "a.b.c" })) },
      { name: "a batch sent as text/plain", code: "invalid_jws", send: async () => api.postBatch("a.b.c", "text/plain") },
    ];

    it(`answers each of ${badInputs.length} kinds of bad input with its problem code, and stores nothing`, async () => {
      assert.ok(badInputs.length >= 25);
      for (const bad of badInputs) {
        const before = await entryCount();
        const response = await bad.send();
        assert.ok(response.status >= 400 && response.status < 500, `${bad.name}: status ${response.status}`);
        assert.equal(response.headers.get("content-type"), "application/problem+json", bad.name);
        const problem = await response.json();
        assert.equal(problem.code, bad.code, `${bad.name}: ${problem.detail}`);
        assert.equal(problem.status, response.status);
        assert.ok(problem.title && problem.detail && problem.type, `${bad.name}: RFC 9457 members`);
        assert.equal(await entryCount(), before, `${bad.name} stored something`);
      }
    });

    it("rejects a replayed record, and a new signature over a used id, as duplicate_record", async () => {
      const body = payload(head);
      const jws = await signRecord(ed.privateJwk, body);
      assert.equal((await api.postRecord(jws)).status, 201);
      const before = await entryCount();
      const replay = await api.postRecord(jws);
      assert.equal(replay.status, 409);
      assert.equal((await replay.json()).code, "duplicate_record");
      const resigned = await api.postRecord(await signRecord(ec.privateJwk, { ...body, createdAt: new Date().toISOString() }));
      assert.equal((await resigned.json()).code, "duplicate_record");
      assert.equal(await entryCount(), before);
    });

    it("accepts a record as application/jose, text/plain and application/json", async () => {
      for (const [type, wrap] of [
        ["application/jose", (j: string) => j],
        ["text/plain", (j: string) => `${j}\n`],
        ["application/json", (j: string) => JSON.stringify({ jws: j })],
      ] as const) {
        const jws = await signedRecord(ec.privateJwk, head);
        const response = await api.postRecord(wrap(jws), type);
        assert.equal(response.status, 201, type);
        const body = await response.json();
        assert.match(body.entryHash, /^0x[0-9a-f]{64}$/);
        assert.ok(!Number.isNaN(Date.parse(body.acceptedAt)));
      }
    });

    it("answers a batch item by item, storing exactly the accepted ones", async () => {
      const good1 = await signedRecord(ed.privateJwk, head);
      const good2 = await signedRecord(ec.privateJwk, head);
      const before = await entryCount();
      const response = await api.postBatch(
        JSON.stringify({ jws: [good1, "not-a-jws", await signedRecord(ed.privateJwk, ledger.genesisRoot), good2, good1, 7] }),
      );
      assert.equal(response.status, 200);
      const body = await response.json();
      assert.deepEqual(
        body.results.map((r: { status: string; problem?: { code: string } }) => r.problem?.code ?? r.status),
        ["accepted", "invalid_jws", "stale_prev_root", "accepted", "duplicate_record", "invalid_jws"],
      );
      assert.equal(body.accepted, 2);
      assert.equal(await entryCount(), before + 2);
    });

    it("serves the ledger, blocks, entries, signers and proofs, with immutable caching for sealed data", async () => {
      const jws = await signedRecord(ed.privateJwk, head);
      const { entryHash } = await (await api.postRecord(jws)).json();
      const pending = await api.proof(entryHash);
      assert.equal(pending.status, 202);
      assert.equal((await pending.json()).status, "pending");
      const status = await (await api.ledger()).json();
      assert.ok(status.pendingCount >= 1);
      assert.equal(status.head.root, head);

      const block = (await sealPendingEntries(ledger))!;
      head = block.root;
      const proofResponse = await api.proof(entryHash.toUpperCase().replace("0X", "0x"));
      assert.equal(proofResponse.status, 200);
      const bundle = await proofResponse.json();
      assert.equal(bundle.version, 1);
      assert.equal(bundle.ledgerId, "api-test");
      assert.equal(bundle.block.height, block.height);
      assert.equal(bundle.block.root, block.root);
      assert.equal(bundle.anchor, null);
      verifyProof(bundle.block.root, entryHash, bundle.proof);

      const blockResponse = await api.block(block.height);
      assert.equal((await blockResponse.json()).entryCount, block.entryCount);
      const entriesResponse = await api.entries(block.height, "?limit=2");
      assert.equal(entriesResponse.headers.get("cache-control"), "public, max-age=31536000, immutable");
      const page = await entriesResponse.json();
      assert.equal(page.entries.length, Math.min(2, block.entryCount));
      const all = await (await api.entries(block.height, "?download=json")).json();
      assert.equal(all.entries.length, block.entryCount);
      assert.ok(all.entries.includes(entryHash));
      const csv = await (await api.entries(block.height, "?download=csv")).text();
      assert.equal(csv.trim().split("\n").length, block.entryCount + 1);

      const list = await (await api.blocks("?limit=1")).json();
      assert.equal(list.blocks[0].height, block.height);
      assert.equal(list.nextCursor, block.height);
      const older = await (await api.blocks(`?cursor=${list.nextCursor}`)).json();
      assert.equal(older.blocks[0].height, block.height - 1);

      const signers = await (await api.signers()).json();
      assert.ok(signers.signers.some((s: { kid: string; status: string }) => s.kid === revoked.kid && s.status === "revoked"));
      assert.ok(signers.signers.every((s: { publicJwk: Record<string, string> }) => !("d" in s.publicJwk)));
    });

    it("answers 404 for an unknown entry or block and 400 for a malformed one", async () => {
      const unknown = await api.proof(`0x${"ab".repeat(32)}`);
      assert.equal(unknown.status, 404);
      assert.equal((await unknown.json()).code, "not_found");
      assert.equal((await api.proof("0x1234")).status, 400);
      assert.equal((await api.block(999999)).status, 404);
      assert.equal((await api.block("abc")).status, 400);
      assert.equal((await (await api.blocks("?limit=0")).json()).code, "invalid_request");
    });

    it("answers the same through npm start's fast route as through the route handler", async () => {
      const server = createServer((req, res) => {
        if (!tryFastRoute(req, res, "http://localhost")) {
          res.statusCode = 599;
          res.end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/proofs`;
      try {
        const jws = await signedRecord(ed.privateJwk, head);
        const entryHash = (await (await api.postRecord(jws)).json()).entryHash as Hash;
        head = (await sealPendingEntries(ledger))!.root;
        for (const path of [entryHash, `0x${"cd".repeat(32)}`, "0x1234", "%E0%A4%A"]) {
          const viaHandler = await api.proof(decodeURIComponentOr(path));
          const viaFastRoute = await fetch(`${base}/${path}`);
          assert.equal(viaFastRoute.status, viaHandler.status, path);
          assert.equal(viaFastRoute.headers.get("content-type"), viaHandler.headers.get("content-type"), path);
          assert.equal(viaFastRoute.headers.get("cache-control"), viaHandler.headers.get("cache-control"), path);
          assert.deepEqual(await viaFastRoute.json(), await viaHandler.json(), path);
        }
      } finally {
        server.close();
      }
    });
  });
}

function decodeURIComponentOr(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
