import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('staff and audit CLIs (SQLite under CONSOLE_DATA_DIR)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'console-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function run(script: 'staff' | 'audit', args: string[], input?: string): Promise<Run> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CONSOLE_DATA_DIR: path.join(dir, 'data'),
      AUDIT_CHECKPOINT_FILE: path.join(dir, 'checkpoints.jsonl'),
      NODE_ENV: 'test',
    };
    for (const name of ['DATABASE_URL', 'AUDIT_CHAIN_KEY', 'FINGERPRINT_KEY', 'NEXTAUTH_SECRET']) delete env[name];
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', `scripts/${script}.ts`, ...args], {
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
      child.stdin.end(input ?? '');
    });
  }

  it('adds, lists, changes and verifies', async () => {
    const added = await run('staff', ['add', 'Ada@Example.com', 'admin', '--name', 'Ada Lovelace']);
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toContain('added ada@example.com (admin)');
    const generated = /password \(shown once\): (\S+)/.exec(added.stdout)?.[1];
    expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);

    // Several processes writing at once: BEGIN IMMEDIATE plus the busy timeout serialize them.
    const parallel = await Promise.all(
      ['b', 'c', 'd'].map((n) => run('staff', ['add', `${n}@example.com`, 'viewer', '--password', `${n}-password-1`])),
    );
    for (const r of parallel) expect(r, r.stderr).toMatchObject({ code: 0 });
    expect(parallel[0].stdout).not.toContain('shown once');

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
    const secrets = JSON.parse(readFileSync(path.join(dir, 'data', 'secrets.json'), 'utf8'));
    expect(secrets.AUDIT_CHAIN_KEY).toMatch(/^[A-Za-z0-9_-]{43}$/);
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

    const file = path.join(dir, 'data', 'console.db');
    const raw = new SqliteDatabase(file);
    try {
      const actors = raw.prepare('select distinct actor_id, actor_email, via from audit_log').all();
      expect(actors).toEqual([{ actor_id: 'cli', actor_email: 'cli@localhost', via: 'cli' }]);
      expect(JSON.stringify(raw.prepare('select * from audit_log').all())).not.toContain('stdin-password');
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
  }, 180_000);
});
