import type { IncomingMessage } from "node:http";

/**
 * Appends the socket's peer address to the request's X-Forwarded-For, as a proxy does. Next.js only
 * fills that header in when it is missing, so without this a client could name any address and
 * dodge the per-address sign-in throttle. `scripts/start.ts` calls it before handing a request to Next.js.
 */
export function appendPeerAddress(req: IncomingMessage): void {
  const peer = req.socket.remoteAddress;
  if (!peer) return;
  const prior = req.headers["x-forwarded-for"];
  const earlier = Array.isArray(prior) ? prior.join(", ") : prior;
  req.headers["x-forwarded-for"] = earlier ? `${earlier}, ${peer}` : peer;
}
