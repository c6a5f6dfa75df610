/**
 * Load (issue 7): 500 API mints at concurrency 25, against SQLite and against PostgreSQL with two
 * console processes behind the same database. Zero 5xx, and every way of counting the tokens
 * agrees: successful responses, 'issued' audit rows (read from the database itself, each row's
 * fingerprint matching the token its response carried), and the emulator's count of issued tokens.
 *
 * The spec runs its own processes from the build Playwright's webServer made: an emulator with the
 * CreateChatToken quota off (with it on, 25 concurrent mints are throttled by design, which is not
 * under test here) and standalone console servers with a policy whose per-key mint limit is lifted
 * to let 500 through (the limit has its own tests). Only 127.0.0.1.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import autocannon from 'autocannon';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { E2E } from './env';
import { emulatorControl } from '../test/emulator-control';
import { stopProcess as stopChild, waitUntilAnswering } from '../test/launcher';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST_DIR = join(ROOT, `.next-e2e-${E2E.port}`);
// Beside the main e2e console's ports (the shared emulator is E2E.port + 1510; oidc.spec uses +50, +60).
const EMULATOR_PORT = E2E.port + 22;
const CONSOLE_PORTS = [E2E.port + 20, E2E.port + 21] as const;
const EMULATOR_URL = `http://127.0.0.1:${EMULATOR_PORT}`;

const MINTS = 500;
const CONCURRENCY = 25;
// The seeded room meant for load (tags env=qa, purpose=load), so a qa key may mint in it.
const LOAD_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaLoadTest01';
const run = `${process.pid}-${Date.now().toString(36)}`;
const KEY_NAME = `load-${run}`;
const SECRETS = {
  NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
  FINGERPRINT_KEY: randomBytes(32).toString('base64url'),
  AUDIT_CHAIN_KEY: randomBytes(32).toString('base64url'),
};

const execFileAsync = promisify(execFile);

type Db = { CONSOLE_DATA_DIR: string } | { DATABASE_URL: string };

interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
}

const procs: Proc[] = [];
let tmp = '';
let policyFile = '';

function startProcess(name: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc: Proc = { name, child, log: '' };
  const keep = (chunk: Buffer) => {
    proc.log = (proc.log + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  procs.push(proc);
  return proc;
}

async function stopProcess(proc: Proc): Promise<void> {
  const index = procs.indexOf(proc);
  if (index >= 0) procs.splice(index, 1);
  await stopChild(proc.child);
}

function waitForOk(proc: Proc, url: string, timeoutMs = 60_000): Promise<void> {
  return waitUntilAnswering(proc.child, url, timeoutMs, () => `${proc.name}:\n${proc.log}`);
}

/**
 * A clean environment for the console's processes and CLIs, configured as in production: nothing
 * inherited (DATABASE_URL, IVSCHAT_*) can point them elsewhere.
 */
function baseEnv(db: Db): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    ...SECRETS,
    POLICY_FILE: policyFile,
    LOG_LEVEL: 'warn',
    ...db,
  };
}

async function startConsole(port: number, db: Db): Promise<Proc> {
  const proc = startProcess(`console :${port}`, [join(DIST_DIR, 'standalone', 'server.js')], {
    ...baseEnv(db),
    PORT: String(port),
    HOSTNAME: '127.0.0.1',
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    IVSCHAT_ENDPOINT: EMULATOR_URL,
    IVSCHAT_ACCESS_KEY_ID: 'test',
    IVSCHAT_SECRET_ACCESS_KEY: 'test',
    IVSCHAT_REGIONS: 'us-east-1,us-west-2,eu-west-1',
  });
  await waitForOk(proc, `http://127.0.0.1:${port}/api/v1/openapi.json`);
  return proc;
}

/** A CLI of the console's (scripts/*.ts) against the given database. */
async function consoleCli(script: string, args: string[], db: Db): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ['--conditions=react-server', '--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: baseEnv(db),
      encoding: 'utf8',
    });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

async function createLoadKey(db: Db): Promise<string> {
  const created = await consoleCli('scripts/staff.ts', ['api-key', 'create', KEY_NAME, 'qa', '--json'], db);
  expect(created.code, created.out).toBe(0);
  return (JSON.parse(created.out) as { key: string }).key;
}

async function tokensIssued(): Promise<number> {
  return (await emulatorControl(EMULATOR_URL).stats()).tokensIssued;
}

interface LoadResult {
  result: autocannon.Result;
  statuses: Record<string, number>;
  /** The first body seen for each status other than 201, so a failure says what went wrong. */
  samples: Record<string, string>;
  /** auditId -> token, from every 201. */
  minted: Map<string, string>;
  tokens: string[];
  perPort: Record<string, number>;
  errors: number;
  timeouts: number;
  responses: number;
}

/** 500 POST /api/v1/tokens at 25 connections; with several URLs, autocannon spreads the connections round-robin. */
async function fireMints(ports: readonly number[], key: string): Promise<LoadResult> {
  const out: Omit<LoadResult, 'result'> = {
    statuses: {},
    samples: {},
    minted: new Map(),
    tokens: [],
    perPort: {},
    errors: 0,
    timeouts: 0,
    responses: 0,
  };
  let n = 0;
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  const instance = autocannon({
    // autocannon takes several URLs (connection i goes to url i % n); its types say one string.
    url: (urls.length === 1 ? urls[0] : urls) as string,
    amount: MINTS,
    connections: CONCURRENCY,
    timeout: 30,
    setupClient: (client) => {
      const port = String((client as unknown as { opts: { port: string | number } }).opts.port);
      client.on('response', () => {
        out.perPort[port] = (out.perPort[port] ?? 0) + 1;
      });
    },
    requests: [
      {
        method: 'POST',
        path: '/api/v1/tokens',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({
            roomArn: LOAD_ROOM,
            userId: `load-user-${n++}`,
            capabilities: ['SEND_MESSAGE'],
            sessionDurationInMinutes: 30,
          }),
        }),
        onResponse: (status, body) => {
          out.responses++;
          out.statuses[status] = (out.statuses[status] ?? 0) + 1;
          let minted: { token?: string; auditId?: string } = {};
          try {
            minted = JSON.parse(body);
          } catch {
            // counted below as a response without a token
          }
          if (status === 201 && minted.token && minted.auditId) {
            out.tokens.push(minted.token);
            out.minted.set(minted.auditId, minted.token);
          } else {
            out.samples[status] ??= body.slice(0, 500);
          }
        },
      },
    ],
  });
  const result = await instance;
  return { ...out, result, errors: result.errors, timeouts: result.timeouts };
}

interface MintRow {
  id: string;
  status: string;
  fingerprint: string | null;
}

// A request entry with its completion entry (if any), as the store folds them (lib/audit/chain.ts).
const MINT_ROWS_SQL =
  `select e.id, case c.action when 'mint.issued' then 'issued' when 'mint.failed' then 'failed' else 'pending' end as status, c.fingerprint ` +
  `from audit_log e left join audit_log c on c.ref_seq = e.seq where e.action = 'token.minted' and e.api_key_name = `;

async function loadAndCheck(
  label: string,
  ports: readonly number[],
  db: Db,
  readRows: () => Promise<MintRow[]>,
  key: string,
): Promise<void> {
  const issuedBefore = await tokensIssued();
  const started = Date.now();
  const load = await fireMints(ports, key);
  const wallMs = Date.now() - started;
  const issuedByEmulator = (await tokensIssued()) - issuedBefore;
  const rows = await readRows();
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const ok = Object.entries(load.statuses).reduce((sum, [s, c]) => sum + (Number(s) >= 200 && Number(s) < 300 ? c : 0), 0);
  const fiveXx = Object.entries(load.statuses).reduce((sum, [s, c]) => sum + (Number(s) >= 500 ? c : 0), 0);
  const { latency } = load.result;
  console.log(
    `[load ${label}] ${load.responses} responses in ${wallMs} ms (${Math.round((load.responses / wallMs) * 1000)}/s) at ${CONCURRENCY} connections; ` +
      `latency p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms; statuses ${JSON.stringify(load.statuses)}; ` +
      `errors ${load.errors}, timeouts ${load.timeouts}; per process ${JSON.stringify(load.perPort)}; ` +
      `audit rows ${JSON.stringify(byStatus)}; emulator tokensIssued +${issuedByEmulator}`,
  );

  expect(load.errors, 'connection errors or timeouts').toBe(0);
  expect(load.responses).toBe(MINTS);
  // Soft, so that a bad status still lets the counts below be compared and reported.
  expect.soft(fiveXx, `5xx responses; first bodies per status: ${JSON.stringify(load.samples)}`).toBe(0);
  // Every mint is within the key's role and the lifted limit, so anything but 201 is a finding.
  expect.soft(load.statuses, `statuses other than 201 appeared; first bodies: ${JSON.stringify(load.samples)}`).toEqual({ 201: MINTS });

  // Issued audit rows == successful responses == tokens the emulator issued.
  expect(byStatus.issued ?? 0).toBe(ok);
  expect(issuedByEmulator).toBe(ok);
  expect(byStatus.pending ?? 0, "'pending' audit rows left behind").toBe(0);
  expect(rows.length, 'every mint request wrote exactly one audit row').toBe(MINTS);

  // Every token is distinct, and each 'issued' row is the one its response named, fingerprinting its token.
  expect(new Set(load.tokens).size).toBe(load.tokens.length);
  expect(load.minted.size).toBe(ok);
  let matched = 0;
  for (const r of rows) {
    if (r.status !== 'issued') continue;
    const token = load.minted.get(r.id);
    expect(token, `issued audit row ${r.id} was not returned by any response`).toBeDefined();
    expect(r.fingerprint).toBe(createHmac('sha256', SECRETS.FINGERPRINT_KEY).update(token!, 'utf8').digest('hex'));
    matched++;
  }
  expect(matched).toBe(ok);

  if (ports.length > 1) {
    for (const p of ports) expect(load.perPort[String(p)] ?? 0, `process on :${p} served no mints`).toBeGreaterThan(0);
  }

  const verify = await consoleCli('scripts/audit.ts', ['verify'], db);
  console.log(`[load ${label}] ${verify.out.trim()}`);
  expect(verify.code, verify.out).toBe(0);
  expect(verify.out).toMatch(/audit chain OK: \d+ entries/);
  // A request and a completion per mint.
  expect(Number(/(\d+) entries/.exec(verify.out)![1])).toBeGreaterThanOrEqual(2 * MINTS);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(60_000);
  tmp = mkdtempSync(join(tmpdir(), `console-load-${E2E.port}-`));
  // The policy as shipped, with the per-key mint limit lifted above the run (that limit is not under test).
  const policy = JSON.parse(readFileSync(join(ROOT, 'config/policy.json'), 'utf8'));
  policy.rateLimits.mintPerApiKey = { max: MINTS * 10, windowSeconds: 60 };
  policyFile = join(tmp, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(policy, null, 2));

  const emulatorArgs = [
    '--import',
    'tsx',
    'emulator/cli.ts',
    '--port',
    String(EMULATOR_PORT),
    '--host',
    '127.0.0.1',
    '--no-quota',
    '--quiet',
  ];
  const emulator = startProcess('emulator', emulatorArgs, { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' });
  await waitForOk(emulator, `${EMULATOR_URL}/_emulator/stats`, 30_000);
});

test.afterAll(async () => {
  await Promise.all([...procs].map(stopProcess));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('SQLite: 500 mints at concurrency 25, zero 5xx, responses = issued audit rows = tokens the emulator issued', async () => {
  test.setTimeout(120_000);
  const dataDir = join(tmp, 'sqlite');
  const db: Db = { CONSOLE_DATA_DIR: dataDir };
  const key = await createLoadKey(db);
  const consoleProc = await startConsole(CONSOLE_PORTS[0], db);
  try {
    await loadAndCheck(
      'sqlite',
      [CONSOLE_PORTS[0]],
      db,
      async () => {
        const sqlite = new SqliteDatabase(join(dataDir, 'console.db'), { readonly: true, fileMustExist: true });
        try {
          return sqlite.prepare(`${MINT_ROWS_SQL}?`).all(KEY_NAME) as MintRow[];
        } finally {
          sqlite.close();
        }
      },
      key,
    );
  } finally {
    await stopProcess(consoleProc);
  }
});

/** A fresh database on the test cluster for this run, owned by the test role; dropped afterwards. */
function loadDatabaseUrl(testUrl: string, name: string): string {
  const url = new URL(testUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function createDatabase(testUrl: string, name: string): Promise<void> {
  const owner = decodeURIComponent(new URL(testUrl).username);
  await dropDatabase(testUrl, name);
  if (process.getuid?.() === 0) {
    // CI runs as root with a test role that may not create databases (.ci/run): ask the cluster's superuser.
    const made = spawnSync('su', ['postgres', '-c', `createdb -O ${owner} ${name}`], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`createdb ${name} failed: ${made.stderr}`);
    return;
  }
  const client = new pg.Client({ connectionString: testUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

async function dropDatabase(testUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: testUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
  } finally {
    await client.end();
  }
}

test('PostgreSQL, two console processes: 500 mints at concurrency 25 round-robin, zero 5xx, the counts agree', async () => {
  test.setTimeout(150_000);
  const testUrl = process.env.TEST_DATABASE_URL;
  test.skip(!testUrl, 'TEST_DATABASE_URL is not set (npm test sets it when PostgreSQL is available)');
  const name = `console_load_${E2E.port}_${process.pid}`;
  await createDatabase(testUrl!, name);
  const databaseUrl = loadDatabaseUrl(testUrl!, name);
  const db: Db = { DATABASE_URL: databaseUrl };
  const consoles: Proc[] = [];
  try {
    // The CLI applies the migrations before either console starts, as an operator's first command would.
    const key = await createLoadKey(db);
    consoles.push(...(await Promise.all(CONSOLE_PORTS.map((p) => startConsole(p, db)))));
    await loadAndCheck(
      'postgres x2',
      CONSOLE_PORTS,
      db,
      async () => {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          return (await client.query<MintRow>(`${MINT_ROWS_SQL}$1`, [KEY_NAME])).rows;
        } finally {
          await client.end();
        }
      },
      key,
    );
  } finally {
    await Promise.all(consoles.map(stopProcess));
    await dropDatabase(testUrl!, name);
  }
});
