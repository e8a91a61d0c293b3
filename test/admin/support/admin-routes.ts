/**
 * Every admin route and page, found on disk: the access tests walk them all, so that a new one
 * cannot be left open by mistake. Not a test file itself.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** A value for each dynamic segment of an admin route, for walking it. */
export const PARAM_VALUES: Record<string, string> = { kid: "no-such-kid", id: "999999", height: "1" };

function walk(dir: string, file: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) found.push(...walk(full, file));
    else if (name === file) found.push(full);
  }
  return found;
}

/** The URL path of an app/ file's folder: route groups `(x)` dropped, dynamic segments filled from PARAM_VALUES. */
export function urlPathOf(file: string, root = process.cwd()): { path: string; params: Record<string, string> } {
  const segments = path.relative(path.join(root, "app"), path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
  const params: Record<string, string> = {};
  const filled = segments.map((s) => {
    const match = /^\[(\w+)\]$/.exec(s);
    if (!match) return s;
    const value = PARAM_VALUES[match[1]];
    if (value === undefined) throw new Error(`No test value for the dynamic segment [${match[1]}] of ${file}: add one to PARAM_VALUES.`);
    params[match[1]] = value;
    return value;
  });
  return { path: `/${filled.join("/")}`, params };
}

/** Every route.ts under app/api/v1/admin. */
export function adminRouteFiles(root = process.cwd()): string[] {
  return walk(path.join(root, "app", "api", "v1", "admin"), "route.ts").sort();
}

/** Every page.tsx under app/admin, with its source. */
export function adminPageFiles(root = process.cwd()): Array<{ file: string; source: string }> {
  return walk(path.join(root, "app", "admin"), "page.tsx")
    .sort()
    .map((file) => ({ file, source: readFileSync(file, "utf8") }));
}

/** The only admin endpoints open without a session: signing in, and creating the first account with the setup link. */
export const PUBLIC_ENDPOINTS = new Set(["POST /api/v1/admin/session", "POST /api/v1/admin/setup"]);
/** The only admin pages open without a session: sign-in, and the setup link's page. */
export const PUBLIC_PAGES = new Set(["/admin/setup", "/admin/sign-in"]);

/** The permission and path a page's guard names (`requireAdminPage("perm", "/path")`), or null when it has none. */
export function pageGuard(source: string): { permission: string; path: string } | null {
  const body = /export default async function \w+\([^)]*\)[^{]*\{\s*([^\n]*)/.exec(source)?.[1] ?? "";
  const guard = /^(?:const [^=]+=\s*)?await requireAdminPage\("([a-z_]+)",\s*(?:"([^"]+)"|`([^`]+)`)/.exec(body);
  return guard ? { permission: guard[1], path: guard[2] ?? guard[3] } : null;
}
