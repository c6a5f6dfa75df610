/**
 * The shared quota (issue 15): CreateChatToken is 200 calls a second per account and region, and
 * the production app's token server spends the same budget. Two console processes on one
 * PostgreSQL database, each running a bulk job and API batches, against an emulator whose quota is
 * on, while a separate client plays the production app at 150 mints a second in the same account
 * and region. The console's share is 40/s (IVSCHAT_MINT_RATE_PER_SECOND), so the two together stay
 * under AWS's 200: the production client is never throttled, every console row is issued, and the
 * console's combined rate stays within its share. The rates are the emulator's own: production
 * signs with an access key of its own in the same account, and the emulator reports each key's
 * busiest sliding second (the window its quota counts in).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { signIn } from '../bench/lib';
import { E2E } from './env';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST_DIR = join(ROOT, `.next-e2e-${E2E.port}`);
// Beside the other specs' ports (load.spec uses +20..+22, oidc.spec +50, +60).
const EMULATOR_PORT = E2E.port + 32;
const CONSOLE_PORTS = [E2E.port + 30, E2E.port + 31] as const;
const EMULATOR_URL = `http://127.0.0.1:${EMULATOR_PORT}`;
const ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaLoadTest01';
const PROD_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
const SHARE = 40;
const PRODUCTION_RATE = 150;
const BULK_ROWS = 160;
const BATCHES = 2;
const BATCH_SIZE = 60;
const SECRETS = {
  NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
  FINGERPRINT_KEY: randomBytes(32).toString('base64url'),
  AUDIT_CHAIN_KEY: randomBytes(32).toString('base64url'),
};
const PRODUCTION_KEY = { accessKeyId: 'AKIAPRODUCTIONAPP01', secretAccessKey: 'production-app-secret' };
const STAFF = { email: `quota-${process.pid}@e2e.test`, password: 'shared quota test password' };
const execFileAsync = promisify(execFile);

const children: ChildProcess[] = [];
let tmp = '';
let policyFile = '';
let emulatorProcess: { child: ChildProcess; log: () => string } | undefined;

function start(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; log: () => string } {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (c: Buffer) => (log = (log + c.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  children.push(child);
  return { child, log: () => log };
}

async function waitForOk(url: string, proc: { child: ChildProcess; log: () => string }, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null) throw new Error(`exited (${proc.child.exitCode}):\n${proc.log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${proc.log()}`);
}

function baseEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    ...SECRETS,
    POLICY_FILE: policyFile,
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    IVSCHAT_ENDPOINT: EMULATOR_URL,
    IVSCHAT_ACCESS_KEY_ID: 'test',
    IVSCHAT_SECRET_ACCESS_KEY: 'test',
    IVSCHAT_REGIONS: 'us-east-1',
    IVSCHAT_MINT_RATE_PER_SECOND: String(SHARE),
  };
}

async function cli(args: string[], databaseUrl: string): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/staff.ts', ...args], {
    cwd: ROOT,
    env: baseEnv(databaseUrl),
    encoding: 'utf8',
  });
  return stdout;
}

interface CallerStats {
  calls: number;
  throttled: number;
  busiestWindow: number;
}

/** What the emulator counted of one access key's CreateChatToken calls. */
async function mintsBy(accessKeyId: string): Promise<CallerStats> {
  const stats = (await (await fetch(`${EMULATOR_URL}/_emulator/stats`)).json()) as {
    callers: Record<string, Record<string, CallerStats>>;
  };
  return stats.callers[accessKeyId]?.CreateChatToken ?? { calls: 0, throttled: 0, busiestWindow: 0 };
}

/**
 * The production app: CreateChatToken at a steady rate, straight to the service, never retried. A
 * send that is due while the process is busy goes out late but never in a burst of catching up
 * (which would be the test's own client exceeding 150/s); what the emulator counted is checked.
 */
function production(rate: number) {
  const client = new IvschatClient({
    region: 'us-east-1',
    endpoint: EMULATOR_URL,
    credentials: PRODUCTION_KEY,
    maxAttempts: 1,
  });
  const counts = { sent: 0, ok: 0, throttled: 0, other: 0 };
  const errors: Record<string, number> = {};
  const calls: Promise<void>[] = [];
  let stopped = false;
  const interval = 1000 / rate;
  const loop = (async () => {
    let due = performance.now();
    for (let i = 0; !stopped; i++) {
      const now = performance.now();
      // Behind schedule: the next send is now, not the ones missed.
      due = Math.max(due, now - interval);
      await new Promise((r) => setTimeout(r, Math.max(0, due - now)));
      due += interval;
      counts.sent++;
      calls.push(
        client
          .send(new CreateChatTokenCommand({ roomIdentifier: PROD_ROOM, userId: `viewer-${i}`, capabilities: ['SEND_MESSAGE'] }))
          .then(() => void counts.ok++)
          .catch((err: { name?: string }) => {
            if (err.name === 'ThrottlingException') counts.throttled++;
            else counts.other++;
            errors[err.name ?? 'Error'] = (errors[err.name ?? 'Error'] ?? 0) + 1;
          }),
      );
    }
  })();
  return {
    counts,
    errors,
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(calls);
      client.destroy();
    },
  };
}

interface BulkJob {
  status: string;
  issued: number;
  failed: number;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), `console-quota-${E2E.port}-`));
  const policy = JSON.parse(readFileSync(join(ROOT, 'config/policy.json'), 'utf8'));
  policy.rateLimits.mintPerApiKey = { max: 10_000, windowSeconds: 60 };
  policy.rateLimits.bulkRowsPerStaff = { max: 10_000, windowSeconds: 3600 };
  policyFile = join(tmp, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(policy, null, 2));
  // The production app is another IAM user of the same account: same quota, its own key.
  const production = JSON.stringify({ id: '123456789012', accessKeys: [{ ...PRODUCTION_KEY, userName: 'production-app' }] });
  const args = ['--port', String(EMULATOR_PORT), '--host', '127.0.0.1', '--account', production, '--quiet'];
  const emulator = start(['--import', 'tsx', 'emulator/cli.ts', ...args], {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
  });
  await waitForOk(`${EMULATOR_URL}/_emulator/stats`, emulator, 30_000);
  emulatorProcess = emulator;
});

test.afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// The done-when test. It needs a machine that can carry production's 150/s beside two
// consoles: on one loaded by other work (load average 25 to 30) production reached 45/s and the
// test fails on "production reached its rate", which says so rather than passing on nothing.
test('two consoles on one PostgreSQL share 40/s beside a production app at 150/s: nobody is throttled, every row is issued', async () => {
  // Bounded: two servers start in seconds, then ~15 s of minting at the share.
  test.setTimeout(100_000);
  const testUrl = process.env.TEST_DATABASE_URL;
  test.skip(!testUrl, 'TEST_DATABASE_URL is not set (npm test sets it when PostgreSQL is available)');
  const name = `console_quota_${E2E.port}_${process.pid}`;
  const owner = decodeURIComponent(new URL(testUrl!).username);
  const admin = new pg.Client({ connectionString: testUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  if (process.getuid?.() === 0) spawnSync('su', ['postgres', '-c', `createdb -O ${owner} ${name}`]);
  else await admin.query(`create database ${name}`);
  const url = new URL(testUrl!);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  let watch: NodeJS.Timeout | undefined;
  try {
    await cli(['add', STAFF.email, 'qa', '--password', STAFF.password], databaseUrl);
    const key = (JSON.parse(await cli(['api-key', 'create', `quota-${process.pid}`, 'qa', '--json'], databaseUrl)) as { key: string }).key;
    const consoles = CONSOLE_PORTS.map((port) =>
      start([join(DIST_DIR, 'standalone', 'server.js')], {
        ...baseEnv(databaseUrl),
        PORT: String(port),
        HOSTNAME: '127.0.0.1',
        NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      }),
    );
    await Promise.all(consoles.map((c, i) => waitForOk(`http://127.0.0.1:${CONSOLE_PORTS[i]}/api/health`, c)));
    const cookies = await Promise.all(CONSOLE_PORTS.map((port) => signIn(`http://127.0.0.1:${port}`, STAFF)));

    const prod = production(PRODUCTION_RATE);
    // Progress every 5 s, so a run that does not finish says where it stood.
    watch = setInterval(() => {
      void Promise.all([mintsBy('test'), mintsBy(PRODUCTION_KEY.accessKeyId)]).then(
        ([c, p]) =>
          console.log(`[shared quota] console ${JSON.stringify(c)}; production ${JSON.stringify(p)} ${JSON.stringify(prod.counts)}`),
        (err: Error) =>
          console.log(
            `[shared quota] emulator unreachable (${err.message}; exit ${emulatorProcess?.child.exitCode}): ${emulatorProcess?.log()}`,
          ),
      );
    }, 5_000);
    await new Promise((r) => setTimeout(r, 1_000)); // production is up to speed before the console starts
    const consoleStarted = performance.now();

    const bulkIds = await Promise.all(
      CONSOLE_PORTS.map(async (port, i) => {
        const res = await fetch(`http://127.0.0.1:${port}/api/bulk/jobs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: cookies[i]!, origin: `http://127.0.0.1:${port}` },
          body: JSON.stringify({
            roomArn: ROOM,
            capabilities: ['SEND_MESSAGE'],
            sessionDurationInMinutes: 30,
            reason: 'shared quota test',
            source: { kind: 'template', template: `bulk${i}-{n}`, start: 1, count: BULK_ROWS },
          }),
        });
        expect(res.status, await res.clone().text()).toBe(202);
        const body = (await res.json()) as { id?: string; data?: { id: string } };
        return (body.data?.id ?? body.id)!;
      }),
    );
    const batchResults = await Promise.all(
      CONSOLE_PORTS.flatMap((port, i) =>
        Array.from({ length: BATCHES }, async (_, b) => {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/tokens`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({
              requests: Array.from({ length: BATCH_SIZE }, (_, n) => ({
                roomArn: ROOM,
                userId: `api${i}-${b}-${n}`,
                capabilities: ['SEND_MESSAGE'],
                sessionDurationInMinutes: 30,
              })),
            }),
          });
          expect(res.status).toBe(200);
          return (await res.json()) as { issued: number; failed: number; results: { ok: boolean; error?: unknown }[] };
        }),
      ),
    );
    // Every bulk row settles.
    const jobs = await Promise.all(
      CONSOLE_PORTS.map(async (port, i) => {
        for (;;) {
          const res = await fetch(`http://127.0.0.1:${port}/api/bulk/jobs/${bulkIds[i]}`, { headers: { cookie: cookies[i]! } });
          expect(res.status).toBe(200);
          // GET /api/bulk/jobs/:id answers the job with its first page of rows: { job, rows, ... }.
          const { job } = (await res.json()) as { job: BulkJob };
          if (job.status !== 'running' && job.status !== 'queued') return job;
          await new Promise((r) => setTimeout(r, 250));
        }
      }),
    );
    const consoleMs = performance.now() - consoleStarted;
    clearInterval(watch);
    await prod.stop();

    const consoleTotal = BULK_ROWS * 2 + BATCHES * BATCH_SIZE * 2;
    const [consoleSeen, productionSeen] = await Promise.all([mintsBy('test'), mintsBy(PRODUCTION_KEY.accessKeyId)]);
    console.log(
      `[shared quota] production ${JSON.stringify(prod.counts)} ${JSON.stringify(prod.errors)} (emulator: ${JSON.stringify(productionSeen)}); ` +
        `console ${consoleTotal} rows in ${Math.round(consoleMs)} ms (${((consoleTotal / consoleMs) * 1000).toFixed(1)}/s average; ` +
        `emulator: ${JSON.stringify(consoleSeen)}); jobs ${JSON.stringify(jobs)}; batches ${JSON.stringify(batchResults.map((b) => [b.issued, b.failed]))}`,
    );

    expect(prod.counts.throttled, 'the production app was throttled').toBe(0);
    expect(productionSeen.throttled).toBe(0);
    expect(prod.counts.other, JSON.stringify(prod.errors)).toBe(0);
    // The production app really ran at its rate (a machine too busy for it would show nothing).
    expect(productionSeen.busiestWindow, 'production reached its rate').toBeGreaterThanOrEqual(PRODUCTION_RATE * 0.9);
    for (const job of jobs) expect(job).toMatchObject({ status: 'completed', issued: BULK_ROWS, failed: 0 });
    for (const batch of batchResults)
      expect(batch, JSON.stringify(batch.results.find((r) => !r.ok))).toMatchObject({ issued: BATCH_SIZE, failed: 0 });
    // Within the share, as the emulator counted the console's calls arriving: no sliding second over 40.
    expect(consoleSeen.busiestWindow, "the console's busiest second").toBeLessThanOrEqual(SHARE);
    expect(consoleSeen.calls).toBeGreaterThanOrEqual(consoleTotal);
    // And the share was used: 560 calls at 40/s cannot finish in less than ~13 s.
    expect(consoleMs).toBeGreaterThan(((consoleTotal - SHARE) / SHARE) * 1000);
  } finally {
    clearInterval(watch);
    for (const child of children.splice(1)) child.kill('SIGTERM');
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
  }
});
