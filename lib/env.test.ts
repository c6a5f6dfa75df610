import { afterEach, describe, expect, it, vi } from 'vitest';

const strong = { NEXTAUTH_SECRET: 'n'.repeat(40), FINGERPRINT_KEY: 'f'.repeat(40), AUDIT_CHAIN_KEY: 'a'.repeat(40) };

describe('production configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });
  const load = async (vars: Record<string, string | undefined>) => {
    vi.resetModules();
    vi.stubEnv('NODE_ENV', 'production');
    for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
    return import('./env');
  };

  it('refuses to start without AUDIT_CHAIN_KEY, naming the variable', async () => {
    await expect(load({ ...strong, AUDIT_CHAIN_KEY: undefined })).rejects.toThrow(
      /production needs AUDIT_CHAIN_KEY \(at least 32 characters\)/,
    );
    await expect(load({ ...strong, AUDIT_CHAIN_KEY: 'short' })).rejects.toThrow(/AUDIT_CHAIN_KEY/);
  });

  it('starts with every secret, and parses the previous keys', async () => {
    const { env } = await load({ ...strong, AUDIT_CHAIN_PREVIOUS_KEYS: 'old-1, old-2', FINGERPRINT_PREVIOUS_KEYS: 'fp-old' });
    expect(env).toMatchObject({ AUDIT_CHAIN_PREVIOUS_KEYS: ['old-1', 'old-2'], FINGERPRINT_PREVIOUS_KEYS: ['fp-old'] });
  });
});
