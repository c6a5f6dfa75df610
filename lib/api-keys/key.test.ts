import { describe, expect, it } from 'vitest';
import { apiKeyDisplayPrefix, apiKeyHash, API_KEY_NAME_PATTERN, generateApiKey, isApiKeyFormat, parseBearerApiKey } from './key';

describe('API keys', () => {
  it('are ivsc_ plus 32 random bytes in base64url, each different', () => {
    const keys = new Set(Array.from({ length: 200 }, generateApiKey));
    expect(keys.size).toBe(200);
    for (const key of keys) {
      expect(key).toMatch(/^ivsc_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key.slice(5), 'base64url')).toHaveLength(32);
      expect(isApiKeyFormat(key)).toBe(true);
    }
  });

  it('hash to the SHA-256 of the whole key, and show only a short prefix', () => {
    const key = 'ivsc_' + 'A'.repeat(43);
    expect(apiKeyHash(key)).toBe('d04d59a097afc7ee41618d889bd5ac30059b69ebeb57e870b953eb5bafd029da');
    expect(apiKeyHash(key)).not.toBe(apiKeyHash(key.slice(0, -1) + 'B'));
    expect(apiKeyDisplayPrefix(key)).toBe('ivsc_AAAAAA');
    expect(apiKeyDisplayPrefix(key).length).toBeLessThan(key.length / 3);
  });

  it('parse from a Bearer header only when well formed', () => {
    const key = generateApiKey();
    expect(parseBearerApiKey(`Bearer ${key}`)).toBe(key);
    expect(parseBearerApiKey(`bearer ${key}`)).toBe(key);
    expect(parseBearerApiKey(`BEARER   ${key} `)).toBe(key);
    for (const bad of [
      null,
      undefined,
      '',
      key,
      `Basic ${key}`,
      `Bearer`,
      `Bearer ${key} extra`,
      `Bearer ${key}x`,
      `Bearer ${key.slice(0, -1)}`,
      `Bearer ivsk_${key.slice(5)}`,
      `Bearer ${key.slice(0, -1)}+`,
      `Bearer\t${key}`,
    ]) {
      expect(parseBearerApiKey(bad), String(bad)).toBeNull();
    }
  });

  it('names are short lowercase identifiers', () => {
    for (const ok of ['ci', 'qa-pipeline', 'load.test_1', 'a'.repeat(63)]) expect(API_KEY_NAME_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ['', 'CI', '-x', 'has space', 'a@b', 'a'.repeat(64), 'é']) expect(API_KEY_NAME_PATTERN.test(bad), bad).toBe(false);
  });
});
