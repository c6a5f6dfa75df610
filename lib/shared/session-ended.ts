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

/** The sign-in page's `error` value for each reason. */
export const SIGN_IN_ERROR: Record<EndedReason, string> = {
  revoked: 'SessionEnded',
  expired: 'SessionExpired',
  disabled: 'SessionDisabled',
};

export const sessionEndedRule = (reason: EndedReason) => `session.${reason}`;

/** The reason carried by a failure from an ended session, or null for any other failure. */
export function endedReasonOf(failure: { code: string; rule?: string }): EndedReason | null {
  if (failure.code !== 'UNAUTHENTICATED') return null;
  const reason = failure.rule?.startsWith('session.') ? failure.rule.slice('session.'.length) : '';
  return (ENDED_REASONS as readonly string[]).includes(reason) ? (reason as EndedReason) : 'revoked';
}

/** The sign-in page that comes back to `returnTo` and says why the session ended. */
export function signInHref(returnTo: string, reason?: EndedReason | null): string {
  const params = new URLSearchParams({ callbackUrl: safeReturnPath(returnTo) });
  if (reason) params.set('error', SIGN_IN_ERROR[reason]);
  return `/signin?${params}`;
}
