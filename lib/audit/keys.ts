import 'server-only';
import { createHmac } from 'node:crypto';
import { env } from '@/lib/env';

/**
 * The keys the audit log is chained and fingerprinted with. None of them is ever stored in the
 * database: each entry (and each checkpoint) names only the key's id, an HMAC of a fixed label
 * under the key, which says which key to verify with and reveals nothing about it.
 *
 * Outside production a missing key falls back to a fixed development key (env.ts refuses to
 * start production without AUDIT_CHAIN_KEY and FINGERPRINT_KEY). A log chained under the
 * development key proves nothing: anyone can read the key here.
 */
export const DEVELOPMENT_CHAIN_KEY = 'ivs-chat-console-development-audit-chain-key (not secret)';
export const DEVELOPMENT_FINGERPRINT_KEY = 'ivs-chat-console-development-fingerprint-key (not secret)';

export interface Key {
  id: string;
  secret: string;
}

export interface Keyring {
  /** The key new entries (or fingerprints) are made with. */
  current: Key;
  /** Every known key by id, the current one included. */
  byId: ReadonlyMap<string, Key>;
  /** True when `current` is the development key. */
  development: boolean;
}

/** 'k' and 16 hex digits: stable for a key, different for every key, useless without it. */
export function keyId(secret: string): string {
  return `k${createHmac('sha256', secret).update('ivs-chat-console key id', 'utf8').digest('hex').slice(0, 16)}`;
}

export function makeKeyring(current: string, previous: readonly string[] = [], developmentKey?: string): Keyring {
  const key = (secret: string): Key => ({ id: keyId(secret), secret });
  const byId = new Map<string, Key>();
  for (const secret of [...previous, current]) byId.set(keyId(secret), key(secret));
  return { current: key(current), byId, development: current === developmentKey };
}

let warned = false;
function fallback(name: string, developmentKey: string): string {
  if (env.NODE_ENV === 'production') throw new Error(`${name} is not set`);
  if (!warned && env.NODE_ENV !== 'test') {
    warned = true;
    process.stderr.write(`warning: ${name} is not set; the audit log uses a fixed development key and proves nothing\n`);
  }
  return developmentKey;
}

let chain: Keyring | undefined;
/** AUDIT_CHAIN_KEY, and AUDIT_CHAIN_PREVIOUS_KEYS for older segments. */
export function chainKeyring(): Keyring {
  return (chain ??= makeKeyring(
    env.AUDIT_CHAIN_KEY ?? fallback('AUDIT_CHAIN_KEY', DEVELOPMENT_CHAIN_KEY),
    // Never the development key as a previous key: anyone could write a whole log under it.
    env.AUDIT_CHAIN_KEY ? env.AUDIT_CHAIN_PREVIOUS_KEYS : [],
    DEVELOPMENT_CHAIN_KEY,
  ));
}

let fingerprints: Keyring | undefined;
/** FINGERPRINT_KEY, and FINGERPRINT_PREVIOUS_KEYS so tokens fingerprinted before a rotation are still found. */
export function fingerprintKeyring(): Keyring {
  return (fingerprints ??= makeKeyring(
    env.FINGERPRINT_KEY ?? fallback('FINGERPRINT_KEY', DEVELOPMENT_FINGERPRINT_KEY),
    env.FINGERPRINT_KEY ? env.FINGERPRINT_PREVIOUS_KEYS : [],
    DEVELOPMENT_FINGERPRINT_KEY,
  ));
}
