import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('hashes with scrypt, a random salt and the parameters in the encoding', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('horse');
  });

  it('verifies the right password only', async () => {
    const hash = await hashPassword('pässwörd-🔑');
    expect(await verifyPassword('pässwörd-🔑', hash)).toBe(true);
    expect(await verifyPassword('pässwörd-🔐', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('rejects malformed or absurd hashes without throwing', async () => {
    const hash = await hashPassword('x');
    const parts = hash.split('$');
    for (const bad of [
      '',
      'plain',
      hash.replace('scrypt', 'bcrypt'),
      [...parts.slice(0, 1), String(2 ** 30), ...parts.slice(2)].join('$'),
      [...parts.slice(0, 1), '1000', ...parts.slice(2)].join('$'),
      [...parts.slice(0, 5), ''].join('$'),
      `${hash}$extra`,
    ]) {
      expect(await verifyPassword('x', bad)).toBe(false);
    }
  });

  it('takes about 50 ms or less', async () => {
    await hashPassword('warm-up');
    const start = performance.now();
    await hashPassword('timing');
    expect(performance.now() - start).toBeLessThan(250); // generous for loaded CI machines
  });

  it('generates strong random passwords', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(generatePassword()).not.toBe(a);
  });
});
