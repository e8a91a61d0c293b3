import { entryQrResponse } from "@/lib/http/entry-qr-response";
import { requestOrigin } from "@/lib/portal/request-origin";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** The QR code (SVG) of an entry's public page, for clinics to print: 200, 400 malformed, 404 unknown. */
export async function GET(request: Request, context: { params: Promise<{ entryHash: string }> }): Promise<Response> {
  return entryQrResponse(getRuntime, (await context.params).entryHash, requestOrigin(request.headers, new URL(request.url).origin));
}
