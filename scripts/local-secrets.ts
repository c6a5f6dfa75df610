/**
 * Secrets for the embedded default (SQLite under CONSOLE_DATA_DIR): made once and kept (0600) in
 * CONSOLE_DATA_DIR/secrets.json; a secret added later (AUDIT_CHAIN_KEY) is added to an older file.
 * `npm start` and the CLIs that write the audit log use the same file, so their entries chain under
 * one key. A variable set in the environment always wins. Importing this module applies it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SECRET_NAMES = ['NEXTAUTH_SECRET', 'FINGERPRINT_KEY', 'AUDIT_CHAIN_KEY'] as const;
export type LocalSecrets = Record<(typeof SECRET_NAMES)[number], string>;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function localSecrets(dataDir: string): LocalSecrets {
  const file = join(dataDir, 'secrets.json');
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : {};
  const missing = SECRET_NAMES.filter((name) => !existing[name]);
  if (missing.length === 0) return existing as LocalSecrets;
  const secrets = { ...existing } as LocalSecrets;
  for (const name of missing) secrets[name] = randomBytes(32).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** Sets each secret the environment lacks from the local file. */
export function applyLocalSecrets(dataDir = resolve(root, process.env.CONSOLE_DATA_DIR ?? '.data')): void {
  if (SECRET_NAMES.every((name) => process.env[name])) return;
  const secrets = localSecrets(dataDir);
  for (const name of SECRET_NAMES) process.env[name] ??= secrets[name];
}
