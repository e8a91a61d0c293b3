/**
 * QR codes as pictures for the tests: the portal's SVG drawn back into pixels, and a URL's code
 * drawn from the `qrcode` package's own module matrix, both as RGBA that lib/portal/qr-decode.ts
 * reads. Not a test file itself.
 */
import QRCode from "qrcode";
import type { RgbaPicture } from "../../lib/portal/qr-decode";

/** A white RGBA picture of `width` × `height` with `isDark(x, y)` pixels black. */
function picture(width: number, height: number, isDark: (x: number, y: number) => boolean): RgbaPicture {
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!isDark(x, y)) continue;
      const p = (y * width + x) * 4;
      data[p] = data[p + 1] = data[p + 2] = 0;
    }
  }
  return { data, width, height };
}

/**
 * Draws the dark modules of a QR SVG as the `qrcode` package writes it (one `<path stroke>` of
 * `M x y`, `m dx 0` and `h n` commands, one module a unit, inside a square viewBox) into a picture
 * of `scale` pixels a module. Throws when the SVG is not of that shape.
 */
export function rasterizeQrSvg(svg: string, scale = 4): RgbaPicture {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const d = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1];
  if (!size || !d) throw new Error(`Not a QR SVG of the qrcode package's shape: ${svg.slice(0, 200)}`);
  const dark = new Set<number>();
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of d.matchAll(/([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    if (command === "M") [x, y] = [Number(a), Math.floor(Number(b))];
    else if (command === "m") x += Number(a);
    else for (let end = x + Number(a); x < end; x++) dark.add(y * size + x);
  }
  return picture(size * scale, size * scale, (px, py) => dark.has(Math.floor(py / scale) * size + Math.floor(px / scale)));
}

/** The QR code of `text` (error correction M, as the portal draws it), `scale` pixels a module, with `quiet` modules of white around it. */
export function qrPicture(text: string, scale: number, quiet = 4): RgbaPicture {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const side = (modules.size + 2 * quiet) * scale;
  return picture(side, side, (px, py) => {
    const col = Math.floor(px / scale) - quiet;
    const row = Math.floor(py / scale) - quiet;
    return col >= 0 && row >= 0 && col < modules.size && row < modules.size && Boolean(modules.get(row, col));
  });
}

/** The dark modules of the QR code of `text` as the `qrcode` package computes them, row by row ("1" dark, "0" light). */
export function qrModuleRows(text: string): string[] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  return Array.from({ length: modules.size }, (_, row) => Array.from({ length: modules.size }, (_, col) => (modules.get(row, col) ? "1" : "0")).join(""));
}

/** The module rows of a QR SVG (see rasterizeQrSvg), without its quiet zone of `quiet` modules. */
export function svgModuleRows(svg: string, quiet = 4): string[] {
  const { data, width } = rasterizeQrSvg(svg, 1);
  const rows: string[] = [];
  for (let row = quiet; row < width - quiet; row++) {
    let line = "";
    for (let col = quiet; col < width - quiet; col++) line += data[(row * width + col) * 4] === 0 ? "1" : "0";
    rows.push(line);
  }
  return rows;
}
