import { createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { fingerprintWithKey, tokenFingerprint } from './fingerprint';

describe('token fingerprints', () => {
  it('is HMAC-SHA256 hex under the key', () => {
    const expected = createHmac('sha256', 'k').update('AQICAHh-token').digest('hex');
    expect(fingerprintWithKey('k', 'AQICAHh-token')).toBe(expected);
    expect(fingerprintWithKey('k', 'AQICAHh-token')).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintWithKey('other', 'AQICAHh-token')).not.toBe(expected);
    expect(fingerprintWithKey('k', 'AQICAHh-tokem')).not.toBe(expected);
  });

  it('uses a fixed development key outside production and warns once', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const a = tokenFingerprint('token-1');
      const b = tokenFingerprint('token-1');
      expect(a).toBe(b);
      expect(a).not.toContain('token-1');
      expect(tokenFingerprint('token-2')).not.toBe(a);
      const warnings = write.mock.calls.filter(([chunk]) => String(chunk).includes('FINGERPRINT_KEY'));
      expect(warnings).toHaveLength(process.env.FINGERPRINT_KEY ? 0 : 1);
    } finally {
      write.mockRestore();
    }
  });
});
