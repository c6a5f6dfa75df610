import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Next.js gives route handlers no access to the socket, and fills `X-Forwarded-For` with the
 * socket's address only when the client did not send one, so a client can name any address it
 * likes there. Node publishes every incoming request on this channel before any listener sees it;
 * the hook stamps the socket's address (and the X-Forwarded-For exactly as received) into headers
 * of our own, overwriting whatever the client sent under those names. lib/auth/client-address.ts
 * reads them. Installed once per process by instrumentation.ts (Next awaits it before serving).
 */
export const PEER_HEADER = 'x-console-peer-address';
export const PEER_FORWARDED_HEADER = 'x-console-peer-forwarded-for';
const INSTALLED = Symbol.for('ivs-console.peer-address-hook');

export function peerAddressHookInstalled(): boolean {
  return (globalThis as Record<symbol, unknown>)[INSTALLED] === true;
}

export function installPeerAddressHook(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[INSTALLED]) return;
  g[INSTALLED] = true;
  subscribe('http.server.request.start', (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_HEADER] = socket.remoteAddress ?? '';
    const forwarded = request.headers['x-forwarded-for'];
    if (typeof forwarded === 'string') request.headers[PEER_FORWARDED_HEADER] = forwarded;
    else delete request.headers[PEER_FORWARDED_HEADER];
  });
}
