import { describe, expect, it } from 'vitest';
import { tokenState } from '@/lib/shared/tokens/token-state';

const minted = {
  status: 'issued',
  at: '2030-01-01T00:00:00.000Z',
  tokenExpiresAt: '2030-01-01T01:00:00.000Z',
  sessionExpiresAt: '2030-01-01T02:00:00.000Z',
};
const at = (iso: string) => new Date(iso);

describe('tokenState', () => {
  it('the reported defect: a token valid for 58 more minutes whose session ended 7 s ago cannot connect', () => {
    // The emulator's (and a real) token TTL is 60 min; a 1-minute session ends long before it.
    const r = {
      ...minted,
      at: '2030-01-01T20:45:00.000Z',
      tokenExpiresAt: '2030-01-01T21:45:00.000Z',
      sessionExpiresAt: '2030-01-01T20:46:00.000Z',
    };
    const s = tokenState(r, at('2030-01-01T20:46:07Z'));
    expect(s).toMatchObject({ kind: 'session-ended', canConnect: false, short: 'session ended' });
    expect(s.headline).toBe('Session ended at 2030-01-01 20:46:00 UTC');
    expect(s.headline + s.detail).not.toMatch(/connect until|58 min/);
  });
  it('valid until the earlier expiry: the session end when it comes first', () => {
    const r = { ...minted, tokenExpiresAt: '2030-01-01T01:00:00.000Z', sessionExpiresAt: '2030-01-01T00:02:00.000Z' };
    const s = tokenState(r, at('2030-01-01T00:00:01Z'));
    expect(s).toMatchObject({ kind: 'valid', headline: 'Valid for 1 min', short: 'valid for 1 min', canConnect: true });
    expect(s.connectBy).toBe('2030-01-01T00:02:00.000Z');
    expect(s.detail).toContain('The session ends first');
    expect(s.detail).toContain('does not say whether the token has been used');
  });
  it('the default mint (60 min session, 60 min token): both end together, and neither is said to come first', () => {
    const r = { ...minted, tokenExpiresAt: '2030-01-01T01:00:00.000Z', sessionExpiresAt: '2030-01-01T01:00:00.000Z' };
    const s = tokenState(r, at('2030-01-01T00:00:01Z'));
    expect(s).toMatchObject({ kind: 'valid', canConnect: true, connectBy: '2030-01-01T01:00:00.000Z' });
    expect(s.detail).toContain('The token and the session end together');
    expect(s.detail).not.toMatch(/ends first|although/);
  });
  it('valid until the token expiry when it comes first; never rounded up', () => {
    expect(tokenState(minted, at('2030-01-01T00:30:00Z')).headline).toBe('Valid for 30 min');
    expect(tokenState(minted, at('2030-01-01T00:30:30Z')).headline).toBe('Valid for 29 min');
    expect(tokenState(minted, at('2030-01-01T00:59:20Z')).headline).toBe('Valid for 40 s');
    expect(tokenState({ ...minted, tokenExpiresAt: '2030-01-01T01:30:00.000Z' }, at('2030-01-01T00:00:00Z')).headline).toBe(
      'Valid for 1 h 30 min',
    );
  });
  it('token expired between the two expiries: a connection opened in time may still be open', () => {
    const s = tokenState(minted, at('2030-01-01T01:30:00Z'));
    expect(s).toMatchObject({ kind: 'token-expired', headline: 'Token expired at 2030-01-01 01:00:00 UTC', canConnect: false });
    expect(s.detail).toContain('stays open until 2030-01-01 02:00:00 UTC at the latest');
  });
  it('session ended after the session expiry, whatever else happened', () => {
    const s = tokenState(
      {
        ...minted,
        denials: [{ createdAt: minted.at, reason: 'spam', roomArn: null, expiresAt: null }],
        disconnects: ['2030-01-01T00:10:00Z'],
      },
      at('2030-01-01T03:00:00Z'),
    );
    expect(s).toMatchObject({ kind: 'session-ended', headline: 'Session ended at 2030-01-01 02:00:00 UTC' });
  });
  it('denied: says the deny list stops new tokens, and does not claim this one is revoked', () => {
    const s = tokenState(
      { ...minted, denials: [{ createdAt: minted.at, reason: 'spam', roomArn: 'arn:x', expiresAt: null }] },
      at('2030-01-01T00:30:00Z'),
    );
    expect(s).toMatchObject({ kind: 'denied', headline: 'Denied in this room', short: 'denied', canConnect: true });
    expect(s.detail).toContain('IVS cannot revoke a token already issued');
    expect(s.detail).toContain('can still open a connection for 30 min');
    const everywhere = tokenState(
      { ...minted, denials: [{ createdAt: minted.at, reason: 'spam', roomArn: null, expiresAt: '2030-01-01T00:45:00.000Z' }] },
      at('2030-01-01T00:30:00Z'),
    );
    expect(everywhere.headline).toBe('Denied in every room until 2030-01-01 00:45:00 UTC');
  });
  it('an ended deny-list entry no longer counts', () => {
    const s = tokenState(
      { ...minted, denials: [{ createdAt: minted.at, reason: 'spam', roomArn: null, expiresAt: '2030-01-01T00:10:00.000Z' }] },
      at('2030-01-01T00:30:00Z'),
    );
    expect(s.kind).toBe('valid');
  });
  it('disconnected by a moderator: only a disconnect after the mint counts, and the words do not claim the token was used', () => {
    const before = tokenState({ ...minted, disconnects: ['2029-12-31T23:59:00Z'] }, at('2030-01-01T00:30:00Z'));
    expect(before.kind).toBe('valid');
    const s = tokenState(
      { ...minted, disconnects: ['2029-12-31T23:59:00Z', '2030-01-01T00:05:00Z', '2030-01-01T00:20:00Z'] },
      at('2030-01-01T00:30:00Z'),
    );
    expect(s).toMatchObject({ kind: 'disconnected', headline: 'Disconnected by a moderator at 2030-01-01 00:20:00 UTC' });
    expect(s.detail).toContain('does not say whether this token was one of them');
    expect(s.detail).toContain('can still open a connection for 30 min');
  });
  it('a disconnect after the session ended is not about this token', () => {
    const r = {
      ...minted,
      sessionExpiresAt: '2030-01-01T00:10:00.000Z',
      tokenExpiresAt: '2030-01-01T01:00:00.000Z',
      disconnects: ['2030-01-01T00:20:00Z'],
    };
    expect(tokenState(r, at('2030-01-01T00:30:00Z')).kind).toBe('session-ended');
  });
  it('failed and pending are outcomes, never a live token', () => {
    expect(tokenState({ ...minted, status: 'failed', errorCode: 'AccessDeniedException', errorMessage: 'nope' }, new Date())).toMatchObject(
      {
        kind: 'failed',
        canConnect: false,
        detail: expect.stringContaining('AccessDeniedException: nope'),
      },
    );
    expect(tokenState({ ...minted, status: 'pending', tokenExpiresAt: null, sessionExpiresAt: null }, new Date())).toMatchObject({
      kind: 'pending',
      headline: 'Outcome unknown',
    });
  });
});
