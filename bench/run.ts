/**
 * `npm run bench`: every benchmark of issue 7 against the built console and its emulator on
 * 127.0.0.1, one table of figures with ratios against baselines measured in the same run, and the
 * same as JSON in bench/results/ (bench-<timestamp>.json and latest.json). A benchmark, not a test:
 * nothing here fails because of a time; a target that is missed shows as "NO" in the table.
 *
 *   npm run bench [-- --only mint-api,bulk] [--skip ui] [--port 3900] [--emulator-port 3901] [--no-build]
 *
 * Flow: a fresh data folder (.data/bench-<port>) with a copy of the policy whose rate limits are
 * lifted; PostgreSQL for the suites that use it (BENCH_DATABASE_URL, TEST_DATABASE_URL, or the local
 * cluster as `npm test` prepares it; otherwise those rows are skipped with a note); every suite's
 * prepare(); the console through scripts/start.ts (the build in NEXT_DIST_DIR, default .next, built
 * there first if missing or older than the sources) with its emulator, quota off; an admin staff
 * member and API key through scripts/staff.ts; every suite's run(). A suite that throws becomes a
 * row with met: false and the error in its notes; the others still run. The console is always stopped.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { localSecrets } from '../scripts/local-secrets';
import { ensurePostgres } from '../scripts/postgres';
import { formatTable, stopConsole, waitForConsole, type BenchContext, type BenchRow, type PrepareContext, type Suite } from './lib';

const SUITES = ['mint-api', 'emulator', 'bulk', 'fanout', 'ui', 'audit'] as const;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage: npm run bench -- [--only a,b] [--skip a,b] [--port 3900] [--emulator-port <port+1>] [--no-build]
suites, in order: ${SUITES.join(', ')}`;

const say = (line: string) => process.stdout.write(`${line}\n`);

function parseOptions() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      skip: { type: 'string' },
      port: { type: 'string' },
      'emulator-port': { type: 'string' },
      'no-build': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    say(USAGE);
    process.exit(0);
  }
  const list = (v?: string) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const only = list(values.only);
  const skip = list(values.skip);
  for (const name of [...only, ...skip]) {
    if (!(SUITES as readonly string[]).includes(name)) throw new Error(`unknown suite '${name}'\n${USAGE}`);
  }
  const port = Number(values.port ?? process.env.BENCH_PORT ?? 3900);
  const emulatorPort = Number(values['emulator-port'] ?? process.env.BENCH_EMULATOR_PORT ?? port + 1);
  for (const [flag, p] of [
    ['--port', port],
    ['--emulator-port', emulatorPort],
  ] as const) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`${flag} must be a TCP port\n${USAGE}`);
  }
  const suites = SUITES.filter((s) => (only.length === 0 || only.includes(s)) && !skip.includes(s));
  return { suites, port, emulatorPort, noBuild: values['no-build'] === true };
}

/** config/policy.json with every rate limit lifted to the schema's maximum: the bench measures the mint path, not the limiter. */
function writeBenchPolicy(dataDir: string): string {
  const policy = JSON.parse(readFileSync(join(root, 'config/policy.json'), 'utf8')) as {
    rateLimits?: Record<string, { max: number; windowSeconds: number }>;
  };
  policy.rateLimits = {
    mintPerStaff: { max: 1_000_000, windowSeconds: 60 },
    mintPerApiKey: { max: 1_000_000, windowSeconds: 60 },
    bulkRowsPerStaff: { max: 1_000_000, windowSeconds: 3600 },
  };
  const file = join(dataDir, 'policy.json');
  writeFileSync(file, JSON.stringify(policy, null, 2));
  return file;
}

function seededRooms(): { arn: string; region: string }[] {
  const seed = JSON.parse(readFileSync(join(root, 'emulator/seed.json'), 'utf8')) as { rooms: { id: string; region: string }[] };
  // The emulator's default account (emulator/index.ts), which scripts/start.ts does not change.
  return seed.rooms.map((r) => ({ arn: `arn:aws:ivschat:${r.region}:123456789012:room/${r.id}`, region: r.region }));
}

async function postgresFor(): Promise<{ url?: string; note?: string }> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? ensurePostgres() ?? undefined;
  if (!url) return { note: 'PostgreSQL is not available (set BENCH_DATABASE_URL or TEST_DATABASE_URL): PostgreSQL rows are skipped.' };
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { url };
  } catch (err) {
    return {
      note: `PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//')} is not reachable (${err instanceof Error ? err.message : String(err)}): PostgreSQL rows are skipped.`,
    };
  } finally {
    await client.end().catch(() => {});
  }
}

function machineInfo() {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  const cpus = os.cpus();
  const dirty = git(['status', '--porcelain']);
  return {
    node: process.version,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? null,
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    gitCommit: git(['rev-parse', 'HEAD']),
    gitDirty: dirty === null ? null : dirty.length > 0,
  };
}

function staffCli(env: NodeJS.ProcessEnv, args: string[]): string {
  return execFileSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', join(root, 'scripts/staff.ts'), ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function loadSuite(name: string): Promise<Suite> {
  const file = join(root, 'bench/suites', `${name}.ts`);
  if (!existsSync(file)) throw new Error(`bench/suites/${name}.ts does not exist yet`);
  const mod = (await import(pathToFileURL(file).href)) as { default?: Suite; suite?: Suite };
  const suite = mod.default ?? mod.suite;
  if (!suite || typeof suite.run !== 'function')
    throw new Error(`bench/suites/${name}.ts exports no suite (default export or named 'suite')`);
  return suite;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

function failedRow(name: string, stage: string, err: unknown): BenchRow {
  return {
    id: `${name}-error`,
    benchmark: `${name} suite`,
    unit: '',
    target: 'runs',
    met: false,
    notes: `${stage} failed: ${errorText(err)}`,
  };
}

/** Starts the console (scripts/start.ts, with its emulator), adds the bench staff member and API key, runs the suites, always stops the console. */
async function runWithConsole(
  opts: ReturnType<typeof parseOptions>,
  consoleEnv: Record<string, string>,
  parentEnv: NodeJS.ProcessEnv,
  prepareCtx: PrepareContext,
  ready: { name: string; suite: Suite }[],
  roomArn: string,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const { dataDir } = prepareCtx;
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  const consoleUrl = consoleEnv.NEXTAUTH_URL;
  const emulatorUrl = consoleEnv.IVSCHAT_ENDPOINT;
  // scripts/start.ts starts the emulator itself only when IVSCHAT_ENDPOINT is unset.
  const startEnv: NodeJS.ProcessEnv = {
    ...parentEnv,
    ...consoleEnv,
    PORT: String(opts.port),
    HOST: '127.0.0.1',
    EMULATOR_PORT: String(opts.emulatorPort),
    EMULATOR_QUOTA: 'off',
    NEXT_DIST_DIR: distDir,
  };
  delete startEnv.IVSCHAT_ENDPOINT;
  const logFile = join(dataDir, 'console.log');
  const logFd = openSync(logFile, 'a');
  say(`console: starting (builds ${distDir} first if it is missing or older than the sources; log ${logFile})`);
  const child = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', join(root, 'scripts/start.ts'), ...(opts.noBuild ? ['--no-build'] : [])],
    {
      cwd: root,
      env: startEnv,
      stdio: ['ignore', logFd, logFd],
      detached: true,
    },
  );
  closeSync(logFd);
  const interrupted = () => {
    void stopConsole(child).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    const t0 = performance.now();
    await waitForConsole(consoleUrl, child, 20 * 60_000, `see ${logFile}`);
    say(`console: serving after ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const staff = { email: 'bench-admin@console.local', password: randomBytes(18).toString('base64url') };
    const cliEnv = { ...parentEnv, ...consoleEnv };
    staffCli(cliEnv, ['add', staff.email, 'admin', '--name', 'Bench admin', '--password', staff.password]);
    const created = JSON.parse(staffCli(cliEnv, ['api-key', 'create', `bench-${opts.port}`, 'admin', '--json'])) as { key: string };

    const ctx: BenchContext = {
      ...prepareCtx,
      consoleUrl,
      emulatorUrl,
      distDir,
      // What the standalone server got from scripts/start.ts, for suites that start another one.
      consoleEnv: { ...consoleEnv, NODE_ENV: 'production' },
      staff,
      apiKey: created.key,
      roomArn,
      log: (line) => say(`  ${line}`),
    };
    for (const s of ready) {
      const t1 = performance.now();
      say(`[${s.name}] run…`);
      try {
        const got = await s.suite.run({ ...ctx, log: (line) => say(`  [${s.name}] ${line}`) });
        rows.push(...got);
        say(`[${s.name}] done in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
      } catch (err) {
        say(`[${s.name}] failed: ${errorText(err)}`);
        rows.push(failedRow(s.name, 'run', err));
      }
    }
  } catch (err) {
    say(`bench: ${errorText(err)}`);
    for (const s of ready) rows.push(failedRow(s.name, 'console start', err));
  } finally {
    await stopConsole(child);
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
  return rows;
}

async function main(): Promise<number> {
  const opts = parseOptions();
  const started = new Date();
  const dataDir = join(root, '.data', `bench-${opts.port}`);
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  const consoleUrl = `http://127.0.0.1:${opts.port}`;
  const emulatorUrl = `http://127.0.0.1:${opts.emulatorPort}`;
  const runnerNotes: string[] = [];
  say(`bench: suites ${opts.suites.join(', ') || '(none)'}; console ${consoleUrl}, emulator ${emulatorUrl}, build ${distDir}`);

  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const policyFile = writeBenchPolicy(dataDir);
  runnerNotes.push(
    'The console runs with a copy of config/policy.json whose rate limits (mintPerStaff, mintPerApiKey, bulkRowsPerStaff) are lifted to 1,000,000 per window, so the figures measure the mint path, not the limiter; the limiter is still consulted on every mint.',
  );
  const rooms = seededRooms();
  const consoleEnv: Record<string, string> = {
    NEXT_TELEMETRY_DISABLED: '1',
    CONSOLE_DATA_DIR: dataDir,
    POLICY_FILE: policyFile,
    NEXTAUTH_URL: consoleUrl,
    // The data folder's own secrets (secrets.json, as `npm start` keeps them), so the filled log can be
    // opened again after the run: CONSOLE_DATA_DIR=.data/bench-<port> npm start, e.g. to profile it.
    ...localSecrets(dataDir),
    IVSCHAT_ENDPOINT: emulatorUrl,
    IVSCHAT_ACCESS_KEY_ID: 'test',
    IVSCHAT_SECRET_ACCESS_KEY: 'test',
    IVSCHAT_REGIONS: [...new Set(rooms.map((r) => r.region))].join(','),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  // Server modules a suite imports (lib/env reads process.env once, at import) see the console's configuration.
  const parentEnv = { ...process.env };
  delete parentEnv.DATABASE_URL;
  Object.assign(process.env, consoleEnv);

  const pgInfo = await postgresFor();
  if (pgInfo.note) runnerNotes.push(pgInfo.note);
  const prepareCtx: PrepareContext = { root, dataDir, pgUrl: pgInfo.url };

  const rows: BenchRow[] = [];
  const suites: { name: string; suite: Suite }[] = [];
  for (const name of opts.suites) {
    try {
      suites.push({ name, suite: await loadSuite(name) });
    } catch (err) {
      rows.push(failedRow(name, 'loading', err));
    }
  }
  const ready: { name: string; suite: Suite }[] = [];
  for (const s of suites) {
    if (!s.suite.prepare) {
      ready.push(s);
      continue;
    }
    const t0 = performance.now();
    say(`[${s.name}] prepare…`);
    try {
      await s.suite.prepare(prepareCtx);
      say(`[${s.name}] prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      ready.push(s);
    } catch (err) {
      say(`[${s.name}] prepare failed: ${errorText(err)}`);
      rows.push(failedRow(s.name, 'prepare', err));
    }
  }

  if (ready.length > 0) rows.push(...(await runWithConsole(opts, consoleEnv, parentEnv, prepareCtx, ready, rooms[0].arn)));

  const finished = new Date();
  say('');
  say(formatTable(rows));
  say('');
  for (const r of rows) if (r.notes) say(`- ${r.benchmark}: ${r.notes}`);
  for (const n of runnerNotes) say(`- ${n}`);

  const report = {
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSeconds: Number(((finished.getTime() - started.getTime()) / 1000).toFixed(1)),
    machine: machineInfo(),
    options: {
      suites: opts.suites,
      port: opts.port,
      emulatorPort: opts.emulatorPort,
      distDir,
      postgres: pgInfo.url ? pgInfo.url.replace(/\/\/[^@]*@/, '//') : null,
    },
    notes: runnerNotes,
    rows,
  };
  const resultsDir = join(root, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(file, text);
  writeFileSync(join(resultsDir, 'latest.json'), text);
  say(`\nwritten: ${file.slice(root.length + 1)} and bench/results/latest.json (${report.durationSeconds} s)`);
  // A missed target is a figure, not a failure; a suite that could not run is.
  return rows.some((r) => r.id.endsWith('-error')) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(errorText(err));
    process.exit(1);
  },
);
