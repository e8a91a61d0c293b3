/**
 * A fake camera for Chromium: a YUV4MPEG2 (.y4m) video file that shows a picture, played by
 * `--use-file-for-fake-video-capture`. Not a test file itself.
 */
import { writeFile } from "node:fs/promises";
import type { RgbaPicture } from "../../../lib/portal/qr-decode";

/**
 * Writes `picture` centred on a white `width` × `height` frame (both even) as a one-frame y4m file
 * in 4:2:0 (Chromium loops it): the luma plane is the picture's grey, the two chroma planes are
 * neutral (128), so the camera shows it in black and white.
 */
export async function writeY4m(file: string, picture: RgbaPicture, width = 640, height = 480): Promise<void> {
  if (width % 2 || height % 2 || picture.width > width || picture.height > height) {
    throw new Error(`A ${picture.width}×${picture.height} picture does not fit an even ${width}×${height} frame.`);
  }
  const luma = Buffer.alloc(width * height, 255);
  const left = Math.floor((width - picture.width) / 2);
  const top = Math.floor((height - picture.height) / 2);
  for (let y = 0; y < picture.height; y++) {
    for (let x = 0; x < picture.width; x++) {
      const p = (y * picture.width + x) * 4;
      luma[(top + y) * width + left + x] = Math.round(0.299 * picture.data[p] + 0.587 * picture.data[p + 1] + 0.114 * picture.data[p + 2]);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`, "ascii");
  await writeFile(file, Buffer.concat([header, Buffer.from("FRAME\n", "ascii"), luma, chroma, chroma]));
}
