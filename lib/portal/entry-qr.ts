import QRCode from "qrcode";

/** Pixels per QR module in the SVG's intrinsic size: crisp on screen, and any printer can scale it. */
const PIXELS_PER_MODULE = 4;
/** The quiet zone the QR standard asks for (ISO/IEC 18004): four modules of white around the code. */
const QUIET_ZONE_MODULES = 4;
/** Level M restores 15% of the code: enough for a creased or smudged paper prescription. */
const ERROR_CORRECTION = "M" as const;

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Draws the QR code of `url` as a standalone SVG document, black on white, with a quiet zone and a
 * <title> naming the address (screen readers and image viewers show it). The one QR drawing of the
 * portal: the qr.svg route, the certificate and the evidence report all use it.
 */
export async function qrCodeSvg(url: string): Promise<string> {
  const modules = QRCode.create(url, { errorCorrectionLevel: ERROR_CORRECTION }).modules.size;
  const svg = await QRCode.toString(url, {
    type: "svg",
    errorCorrectionLevel: ERROR_CORRECTION,
    margin: QUIET_ZONE_MODULES,
    width: (modules + 2 * QUIET_ZONE_MODULES) * PIXELS_PER_MODULE,
    color: { dark: "#000000ff", light: "#ffffffff" },
  });
  return svg.replace(/^<svg([^>]*)>/, `<svg$1 role="img" aria-label="QR code: ${escapeXml(url)}"><title>${escapeXml(url)}</title>`);
}
