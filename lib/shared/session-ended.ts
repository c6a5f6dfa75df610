/**
 * Why a session ended, as the browser may learn it: the guard answers an action from an ended
 * session with `rule: session.<reason>` (lib/contract/guard.ts), and the sign-in page says why from
 * its `error` parameter (app/signin/page.tsx). The words say only what the member's own cookie
 * already proved; the sign-in page shows them to whoever opens the link, so they name nobody.
 * Client-safe.
 */
import { safeReturnPath } from './return-path';

export const ENDED_REASONS = ['revoked', 'expired', 'disabled'] as const;
export type EndedReason = (typeof ENDED_REASONS)[number];
/** A reason, or `unknown` when the request carried no session at all (a cookie the browser dropped). */
export type EndedCause = EndedReason | 'unknown';

/** The sign-in page's `error` value for each cause. */
export const SIGN_IN_ERROR: Record<EndedCause, string> = {
  revoked: 'SessionEnded',
  expired: 'SessionExpired',
  disabled: 'SessionDisabled',
  unknown: 'SessionRequired',
};

export const sessionEndedRule = (reason: EndedReason) => `session.${reason}`;

/** Why the session of a refused request ended, or null when the failure is of another kind. */
export function sessionEndedCause(failure: { code: string; rule?: string }): EndedCause | null {
  if (failure.code !== 'UNAUTHENTICATED') return null;
  const reason = failure.rule?.startsWith('session.') ? failure.rule.slice('session.'.length) : '';
  // Nothing here claims a reason the server did not give.
  return (ENDED_REASONS as readonly string[]).includes(reason) ? (reason as EndedReason) : 'unknown';
}

/** The sign-in page that comes back to `returnTo` and says why the session ended. */
export function signInHref(returnTo: string, cause?: EndedCause | null): string {
  const params = new URLSearchParams({ callbackUrl: safeReturnPath(returnTo) });
  if (cause) params.set('error', SIGN_IN_ERROR[cause]);
  return `/signin?${params}`;
}
