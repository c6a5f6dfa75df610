import { describe, expect, it } from 'vitest';
import { sessionEndedCause, sessionEndedRule, signInHref } from './session-ended';

describe('session-ended', () => {
  it('reads the reason the guard put on an ended session, and only from UNAUTHENTICATED', () => {
    for (const reason of ['revoked', 'expired', 'disabled'] as const) {
      expect(sessionEndedCause({ code: 'UNAUTHENTICATED', rule: sessionEndedRule(reason) })).toBe(reason);
    }
    // No session at all, or a rule this code does not know: ended, for a reason it does not claim.
    expect(sessionEndedCause({ code: 'UNAUTHENTICATED' })).toBe('unknown');
    expect(sessionEndedCause({ code: 'UNAUTHENTICATED', rule: 'session.nope' })).toBe('unknown');
    expect(sessionEndedCause({ code: 'FORBIDDEN', rule: 'session.disabled' })).toBeNull();
    expect(sessionEndedCause({ code: 'RATE_LIMITED' })).toBeNull();
  });

  it('links to sign-in with a safe return path and the cause the sign-in page explains', () => {
    expect(signInHref('/mint', 'disabled')).toBe('/signin?callbackUrl=%2Fmint&error=SessionDisabled');
    expect(signInHref('/audit/lookup?x=1', 'revoked')).toBe('/signin?callbackUrl=%2Faudit%2Flookup%3Fx%3D1&error=SessionEnded');
    expect(signInHref('/mint', 'expired')).toBe('/signin?callbackUrl=%2Fmint&error=SessionExpired');
    expect(signInHref('/mint', 'unknown')).toBe('/signin?callbackUrl=%2Fmint&error=SessionRequired');
    expect(signInHref('https://evil.example/')).toBe('/signin?callbackUrl=%2F');
  });
});
