/**
 * The portal's texts in every language: each namespace file exists in every language, no text
 * exists in one language and not in another, both write the same placeholders, and every text
 * formats. Then a guard that the public pages take their words from the message files: no
 * English sentence written straight into their JSX.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { createTranslator } from "next-intl";
import { NAMESPACES } from "../../lib/portal/i18n/messages";
import { LOCALES } from "../../lib/portal/i18n/routing";

const MESSAGES = path.join(process.cwd(), "messages");

type Tree = { [key: string]: string | Tree };

function readNamespace(locale: string, namespace: string): Tree {
  return JSON.parse(readFileSync(path.join(MESSAGES, locale, `${namespace}.json`), "utf8")) as Tree;
}

/** Every text of a namespace, by its dotted key. */
function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const dotted = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(dotted, value);
    else for (const [k, v] of flatten(value, dotted)) out.set(k, v);
  }
  return out;
}

/**
 * The placeholders (`{height}`, `{count, plural, …}`) and tags (`<link>`) a text uses. A plural's
 * branches (`one {entry}`) are texts, not placeholders, and are skipped.
 */
function argumentsOf(text: string): { values: Map<string, string>; tags: Set<string> } {
  const values = new Map<string, string>();
  for (const match of text.matchAll(/\{\s*(\w+)\s*(?:,\s*(\w+))?/g)) {
    if (/(?:zero|one|two|few|many|other|=\d+)\s*$/.test(text.slice(0, match.index))) continue;
    values.set(match[1], match[2] ?? "text");
  }
  const tags = new Set([...text.matchAll(/<(\w+)>/g)].map((m) => m[1]));
  return { values, tags };
}

describe("the portal's message files", () => {
  it("hold one file per namespace in every language, and no file the loader does not know", () => {
    for (const locale of LOCALES) {
      const files = readdirSync(path.join(MESSAGES, locale)).filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, ""));
      for (const namespace of NAMESPACES) assert.ok(files.includes(namespace), `messages/${locale}/${namespace}.json is missing`);
      for (const file of files) assert.ok((NAMESPACES as readonly string[]).includes(file), `messages/${locale}/${file}.json is not in NAMESPACES (lib/portal/i18n/messages.ts), so no page can read it`);
    }
  });

  it("have every text in every language: none exists in one language and not in another", () => {
    const problems: string[] = [];
    for (const namespace of NAMESPACES) {
      const byLocale = new Map(LOCALES.map((locale) => [locale, flatten(readNamespace(locale, namespace))]));
      const allKeys = new Set([...byLocale.values()].flatMap((texts) => [...texts.keys()]));
      for (const key of allKeys) {
        const missing = LOCALES.filter((locale) => !byLocale.get(locale)!.has(key));
        if (missing.length > 0) problems.push(`${namespace}.${key} is missing in ${missing.join(", ")}`);
      }
    }
    assert.deepEqual(problems, [], `texts missing in a language:\n${problems.join("\n")}`);
  });

  it("use the same placeholders and tags in every language", () => {
    const problems: string[] = [];
    for (const namespace of NAMESPACES) {
      const [first, ...others] = LOCALES.map((locale) => ({ locale, texts: flatten(readNamespace(locale, namespace)) }));
      for (const [key, text] of first.texts) {
        const expected = argumentsOf(text);
        for (const other of others) {
          const theirs = other.texts.get(key);
          if (theirs === undefined) continue;
          const got = argumentsOf(theirs);
          // What is printed must match; a plural's selector may be used by one language only (English needs none for "waiting").
          const names = (m: Map<string, string>) => [...m].filter(([, type]) => type !== "plural" && type !== "select").map(([name]) => name).sort().join(",");
          if (names(got.values) !== names(expected.values)) problems.push(`${namespace}.${key}: ${first.locale} uses {${names(expected.values)}}, ${other.locale} uses {${names(got.values)}}`);
          if ([...got.tags].sort().join() !== [...expected.tags].sort().join()) problems.push(`${namespace}.${key}: the tags differ between ${first.locale} and ${other.locale}`);
        }
      }
    }
    assert.deepEqual(problems, [], problems.join("\n"));
  });

  it("format every text without an error in every language", () => {
    const errors: string[] = [];
    for (const locale of LOCALES) {
      for (const namespace of NAMESPACES) {
        const texts = flatten(readNamespace(locale, namespace));
        const t = createTranslator({ locale, messages: { [namespace]: readNamespace(locale, namespace) }, namespace, timeZone: "UTC", onError: (e: Error) => errors.push(`${locale} ${namespace}: ${e.message}`) } as never) as unknown as {
          markup(key: string, values: Record<string, unknown>): string;
        };
        for (const [key, text] of texts) {
          const { values, tags } = argumentsOf(text);
          const given: Record<string, unknown> = {};
          for (const [name, type] of values) given[name] = type === "date" || type === "time" ? new Date(0) : type === "plural" || type === "number" ? 2 : "x";
          for (const tag of tags) given[tag] = (chunks: string) => chunks;
          const out = t.markup(key, given);
          assert.equal(typeof out, "string", `${locale} ${namespace}.${key}`);
        }
      }
    }
    assert.deepEqual(errors, []);
  });
});

/** The public pages and the components they render (the admin console stays in English). */
const PUBLIC_SOURCES = ["app/[locale]", "components/blocks", "components/chain", "components/charts", "components/layout", "components/status", "components/ui", "components/verify", "components/api-docs", "components/certificate"];

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.tsx$/.test(name) ? [full] : [];
  });
}

/** Words that are the same in every language: names, formats and units. */
const SAME_IN_EVERY_LANGUAGE = /^(Sealbook|JSON|API|CSV|UTC|Ethereum|OpenAPI|English|Українська|0x…|https:\/\/…)$/;

describe("the public pages", () => {
  it("write no English sentence into their markup: every visible text comes from the message files", () => {
    const literals: string[] = [];
    for (const file of PUBLIC_SOURCES.flatMap((dir) => sourceFiles(path.join(process.cwd(), dir)))) {
      const source = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\{\/\*[\s\S]*?\*\/\}|^\s*\/\/.*$/gm, "");
      const where = path.relative(process.cwd(), file);
      // Text between tags: `>Verify a record<`.
      for (const match of source.matchAll(/>([^<>{}]*[A-Za-z]{2,}[^<>{}]*)</g)) {
        const text = match[1].trim();
        // Skips what is code between two JSX elements (`>),\n hint: (<`, `>SHOWN ?<`) rather than text.
        if (text && !SAME_IN_EVERY_LANGUAGE.test(text) && !/[=;()?]/.test(text)) literals.push(`${where}: >${text}<`);
      }
      // Texts a reader sees or hears given as attributes: aria-label, title, placeholder, alt, label.
      for (const match of source.matchAll(/\b(aria-label|title|placeholder|alt|label|caption|eyebrow)="([^"]*[A-Za-z]{2,}[^"]*)"/g)) {
        if (!SAME_IN_EVERY_LANGUAGE.test(match[2])) literals.push(`${where}: ${match[1]}="${match[2]}"`);
      }
    }
    assert.deepEqual(literals, [], `English written into public pages (move it to messages/<locale>/*.json):\n${literals.join("\n")}`);
  });
});
