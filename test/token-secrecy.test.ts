/**
 * "Tokens are secrets" (DESIGN.md): mint real tokens through the one mint path in a separate
 * process (emulator, SQLite file in WAL mode, the real pino logger at trace level), then search
 * everything that process left behind — its stdout and stderr, the database file, its -wal and
 * -shm files — for each token's text, and find it nowhere. Positive controls prove the search
 * looks at the right bytes: the fingerprints, userIds and log events are found.
 * The history and detail pages' HTML is checked by e2e/audit.spec.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'token-secrecy-'));
let output = '';
let minted: { token: string; auditId: string; fingerprint: string; userId: string }[] = [];
const files: Record<string, Buffer> = {};

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    CONSOLE_DATA_DIR: dir,
    FINGERPRINT_KEY: 'secrecy-test-fingerprint-key-0123456789abcdef',
    LOG_LEVEL: 'trace',
    SECRECY_TOKENS_OUT: path.join(dir, 'tokens.json'),
  };
  delete env.DATABASE_URL;
  delete env.IVSCHAT_ENDPOINT;
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'test/token-secrecy-child.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`child exited ${code}:\n${output}`);
  minted = JSON.parse(readFileSync(env.SECRECY_TOKENS_OUT!, 'utf8'));
  for (const name of ['console.db', 'console.db-wal', 'console.db-shm']) {
    const file = path.join(dir, name);
    if (existsSync(file)) files[name] = readFileSync(file);
  }
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The token and distinctive parts of it (a logger that truncates would still leak a prefix). */
function needles(token: string): { label: string; bytes: Buffer }[] {
  return [
    { label: 'the whole token', bytes: Buffer.from(token, 'utf8') },
    { label: 'its first 24 characters', bytes: Buffer.from(token.slice(0, 24), 'utf8') },
    { label: 'its last 24 characters', bytes: Buffer.from(token.slice(-24), 'utf8') },
    { label: 'its base64url-decoded bytes', bytes: Buffer.from(token, 'base64url') },
  ];
}

describe('a minted token is nowhere but in the mint response', () => {
  it('minted three tokens and captured the process output', () => {
    expect(minted).toHaveLength(3);
    for (const m of minted) expect(m.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    // Positive controls: the logger wrote to the captured output, with the mint events in it.
    expect(output.match(/"event":"token\.minted"/g)).toHaveLength(3);
    expect(output).toContain('"event":"mint.failed"');
    for (const m of minted) expect(output).toContain(m.auditId);
  });

  it('the SQLite file and its -wal were written, and hold the fingerprints and userIds', () => {
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['console.db', 'console.db-wal']));
    expect(files['console.db-wal'].length).toBeGreaterThan(0);
    const all = Buffer.concat(Object.values(files));
    for (const m of minted) {
      expect(all.includes(Buffer.from(m.fingerprint)), `fingerprint of ${m.userId}`).toBe(true);
      expect(all.includes(Buffer.from(m.userId)), m.userId).toBe(true);
    }
  });

  it('no token, nor a prefix, suffix or decoded form of one, in the database files', () => {
    for (const m of minted) {
      for (const n of needles(m.token)) {
        for (const [name, bytes] of Object.entries(files)) {
          expect(bytes.includes(n.bytes), `${n.label} of ${m.userId}'s token in ${name}`).toBe(false);
        }
      }
    }
  });

  it('no token, nor a prefix or suffix of one, in the log output', () => {
    const out = Buffer.from(output, 'utf8');
    for (const m of minted) {
      for (const n of needles(m.token)) expect(out.includes(n.bytes), `${n.label} of ${m.userId}'s token in the log`).toBe(false);
    }
  });
});
