import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { openApiDocument } from "../../lib/openapi/document";

describe("the OpenAPI document", () => {
  it("describes every public route handler under app/api/v1 (the admin API is private; test/admin/access.test.ts walks it)", () => {
    const root = path.join(process.cwd(), "app", "api", "v1");
    const routes: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) {
          if (path.relative(root, full) !== "admin") walk(full);
        }
        else if (name === "route.ts") routes.push(`/api/v1/${path.relative(root, dir).split(path.sep).join("/")}`.replace(/\[(\w+)\]/g, "{$1}"));
      }
    };
    walk(root);
    const documented = Object.keys(openApiDocument.paths);
    assert.deepEqual(routes.filter((r) => !documented.includes(r)), [], "route handlers missing from lib/openapi/document.ts");
  });
  it("gives every error answer a problem+json body and every $ref a schema", () => {
    const text = JSON.stringify(openApiDocument);
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/(\w+)"/g)) assert.ok(openApiDocument.components.schemas[name], `schema ${name} is defined`);
    for (const item of Object.values(openApiDocument.paths)) {
      for (const operation of Object.values(item)) {
        for (const [status, response] of Object.entries(operation!.responses)) {
          if (Number(status) >= 400) assert.ok(response.content?.["application/problem+json"], `${operation!.operationId} ${status} is problem+json`);
        }
      }
    }
  });
});
