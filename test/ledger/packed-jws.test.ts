import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { packJws, unpackJws } from "../../db/packed-jws";
import { drivers, freshDatabase, skipReason } from "../support/db";
import { newKeyPair, signedRecord } from "../support/records";

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const symbols = (n: number) => Array.from({ length: n }, () => BASE64URL[randomInt(64)]).join("");

/** Random strings of three base64url segments, any lengths (0 to 300, and long ones), so any trailing bits. */
function jwsShaped(count: number): string[] {
  const lengths = [0, 1, 2, 3, 4, 5, 21, 127, 128, 129, 300, 16_383, 16_384];
  const pick = () => (randomInt(4) === 0 ? lengths[randomInt(lengths.length)] : randomInt(301));
  return Array.from({ length: count }, () => `${symbols(pick())}.${symbols(pick())}.${symbols(pick())}`);
}

/** Strings that are not three base64url segments: stored raw, and must come back as they were. */
const ODD = [
  "",
  ".",
  "...",
  "a.b",
  "a.b.c.d",
  "eyJhbGciOiJFZERTQSJ9.e30=.sig",
  "eyJ.e30.sig ",
  " eyJ.e30.sig",
  "eyJ.e30.sig\n",
  "eyJ+.e30/.sig",
  "Ärger.über.Unicode",
  "підпис.запис.ключ",
  "😀.😀.😀",
  "\u0001.\u007f.x",
  "unreadable stored JWS 0x00",
];

describe("the stored form of a JWS (db/packed-jws.ts)", () => {
  it("gives back every JWS-shaped string exactly, whatever its trailing bits, in 6 bits a symbol", () => {
    for (const jws of jwsShaped(2_000)) {
      const stored = packJws(jws);
      assert.equal(unpackJws(stored), jws);
      const n = jws.length - 2;
      assert.ok(stored.length <= Math.ceil((n * 6) / 8) + 9, `${stored.length} bytes for ${n} symbols`);
    }
  });

  it("gives back odd strings exactly, stored as their UTF-8", () => {
    for (const text of ODD) {
      const stored = packJws(text);
      assert.equal(stored[0], 0, JSON.stringify(text));
      assert.equal(unpackJws(stored), text);
    }
  });

  it("packs a signed record into its symbols' bits and one to two bytes per segment length", async () => {
    const pair = await newKeyPair("EdDSA");
    const jws = await signedRecord(pair.privateJwk, `0x${"ab".repeat(32)}`);
    const stored = packJws(jws);
    assert.equal(unpackJws(stored), jws);
    const lengthBytes = (n: number) => (n < 128 ? 1 : 2);
    const [h, p, s] = jws.split(".").map((segment) => segment.length);
    assert.equal(stored.length, lengthBytes(h + 1) + lengthBytes(p) + lengthBytes(s) + Math.ceil(((h + p + s) * 6) / 8));
  });

  it("reads any changed byte or bit of a stored JWS as something else, never as the same text", async () => {
    const pair = await newKeyPair("EdDSA");
    const jws = await signedRecord(pair.privateJwk, `0x${"cd".repeat(32)}`);
    const stored = packJws(jws);
    for (let at = 0; at < stored.length; at++) {
      for (let bit = 0; bit < 8; bit++) {
        const changed = Buffer.from(stored);
        changed[at] ^= 1 << bit;
        assert.notEqual(unpackJws(changed), jws, `byte ${at} bit ${bit}`);
      }
    }
    assert.notEqual(unpackJws(Buffer.concat([stored, Buffer.of(0)])), jws, "a stray byte");
    assert.notEqual(unpackJws(stored.subarray(0, -1)), jws, "a lost byte");
  });

  it("refuses a NUL character, which PostgreSQL text could not hold either", () => {
    assert.throws(() => packJws("a\u0000b"), /NUL/);
  });
});

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`sealbook_pack_jws and sealbook_unpack_jws in SQL on ${driver}`, { skip: skip ?? false }, () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    before(async () => {
      db = await freshDatabase(driver);
    });
    after(async () => db?.dispose());

    /** The SQL functions over `texts`, in one query. */
    const packInSql = async (texts: string[]) =>
      (
        await queryRows<{ p: string }>(
          db.db,
          sql`select encode(sealbook_pack_jws(t), 'hex') as p from jsonb_array_elements_text(${JSON.stringify(texts)}::jsonb) with ordinality as u(t, i) order by i`,
        )
      ).map((r) => r.p);
    const unpackInSql = async (stored: Uint8Array[]) =>
      (
        await queryRows<{ t: string }>(
          db.db,
          sql`select sealbook_unpack_jws(decode(h, 'hex')) as t from jsonb_array_elements_text(${JSON.stringify(stored.map((s) => Buffer.from(s).toString("hex")))}::jsonb) with ordinality as u(h, i) order by i`,
        )
      ).map((r) => r.t);

    it("packs exactly as TypeScript does, and each reads the other's bytes back to the same text", async () => {
      const texts = [...jwsShaped(400), ...ODD];
      const inSql = await packInSql(texts);
      assert.deepEqual(inSql, texts.map((t) => packJws(t).toString("hex")));
      assert.deepEqual(await unpackInSql(texts.map((t) => packJws(t))), texts);
      assert.deepEqual(texts.map((t, i) => unpackJws(Buffer.from(inSql[i], "hex"))), texts);
    });

    it("reads changed and random bytes as TypeScript does", async () => {
      const pair = await newKeyPair("EdDSA");
      const stored = packJws(await signedRecord(pair.privateJwk, `0x${"ef".repeat(32)}`));
      const odd: Uint8Array[] = [];
      for (let at = 0; at < stored.length; at += 7) {
        const changed = Buffer.from(stored);
        changed[at] ^= 1 << randomInt(8);
        odd.push(changed);
      }
      odd.push(Buffer.concat([stored, Buffer.of(0)]), stored.subarray(0, -1), Buffer.alloc(0), Buffer.of(0), Buffer.of(0, 0xff, 0xfe), Buffer.of(0x80, 0x80, 0x80, 0x80, 0x01));
      odd.push(Buffer.of(0x81, 0x00, 0x01, 0x00, 0x00), Buffer.of(0x01, 0x00, 0x00), Buffer.of(0x02, 0x00, 0x00, 0x00));
      for (let i = 0; i < 200; i++) odd.push(randomBytes(randomInt(12)));
      assert.deepEqual(await unpackInSql(odd), odd.map(unpackJws));
    });
  });
}
