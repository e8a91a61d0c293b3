import { openApiDocument } from "@/lib/openapi/document";

// The document is part of the build: served statically.
export const dynamic = "force-static";

/** The OpenAPI 3.1 description of the public API. */
export function GET(): Response {
  return new Response(JSON.stringify(openApiDocument, null, 2), {
    headers: { "content-type": "application/json", "cache-control": "public, max-age=300", "access-control-allow-origin": "*" },
  });
}
