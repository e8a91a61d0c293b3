/**
 * Reads QR codes from the frames of a camera's video, on the device: with the browser's
 * BarcodeDetector where it reads QR codes, else with the zxing decoder (lib/portal/qr-decode.ts),
 * which is loaded only then.
 */

/** The part of the Barcode Detection API used here (not in TypeScript's DOM types yet). */
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>>;
}
type BarcodeDetectorClass = { new (options: { formats: string[] }): BarcodeDetectorLike; getSupportedFormats(): Promise<string[]> };

/** Frames are shrunk to this width before the fallback decoder reads them: a printed code needs no more. */
const DECODE_WIDTH = 640;

/** A function that reads the QR code in the video's current frame, or null: the browser's own detector where it has one, else the bundled decoder. */
export async function frameReader(): Promise<(video: HTMLVideoElement) => Promise<string | null>> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (Detector && (await Detector.getSupportedFormats()).includes("qr_code")) {
    const detector = new Detector({ formats: ["qr_code"] });
    return async (video) => (await detector.detect(video))[0]?.rawValue ?? null;
  }
  const { decodeQrCode } = await import("@/lib/portal/qr-decode");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) throw new Error("this browser cannot read camera pictures (no 2D canvas)");
  return async (video) => {
    if (video.videoWidth === 0) return null;
    const scale = Math.min(1, DECODE_WIDTH / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    return decodeQrCode(context.getImageData(0, 0, canvas.width, canvas.height));
  };
}

