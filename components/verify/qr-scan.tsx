"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { entryHashFromScan } from "@/lib/portal/entry-links";
import { guessInputKind } from "@/lib/portal/input-kind";
import { frameReader } from "./frame-reader";

type ScanState =
  | { kind: "off" }
  | { kind: "starting" }
  | { kind: "scanning" }
  | { kind: "refused" }
  | { kind: "absent" }
  | { kind: "failed"; reason: string }
  | { kind: "not_an_entry"; text: string };

/** How often a camera frame is looked at: often enough to feel instant, rarely enough to spare a phone's battery. */
const FRAME_INTERVAL_MS = 150;

/**
 * "Scan a QR code": reads a code printed by a certificate or a clinic with the device's camera and
 * hands the verifier what it names (an entry hash, or a record or bundle the code holds itself).
 * Every picture is read on this device; nothing from the camera is sent anywhere. When the camera
 * is refused or missing, says so and points to the paste box (`onUnavailable`).
 */
export function QrScan({ onCode, onUnavailable, disabled }: { onCode: (text: string) => void; onUnavailable: () => void; disabled: boolean }) {
  const t = useTranslations("scan");
  const [available, setAvailable] = useState(false);
  const [state, setState] = useState<ScanState>({ kind: "off" });
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  /** Which scan is current: stopping or restarting starts a new one, and an older scan's loop then ends. */
  const session = useRef(0);

  function stop() {
    session.current += 1;
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
  }

  // The button is offered wherever a camera may exist: the browser can ask for one (a secure page).
  useEffect(() => {
    setAvailable(typeof navigator !== "undefined" && typeof navigator.mediaDevices?.getUserMedia === "function");
    return stop;
  }, []);

  async function start() {
    stop();
    const mine = session.current;
    setState({ kind: "starting" });
    let media: MediaStream;
    try {
      media = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      const name = (error as DOMException).name;
      setState(name === "NotAllowedError" || name === "SecurityError" ? { kind: "refused" } : name === "NotFoundError" || name === "OverconstrainedError" ? { kind: "absent" } : { kind: "failed", reason: (error as Error).message });
      onUnavailable();
      return;
    }
    if (session.current !== mine) {
      media.getTracks().forEach((track) => track.stop());
      return;
    }
    stream.current = media;
    setState({ kind: "scanning" });
    try {
      const element = video.current!;
      element.srcObject = media;
      await element.play();
      const read = await frameReader();
      let text: string | null = null;
      while (session.current === mine && (text = await read(element)) === null) await new Promise((resolve) => setTimeout(resolve, FRAME_INTERVAL_MS));
      if (session.current !== mine || text === null) return; // stopped by the reader
      stop();
      // An entry's address (any portal, any language) or bare hash; or a record or bundle the code holds itself.
      const usable = entryHashFromScan(text) ?? (guessInputKind(text) ? text : null);
      if (usable === null) {
        setState({ kind: "not_an_entry", text: text.slice(0, 120) });
        return;
      }
      setState({ kind: "off" });
      onCode(usable);
    } catch (error) {
      if (session.current !== mine) return; // stopped while starting: nothing to report
      stop();
      console.error("The QR code scan stopped:", error);
      setState({ kind: "failed", reason: (error as Error).message });
      onUnavailable();
    }
  }

  function cancel() {
    stop();
    setState({ kind: "off" });
  }

  if (!available) return null;
  const scanning = state.kind === "starting" || state.kind === "scanning";
  return (
    <div className="grid gap-2" data-testid="scan" data-state={state.kind}>
      <div className="flex flex-wrap items-center gap-3">
        {scanning ? (
          <button type="button" onClick={cancel} className="rounded border border-slate-400 bg-white px-4 py-2 font-semibold text-slate-900 hover:bg-slate-100" data-testid="scan-stop">
            {t("stop")}
          </button>
        ) : (
          <button
            type="button"
            onClick={() => void start()}
            disabled={disabled}
            className="rounded border border-blue-800 bg-white px-4 py-2 font-semibold text-blue-900 hover:bg-blue-50 disabled:cursor-not-allowed disabled:opacity-60"
            data-testid="scan-start"
          >
            {t("start")}
          </button>
        )}
        <span className="text-sm text-slate-700">{t("privacy")}</span>
      </div>
      <video ref={video} muted playsInline className={scanning ? "aspect-square w-full max-w-xs rounded border border-slate-300 bg-slate-900 object-cover" : "hidden"} aria-label={t("videoLabel")} data-testid="scan-video" />
      <p className="min-h-6 text-sm" aria-live="polite" data-testid="scan-message">
        {state.kind === "starting" || state.kind === "scanning" || state.kind === "refused" || state.kind === "absent" ? t(state.kind) : null}
        {state.kind === "failed" ? t("failed", { reason: state.reason }) : null}
        {state.kind === "not_an_entry" ? t("notAnEntry", { text: state.text }) : null}
      </p>
    </div>
  );
}
