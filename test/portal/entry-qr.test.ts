/**
 * `GET /entries/{entryHash}/qr.svg`: the QR code a clinic prints, read back from the SVG and
 * compared with the `qrcode` package's own matrix of the entry's address.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { GET } from "../../app/entries/[entryHash]/qr.svg/route";
import { readConfig } from "../../lib/config";
import { submitRecords } from "../../lib/ledger/ingest";
import { readHead } from "../../lib/ledger/head";
import { listBlockEntries } from "../../lib/ledger/reads";
import { entryHashFromScan, entryPageUrl } from "../../lib/portal/entry-links";
import { decodeQrCode } from "../../lib/portal/qr-decode";
import { requestOrigin } from "../../lib/portal/request-origin";
import { entryHashOf } from "../../lib/protocol/hash";
import type { Hash } from "../../lib/protocol/hex";
import { installRuntime } from "../../lib/server/runtime";
import { addSealedBlock, ledgerWithSigner } from "../support/ledger";
import { qrModuleRows, rasterizeQrSvg, svgModuleRows } from "../support/qr-pictures";
import { signedRecord } from "../support/records";

const ORIGIN = "https://ledger.example.org";

/** Calls the route handler as Next.js does, with the Host and X-Forwarded-Proto a reverse proxy sends. */
function getQr(segment: string, headers: Record<string, string> = { host: "ledger.example.org", "x-forwarded-proto": "https" }) {
  const request = new Request(`http://127.0.0.1:3000/entries/${segment}/qr.svg`, { headers });
  return GET(request, { params: Promise.resolve({ entryHash: segment }) });
}

describe("the QR image of an entry (qr.svg)", () => {
  let env: Awaited<ReturnType<typeof ledgerWithSigner>>;
  let sealed: Hash;
  let pending: Hash;

  before(async () => {
    env = await ledgerWithSigner("pglite", "qr-test");
    installRuntime({ config: readConfig({ LEDGER_ID: "qr-test", SEALBOOK_CHAIN: "off" }), handle: env.db, ledger: env.ledger });
    const block = await addSealedBlock(env.ledger, env.privateJwk, 3);
    sealed = (await listBlockEntries(env.ledger, block.height, { limit: 1 })).entries[0].entryHash;
    const jws = await signedRecord(env.privateJwk, (await readHead(env.ledger.db, env.ledger.genesisRoot)).root);
    await submitRecords(env.ledger, [jws]);
    pending = entryHashOf(jws);
  });

  after(async () => {
    await env?.db.dispose();
  });

  it("serves a sealed entry's code as an immutable SVG that decodes to the entry's page on the public origin", async () => {
    const response = await getQr(sealed);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "image/svg+xml; charset=utf-8");
    assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable");
    const svg = await response.text();
    const url = entryPageUrl(ORIGIN, sealed);
    assert.equal(url, `https://ledger.example.org/entries/${sealed}`);
    assert.deepEqual(svgModuleRows(svg), qrModuleRows(url), "the SVG's modules should be the qrcode package's matrix of the entry's address");
    assert.equal(decodeQrCode(rasterizeQrSvg(svg)), url);
    assert.match(svg, new RegExp(`<title>${url}</title>`));
  });

  it("serves a pending entry's code too: a clinic prints it as soon as the record is accepted", async () => {
    const response = await getQr(pending.toUpperCase().replace("0X", "0x"));
    assert.equal(response.status, 200);
    assert.equal(decodeQrCode(rasterizeQrSvg(await response.text())), entryPageUrl(ORIGIN, pending));
  });

  it("puts the address the request reached in the code, over plain HTTP when no proxy says otherwise", async () => {
    const response = await getQr(sealed, { host: "localhost:3000" });
    assert.equal(decodeQrCode(rasterizeQrSvg(await response.text())), `http://localhost:3000/entries/${sealed}`);
  });

  it("answers 404 problem+json for an entry the ledger never accepted", async () => {
    const unknown = `0x${"ab".repeat(32)}`;
    const response = await getQr(unknown);
    assert.equal(response.status, 404);
    assert.equal(response.headers.get("content-type"), "application/problem+json");
    const problem = (await response.json()) as { code: string; detail: string };
    assert.equal(problem.code, "not_found");
    assert.match(problem.detail, new RegExp(unknown));
  });

  it("answers 400 problem+json with the protocol's code for a malformed hash", async () => {
    const response = await getQr("0x1234");
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("content-type"), "application/problem+json");
    assert.equal(((await response.json()) as { code: string }).code, "invalid_request");
  });
});

describe("entry addresses and the origin of a request", () => {
  const hash = `0x${"cd".repeat(32)}` as Hash;

  it("reads the entry hash from a scanned address with or without a language prefix, or from a bare hash", () => {
    for (const text of [
      `https://ledger.example.org/entries/${hash}`,
      `https://ledger.example.org/uk/entries/${hash.toUpperCase().replace("0X", "0x")}`,
      `http://localhost:3000/en/entries/${hash}/certificate`,
      ` ${hash} `,
    ]) {
      assert.equal(entryHashFromScan(text), hash, text);
    }
  });

  it("finds no entry in other addresses and texts", () => {
    for (const text of ["https://example.org/", `https://ledger.example.org/blocks/${hash}`, `ftp://x/entries/${hash}`, "hello", `javascript:alert(1)//entries/${hash}`]) {
      assert.equal(entryHashFromScan(text), null, text);
    }
  });

  it("takes the origin from Host and a proxy's X-Forwarded-Proto, never from X-Forwarded-Host", () => {
    assert.equal(requestOrigin(new Headers({ host: "ledger.example.org", "x-forwarded-proto": "https, http" }), "http://fallback"), "https://ledger.example.org");
    assert.equal(requestOrigin(new Headers({ host: "ledger.example.org", "x-forwarded-host": "evil.example" }), "http://fallback"), "http://ledger.example.org");
    assert.equal(requestOrigin(new Headers({ host: "bad host/" }), "http://fallback/"), "http://fallback");
  });
});
