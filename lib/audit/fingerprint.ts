import 'server-only';
import { createHmac } from 'node:crypto';
import { env } from '@/lib/env';
import { fingerprintKeyring } from './keys';

// Only outside production (env.ts refuses to start production without FINGERPRINT_KEY). Records
// fingerprinted under it cannot be matched once a real key is configured.
const DEVELOPMENT_KEY = 'ivs-chat-console-development-fingerprint-key (not secret)';

let warned = false;

/** HMAC-SHA256 (hex) of `token` under `key`. */
export function fingerprintWithKey(key: string, token: string): string {
  return createHmac('sha256', key).update(token, 'utf8').digest('hex');
}

/**
 * The token's fingerprint under the server's FINGERPRINT_KEY: what the audit log stores instead
 * of the token, so a dump of the database does not allow testing guessed tokens offline.
 */
export function tokenFingerprint(token: string): string {
  let key = env.FINGERPRINT_KEY;
  if (!key) {
    if (env.NODE_ENV === 'production') throw new Error('FINGERPRINT_KEY is not set');
    if (!warned) {
      warned = true;
      process.stderr.write('warning: FINGERPRINT_KEY is not set; token fingerprints use a fixed development key\n');
    }
    key = DEVELOPMENT_KEY;
  }
  return fingerprintWithKey(key, token);
}

/**
 * The token's fingerprint under every known fingerprint key (FINGERPRINT_KEY first, then
 * FINGERPRINT_PREVIOUS_KEYS): what a lookup searches for, so rotating the key keeps old tokens findable.
 */
export function tokenFingerprints(token: string): string[] {
  const current = tokenFingerprint(token);
  const { byId, current: key } = fingerprintKeyring();
  return [current, ...[...byId.values()].filter((k) => k.id !== key.id).map((k) => fingerprintWithKey(k.secret, token))];
}
