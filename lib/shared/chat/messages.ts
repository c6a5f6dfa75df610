/** What the chat WebSocket and the chat SDK report, in words for the test connection. */

/** ERROR frame codes of the chat WebSocket, in words (IVSCHAT.md 3.5). */
export function describeChatError(code: number | undefined, message?: string): string {
  const detail = message ? ` (${message})` : '';
  switch (code) {
    case 400:
      return `The request was malformed or invalid${detail}.`;
    case 401:
      return 'The connection has expired: the session ended. The chat client reconnects with a fresh token.';
    case 403:
      return "This token's capabilities do not allow that action (403).";
    case 404:
      return 'The room no longer exists (404).';
    case 406:
      return 'The message was rejected by the room’s message review (406).';
    case 413:
      return `Too large: a field is over its limit (413)${detail}.`;
    case 429:
      return 'Rate limit: the room or this connection is sending too fast. Wait a moment (429).';
    case 500:
      return 'IVS Chat had an internal error (500). Try again.';
    default:
      return `The chat service refused the request${code ? ` (${code})` : ''}${detail}.`;
  }
}

/** How a connection ended: the moderator's reason from aws:DISCONNECT_USER, or the SDK's DisconnectReason. */
export type ConnectionEnd = { kind: 'kicked'; reason: string } | { kind: 'sdk'; reason: string | undefined };

/** The SDK's DisconnectReason, in words. */
export function describeDisconnectReason(reason: string | undefined): string {
  switch (reason) {
    case 'clientDisconnect':
      return 'You left the room: this browser closed its own connection. Nobody else was disconnected.';
    case 'serverDisconnect':
      return 'The chat service closed the connection and gave no reason (a session that ended or a deleted room does this).';
    case 'socketError':
      return 'The connection could not be opened or broke, and retries with fresh tokens failed.';
    case 'fetchTokenError':
      return 'No token could be minted for the connection (see the error above).';
    default:
      return reason ? `Disconnected (${reason}).` : 'Disconnected.';
  }
}

/** The header of a connection as it is now: never "connected" unless the socket is open. */
export function describeConnection(state: 'connecting' | 'connected' | 'disconnected', userId: string, end: ConnectionEnd | null): string {
  if (state === 'connecting') return `Connecting as ${userId}…`;
  if (state === 'connected') return `Connected as ${userId}`;
  if (end?.kind === 'kicked') return `Disconnected by a moderator: ${end.reason || '(no reason given)'}`;
  return describeDisconnectReason(end?.reason);
}

/**
 * What `new ChatRoom({ regionOrUrl })` needs: the emulator's (or any override's) ws:// URL, or the
 * room's region for real AWS (the SDK builds wss://edge.ivschat.<region>.amazonaws.com).
 */
export function chatRegionOrUrl(endpoint: string | null, roomArn: string): string {
  if (endpoint) return endpoint.replace(/^http(s?):\/\//, (_m, s: string) => `ws${s}://`).replace(/\/$/, '');
  return roomArn.split(':')[3] ?? 'us-east-1';
}
