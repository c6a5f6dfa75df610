import { describe, expect, it } from 'vitest';
import { readPastedToken } from '@/lib/shared/tokens/paste';

// The shape the emulator mints (emulator/tokens.ts) and real tokens have: AQICAH + base64url.
const token = `AQICAH${Buffer.from(Array.from({ length: 240 }, (_, i) => (i * 37) % 256)).toString('base64url')}`;
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('readPastedToken', () => {
  it('takes a clean token as it is', () => {
    expect(readPastedToken(token)).toEqual({ kind: 'token', token, removed: [] });
  });
  it('strips what people paste around a token', () => {
    for (const paste of [
      `Bearer "${token}"`,
      `  bearer ${token}\n`,
      `Authorization: Bearer ${token}`,
      `"${token}",`,
      `'${token}'`,
      `\u201C${token}\u201D`,
      `\`${token}\``,
      `token: "${token}"`,
      JSON.stringify({ token, tokenExpirationTime: '2030-01-01T00:00:00Z', sessionExpirationTime: '2030-01-01T01:00:00Z' }),
      `${token.slice(0, 76)}\n    ${token.slice(76, 152)}\r\n${token.slice(152)}`,
    ]) {
      const read = readPastedToken(paste);
      expect(read, paste).toMatchObject({ kind: 'token', token });
    }
    expect(readPastedToken(`Bearer "${token}"`)).toMatchObject({ removed: ['"Bearer"', 'quotes'] });
  });
  it('says a JWT is a JWT, not an IVS chat token', () => {
    const jwt = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 'ann' })}.c2lnbmF0dXJl`;
    expect(readPastedToken(jwt)).toMatchObject({ kind: 'jwt', message: expect.stringMatching(/^This is a JWT, not an IVS chat token/) });
    expect(readPastedToken(`Bearer ${jwt}`).kind).toBe('jwt');
  });
  it('says what else a paste is', () => {
    expect(readPastedToken('hello world')).toMatchObject({ kind: 'not-token', message: expect.stringMatching(/^This is not a token/) });
    expect(readPastedToken('abc/def==')).toMatchObject({ kind: 'not-token', message: expect.stringContaining('/ =') });
    expect(readPastedToken('hunter2')).toMatchObject({ kind: 'not-token', message: expect.stringContaining('7 characters') });
    expect(readPastedToken(token.slice(0, 40))).toMatchObject({ kind: 'cut', message: expect.stringContaining('only the start') });
    expect(readPastedToken(`ivsc_${'a'.repeat(43)}`)).toMatchObject({ kind: 'api-key' });
    expect(readPastedToken('  \n  "" ')).toMatchObject({ kind: 'empty', message: 'Paste a token.' });
  });
});
