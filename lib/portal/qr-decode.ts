/**
 * Reads a QR code from a picture, on the device that holds the picture: the verifier's camera scan
 * where the browser has no BarcodeDetector, and the tests that read back the portal's QR images.
 * Loaded on demand only (the decoder is large), so the verify page stays small until the reader
 * asks to scan.
 */
import { BinaryBitmap, DecodeHintType, Exception, GlobalHistogramBinarizer, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from "@zxing/library";

/** Pixels as a canvas's ImageData holds them: RGBA, four bytes a pixel, row after row. */
export interface RgbaPicture {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

const reader = new QRCodeReader();
const HINTS = new Map<DecodeHintType, unknown>([[DecodeHintType.TRY_HARDER, true]]);

/**
 * The text of the QR code in `picture`, or null when the picture shows no readable QR code (a
 * camera frame usually shows none until the code is held in view).
 */
export function decodeQrCode(picture: RgbaPicture): string | null {
  const { data, width, height } = picture;
  const luminance = new Uint8ClampedArray(width * height);
  for (let i = 0, p = 0; i < luminance.length; i++, p += 4) {
    // Green-weighted grey (ITU-R BT.601), the weighting cameras' luminance uses.
    luminance[i] = (data[p] * 299 + data[p + 1] * 587 + data[p + 2] * 114) / 1000;
  }
  const source = new RGBLuminanceSource(luminance, width, height);
  // Local thresholds first (uneven light on paper), then one threshold for the whole picture (a
  // small or softly scaled code, where local blocks see too little contrast).
  return readWith(new HybridBinarizer(source)) ?? readWith(new GlobalHistogramBinarizer(source));
}

function readWith(binarizer: HybridBinarizer | GlobalHistogramBinarizer): string | null {
  try {
    return reader.decode(new BinaryBitmap(binarizer), HINTS).getText();
  } catch (error) {
    // zxing reports "no code here", "checksum failed" and "unreadable format" by throwing; each means "nothing read in this picture".
    if (error instanceof Exception) return null;
    throw error;
  } finally {
    reader.reset();
  }
}
