import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io';

/**
 * The staff and audit commands, run in this process against a real SQLite file (what `npm run
 * staff` and `npm run audit` run); one real `npm run staff` process checks the wiring (arguments,
 * standard input and output, the exit code) and writes beside this process's connection.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'console-cli-'));
const dataDir = path.join(dir, 'data');
let staff: typeof import('./staff-commands');
let audit: typeof import('./audit-commands');
let db: typeof import('@/lib/db');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

beforeAll(async () => {
  // lib/env.ts reads the environment once, at import: set it first (vitest runs each file in its own process).
  process.env.CONSOLE_DATA_DIR = dataDir;
  process.env.AUDIT_CHECKPOINT_FILE = path.join(dir, 'checkpoints.jsonl');
  delete process.env.DATABASE_URL;
  delete process.env.AUDIT_CHAIN_KEY;
  // What ./staff.ts and ./audit.ts do first: the local secrets file, as `npm start` makes it.
  (await import('./local-secrets')).applyLocalSecrets(dataDir);
  staff = await import('./staff-commands');
  audit = await import('./audit-commands');
  db = await import('@/lib/db');
});

afterAll(async () => {
  await db?.closeDatabase();
  rmSync(dir, { recursive: true, force: true });
});

async function run(script: 'staff' | 'audit', args: string[], input = ''): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (text) => void (stdout += `${text}\n`),
    err: (text) => void (stderr += `${text}\n`),
    stdin: async () => input,
  };
  const code = await (script === 'staff' ? staff.runStaffCommand : audit.runAuditCommand)(args, io);
  return { code, stdout, stderr };
}

function spawnStaff(args: string[], input: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, CONSOLE_DATA_DIR: dataDir, NODE_ENV: 'test' };
  delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/staff.ts', ...args], {
      cwd: root,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('staff and audit CLIs (SQLite under CONSOLE_DATA_DIR)', () => {
  it('adds, lists, changes and verifies', async () => {
    const added = await run('staff', ['add', 'Ada@Example.com', 'admin', '--name', 'Ada Lovelace']);
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toContain('added ada@example.com (admin)');
    const generated = /password \(shown once\): (\S+)/.exec(added.stdout)?.[1];
    expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);

    // The script itself (argv, stdin, stdout, exit code), writing while this process writes too:
    // BEGIN IMMEDIATE plus the busy timeout serialize the two connections.
    const [spawned, ...inProcess] = await Promise.all([
      spawnStaff(['add', 'b@example.com', 'viewer', '--password-stdin'], 'b-password-1\n'),
      run('staff', ['add', 'c@example.com', 'viewer', '--password', 'c-password-1']),
      run('staff', ['add', 'd@example.com', 'viewer', '--password', 'd-password-1']),
    ]);
    expect(spawned, spawned.stderr).toMatchObject({ code: 0, stdout: 'added b@example.com (viewer)\n' });
    for (const r of inProcess) expect(r, r.stderr).toMatchObject({ code: 0 });
    expect(inProcess[0].stdout).not.toContain('shown once');

    const [duplicate, badRole, unknown, roleSet, disabled, passwordSet, missing] = await Promise.all([
      run('staff', ['add', 'ADA@example.com', 'qa']),
      run('staff', ['add', 'e@example.com', 'owner']),
      run('staff', ['frobnicate']),
      run('staff', ['set-role', 'b@example.com', 'moderator']),
      run('staff', ['disable', 'c@example.com']),
      run('staff', ['set-password', 'd@example.com', '--password-stdin'], 'stdin-password\n'),
      run('staff', ['disable', 'nobody@example.com']),
    ]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/already exists/);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toMatch(/Unknown role 'owner'.*viewer, support, moderator, qa, admin/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
    for (const r of [roleSet, disabled, passwordSet]) expect(r, r.stderr).toMatchObject({ code: 0 });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No staff member/);

    const [list, listJson] = await Promise.all([run('staff', ['list']), run('staff', ['list', '--json'])]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^EMAIL\s+ROLE\s+STATUS\s+PASSWORD\s+NAME\s+CREATED$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 4))).toEqual([
      ['ada@example.com', 'admin', 'active', 'yes'],
      ['b@example.com', 'moderator', 'active', 'yes'],
      ['c@example.com', 'viewer', 'disabled', 'yes'],
      ['d@example.com', 'viewer', 'active', 'yes'],
    ]);
    const json = JSON.parse(listJson.stdout);
    expect(json[0]).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace', hasPassword: true });
    expect(JSON.stringify(json)).not.toMatch(/scrypt/);

    // 4 created + role change + disable + password set.
    // The CLIs chain under the generated key they share with `npm start`, never the development key.
    const secrets = JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8'));
    expect(secrets.AUDIT_CHAIN_KEY).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(process.env.AUDIT_CHAIN_KEY).toBe(secrets.AUDIT_CHAIN_KEY);
    const checkpointed = await run('audit', ['checkpoint']);
    expect(checkpointed, checkpointed.stderr).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^checkpoint: seq 7 hash [0-9a-f]{64} key k[0-9a-f]{16} at /),
    });
    const verified = await run('audit', ['verify']);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(
      /^audit chain OK: 7 entries \(k[0-9a-f]{16} seq 1-7\); 1 checkpoints in .*checkpoints\.jsonl, 1 matched; latest seq 7 at /,
    );
    expect(verified.stdout).not.toMatch(/warning/);

    const raw = new SqliteDatabase(path.join(dataDir, 'console.db'));
    try {
      const actors = raw.prepare('select distinct actor_id, actor_email, via from audit_log').all();
      expect(actors).toEqual([{ actor_id: 'cli', actor_email: 'cli@localhost', via: 'cli' }]);
      const rows = JSON.stringify(raw.prepare('select * from audit_log').all());
      expect(rows).not.toContain('stdin-password');
      expect(rows).not.toContain('b-password-1');
      expect(() => raw.prepare("update audit_log set reason = 'edited' where seq = 3").run()).toThrow(/append-only/);
      expect(() => raw.prepare('delete from audit_log where seq = 7').run()).toThrow(/append-only/);
      // A writer of the file can drop the triggers; the chain and the checkpoint still tell.
      raw.exec('drop trigger audit_log_no_delete');
      raw.prepare('delete from audit_log where seq = 7').run();
    } finally {
      raw.close();
    }
    const [broken, usage] = await Promise.all([run('audit', ['verify']), run('audit', [])]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('[database] the append-only trigger audit_log_no_delete is missing');
    expect(broken.stdout).toMatch(/\[checkpoint\] seq 7: the log ends at seq 6, but the checkpoint of .* saw seq 7/);
    expect(usage.code).toBe(2);
  });
});
