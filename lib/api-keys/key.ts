import 'server-only';
import { createHash, randomBytes } from 'node:crypto';

/**
 * The API key format: `ivsc_` and 32 random bytes in base64url (43 characters). The prefix makes
 * a leaked key easy to recognise (secret scanners, logs); 256 random bits make guessing hopeless,
 * so a plain SHA-256 is enough to store it (no salt or slow hash needed, unlike passwords), and the
 * shell CLI that creates keys needs no server secret to compute it.
 */
const API_KEY_PREFIX = 'ivsc_';
const RANDOM_BYTES = 32;
const RANDOM_CHARS = 43;
const API_KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}[A-Za-z0-9_-]{${RANDOM_CHARS}}$`);
/** How much of the key is stored and shown to tell keys apart: the prefix and 6 random characters. */
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 6;

/** A fresh key. The caller shows it once and stores only `apiKeyHash(key)`. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(RANDOM_BYTES).toString('base64url');
}

export function isApiKeyFormat(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

/** SHA-256 (hex) of the whole key: what the database holds and looks keys up by. */
export function apiKeyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function apiKeyDisplayPrefix(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_LENGTH);
}

/**
 * The key from an `Authorization: Bearer <key>` header (scheme case-insensitive, RFC 6750), or
 * null when the header is absent, another scheme, or not shaped like one of our keys.
 */
export function parseBearerApiKey(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(header);
  if (!match) return null;
  const key = match[1]!;
  return isApiKeyFormat(key) ? key : null;
}

/** Key names: lowercase letters, digits, `.`, `_`, `-`; they name the key in the audit log. */
export const API_KEY_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
