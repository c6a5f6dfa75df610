import { formatMinutes } from '@/lib/shared/tokens/expiry';
import { formatSpan, formatUtc } from '@/lib/shared/time/format';

/**
 * One status for a minted token, computed the same way wherever it is shown (the mint result,
 * the record, the lookup, History). Client-safe.
 *
 * What IVS says: a token opens one connection, and only before tokenExpirationTime; a connection
 * lasts until sessionExpirationTime at the latest, so a token whose session has ended cannot open
 * a useful connection either (the emulator, like the service, refuses it with 401). A token can
 * therefore connect only before the EARLIER of the two expiries. What IVS does not say: whether a
 * token was used. The console's deny list refuses new tokens, but IVS cannot revoke one already
 * issued; a DisconnectUser closes every connection the userId had in the room at that moment.
 * The words below claim nothing more than that.
 */

export type TokenStateKind = 'valid' | 'token-expired' | 'session-ended' | 'denied' | 'disconnected' | 'failed' | 'pending';

export interface TokenState {
  kind: TokenStateKind;
  /** The headline: `Valid for 12 min`, `Session ended at 2026-… UTC`, `Disconnected by a moderator at 2026-… UTC`. */
  headline: string;
  /** The History cell: `valid for 12 min`, `session ended`, `denied`. */
  short: string;
  /** What the headline does and does not mean. */
  detail: string;
  /** Until when a connection could still be opened with the token (the earlier expiry), when issued. */
  connectBy: string | null;
  /** Whether, as far as IVS's rules go, the token can still open a connection now (unused). */
  canConnect: boolean;
}

/** A deny-list entry that covers the token's userId in its room. */
export interface StateDenial {
  createdAt: string;
  reason: string;
  /** null: every room. */
  roomArn: string | null;
  expiresAt: string | null;
}

export interface TokenStateInput {
  status: string;
  /** When the mint was requested (the record's time). */
  at: string;
  tokenExpiresAt: string | null;
  sessionExpiresAt: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** Deny-list entries for this userId in this room or every room (expired ones are ignored here). */
  denials?: readonly StateDenial[];
  /** Times of recorded DisconnectUser calls for this userId in this room (any order). */
  disconnects?: readonly string[];
}

/** `12 min`, `1 h 5 min`, `40 s`: how long is left, never rounded up. */
function left(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.ceil(ms / 1000))} s`;
  return formatMinutes(Math.floor(ms / 60_000));
}

export function tokenState(r: TokenStateInput, now: Date): TokenState {
  if (r.status === 'failed') {
    const error = [r.errorCode, r.errorMessage].filter(Boolean).join(': ') || 'no error recorded';
    return {
      kind: 'failed',
      headline: 'Not issued: the mint failed',
      short: 'not issued',
      detail: `AWS refused or the call failed (${error}). No token exists.`,
      connectBy: null,
      canConnect: false,
    };
  }
  if (r.status !== 'issued' || !r.tokenExpiresAt || !r.sessionExpiresAt) {
    return {
      kind: 'pending',
      headline: 'Outcome unknown',
      short: 'outcome unknown',
      detail:
        'The console wrote this record, asked AWS for the token, and stopped before recording the answer. A token may exist; its expiry and fingerprint are unknown.',
      connectBy: null,
      canConnect: false,
    };
  }
  const t = now.getTime();
  const mintedAt = new Date(r.at).getTime();
  const tokenEnd = new Date(r.tokenExpiresAt).getTime();
  const sessionEnd = new Date(r.sessionExpiresAt).getTime();
  const connectByMs = Math.min(tokenEnd, sessionEnd);
  const connectBy = new Date(connectByMs).toISOString();
  const windowOpen = t < connectByMs;

  if (t >= sessionEnd) {
    return {
      kind: 'session-ended',
      headline: `Session ended at ${formatUtc(new Date(sessionEnd))}`,
      short: 'session ended',
      detail: `The session limit passed ${formatSpan(t - sessionEnd)} ago: the token cannot connect, and any connection it opened is closed.`,
      connectBy,
      canConnect: false,
    };
  }

  const denial = (r.denials ?? []).find((d) => d.expiresAt === null || new Date(d.expiresAt).getTime() > t);
  // A disconnect counts for this token when it came after the mint and before the session ended.
  const disconnectedAt = (r.disconnects ?? [])
    .map((at) => new Date(at).getTime())
    .filter((at) => at >= mintedAt && at < sessionEnd && at <= t)
    .sort((a, b) => b - a)[0];
  const stillOpen = windowOpen
    ? `Unused, it can still open a connection for ${left(connectByMs - t)} (until ${formatUtc(new Date(connectByMs))}).`
    : `It can no longer open a connection; one opened in time stays open until ${formatUtc(new Date(sessionEnd))} at the latest.`;

  if (denial) {
    const scope = denial.roomArn === null ? 'every room' : 'this room';
    const until = denial.expiresAt ? ` until ${formatUtc(new Date(denial.expiresAt))}` : '';
    const kicked = disconnectedAt !== undefined ? ` A moderator disconnected this userId at ${formatUtc(new Date(disconnectedAt))}.` : '';
    return {
      kind: 'denied',
      headline: `Denied in ${scope}${until}`,
      short: 'denied',
      detail: `The console mints no more tokens for this userId here (reason: ${denial.reason}). IVS cannot revoke a token already issued. ${stillOpen}${kicked}`,
      connectBy,
      canConnect: windowOpen,
    };
  }
  if (disconnectedAt !== undefined) {
    return {
      kind: 'disconnected',
      headline: `Disconnected by a moderator at ${formatUtc(new Date(disconnectedAt))}`,
      short: 'disconnected by a moderator',
      detail: `IVS closed every connection this userId had in this room then; it does not say whether this token was one of them. ${stillOpen}`,
      connectBy,
      canConnect: windowOpen,
    };
  }
  if (!windowOpen) {
    return {
      kind: 'token-expired',
      headline: `Token expired at ${formatUtc(new Date(tokenEnd))}`,
      short: 'token expired',
      detail: `The token can no longer open a connection. One opened in time stays open until ${formatUtc(new Date(sessionEnd))} at the latest (${formatSpan(sessionEnd - t)} from now).`,
      connectBy,
      canConnect: false,
    };
  }
  const which =
    sessionEnd === tokenEnd
      ? 'The token and the session end together (tokenExpirationTime and sessionExpirationTime are the same moment).'
      : sessionEnd < tokenEnd
        ? `The session ends first (sessionExpirationTime), so that is the last moment to connect, although the token itself would be valid until ${formatUtc(new Date(tokenEnd))}.`
        : `After that (tokenExpirationTime) it cannot open a connection; one opened in time stays open until ${formatUtc(new Date(sessionEnd))} at the latest.`;
  return {
    kind: 'valid',
    headline: `Valid for ${left(connectByMs - t)}`,
    short: `valid for ${left(connectByMs - t)}`,
    detail: `It can open one connection until ${formatUtc(new Date(connectByMs))}. ${which} IVS does not say whether the token has been used.`,
    connectBy,
    canConnect: true,
  };
}

/** Badge colours by state, one place for every view. */
export const TOKEN_STATE_COLOR: Record<TokenStateKind, string> = {
  valid: 'green',
  'token-expired': 'gray',
  'session-ended': 'gray',
  denied: 'red',
  disconnected: 'orange',
  failed: 'red',
  pending: 'yellow',
};
