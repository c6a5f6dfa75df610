import 'server-only';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { env } from '@/lib/env';
import type { Keyring } from './keys';

/**
 * Checkpoints of the chain head, outside the database: one JSON line each in a file (by default
 * CONSOLE_DATA_DIR/audit-checkpoints.jsonl). A checkpoint says "the log held entry `seq` with hash
 * `hash` at `at`"; its MAC (the chain key named by keyId) means a database writer cannot forge one,
 * and someone who can write the file but lacks the key can only delete lines, never add a valid one.
 * Ship the file elsewhere (a log shipper, object storage with retention) to keep it out of reach.
 */
export interface Checkpoint {
  seq: number;
  hash: string;
  keyId: string;
  at: string;
}

const FORMAT = 'ivsc-audit-checkpoint-v1';

export function checkpointMac(secret: string, c: Checkpoint): string {
  return createHmac('sha256', secret)
    .update(JSON.stringify([FORMAT, c.seq, c.hash, c.keyId, c.at]), 'utf8')
    .digest('hex');
}

/** The sink file: AUDIT_CHECKPOINT_FILE, else beside the SQLite file; null under NODE_ENV=test without one. */
export function defaultCheckpointFile(): string | null {
  if (env.AUDIT_CHECKPOINT_FILE) return path.resolve(env.AUDIT_CHECKPOINT_FILE);
  if (env.NODE_ENV === 'test') return null;
  return path.resolve(env.CONSOLE_DATA_DIR, 'audit-checkpoints.jsonl');
}

/** Appends one MAC'd checkpoint line (O_APPEND: lines from several processes do not interleave). */
export function appendCheckpoint(file: string, head: { seq: number; hash: string }, keyring: Keyring, at = new Date()): Checkpoint {
  const checkpoint: Checkpoint = { seq: head.seq, hash: head.hash, keyId: keyring.current.id, at: at.toISOString() };
  mkdirSync(path.dirname(file), { recursive: true });
  const line = JSON.stringify({ type: 'audit-checkpoint', ...checkpoint, mac: checkpointMac(keyring.current.secret, checkpoint) });
  appendFileSync(file, `${line}\n`, { mode: 0o600 });
  return checkpoint;
}

export interface CheckpointRead {
  /** Checkpoints whose MAC verifies, in file order. */
  valid: Checkpoint[];
  /** Lines that are not a checkpoint with a valid MAC under a known key: forged, damaged or from another deployment. */
  rejected: { line: number; reason: string }[];
}

export function readCheckpoints(file: string, keyring: Keyring): CheckpointRead {
  const out: CheckpointRead = { valid: [], rejected: [] };
  if (!existsSync(file)) return out;
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      out.rejected.push({ line: i + 1, reason: 'not JSON' });
      return;
    }
    const { seq, hash, keyId, at, mac } = parsed;
    if (
      parsed.type !== 'audit-checkpoint' ||
      typeof seq !== 'number' ||
      typeof hash !== 'string' ||
      typeof keyId !== 'string' ||
      typeof at !== 'string' ||
      typeof mac !== 'string'
    ) {
      out.rejected.push({ line: i + 1, reason: 'not a checkpoint' });
      return;
    }
    const key = keyring.byId.get(keyId);
    if (!key) {
      out.rejected.push({ line: i + 1, reason: `key id ${keyId} is not in the keyring` });
      return;
    }
    const checkpoint = { seq, hash, keyId, at };
    const expected = Buffer.from(checkpointMac(key.secret, checkpoint), 'utf8');
    const given = Buffer.from(mac, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      out.rejected.push({ line: i + 1, reason: 'MAC does not verify: forged or edited' });
      return;
    }
    out.valid.push(checkpoint);
  });
  return out;
}
