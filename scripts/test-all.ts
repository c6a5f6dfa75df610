/**
 * `npm test`: every check and every test, in order, stopping at the first check that fails: the
 * type check, lint and the format check (side by side: each is one process on one core), then unit
 * and integration (vitest: tokens, data layer on SQLite and PostgreSQL, emulator through the AWS
 * SDK, the AWS CLI and the chat SDK), then the browser tests (Playwright in Debian's Chromium against
 * the built console and the emulator).
 *
 * It provides what the tests need on this kind of machine: a local PostgreSQL for the PostgreSQL
 * half of the store tests (unless TEST_DATABASE_URL is given) and Debian's chromium.
 *
 * `npm run test:quick` (--quick): the same checks (lint and the format check with their caches),
 * then vitest on SQLite only (any TEST_DATABASE_URL is dropped; those tests report as skipped): no
 * PostgreSQL set-up, no browser, no build.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePostgres } from './postgres';
import { ensureFaultCluster } from './pg-fault-cluster';

const root = process.cwd();
// Not under test-results/: Playwright empties that folder when it starts.
const resultsDir = join(root, '.test-summary');

function ensureChromium(): void {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) return;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('Installing Debian chromium for the browser tests…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return;
  }
  throw new Error(`Chromium not found at ${path}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the reporters' JSON, read for three counts
function count(file: string, pick: (json: any) => { passed: number; failed: number; skipped: number }) {
  try {
    return pick(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

const quick = process.argv.includes('--quick');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const bin = (name: string) => join(root, 'node_modules/.bin', name);
const started = Date.now();

/** The checks, side by side; resolves with the names of those that failed. */
async function checks(): Promise<string[]> {
  // Both tools' default cache places, under node_modules/.cache/.
  // ESLint's cache does not notice a change in a local rule's code: one cache per version of the config file.
  const configHash = createHash('sha256')
    .update(readFileSync(join(root, 'eslint.config.mjs')))
    .digest('hex')
    .slice(0, 12);
  const cache = (tool: string) =>
    tool === 'eslint' ? ['--cache', '--cache-location', join(root, 'node_modules/.cache/eslint', configHash, '/')] : ['--cache'];
  const runs: [string, string, string[]][] = [
    ['type check', 'tsc', ['--noEmit']],
    // The full run lints without the cache: a cached file's import cycles and types can change with another file.
    ['lint', 'eslint', ['.', '--max-warnings=0', ...(quick ? cache('eslint') : [])]],
    ['format check', 'prettier', ['--check', '.', '--log-level=warn', ...(quick ? cache('prettier') : [])]],
  ];
  const failed = await Promise.all(
    runs.map(
      ([name, tool, args]) =>
        new Promise<string | null>((resolve) => {
          const child = spawn(bin(tool), args, { stdio: 'inherit', env });
          child.on('error', () => resolve(name));
          child.on('exit', (code) => resolve(code === 0 ? null : name));
        }),
    ),
  );
  return failed.filter((f): f is string => f !== null);
}

/** Left out of `npm run test:quick` (see above); `npm test` runs every one of them. */
const QUICK_SKIPS = [
  'emulator/test/sts-cli.test.ts',
  'emulator/test/cli.test.ts',
  'scripts/doctor.test.ts',
  'lib/bulk/crash.test.ts',
  'lib/api/idempotency-crash.test.ts',
  'test/token-secrecy.test.ts',
];

console.log('Type check, lint and format check…');
const failedChecks = await checks();
if (failedChecks.length) {
  console.log(
    `\n${failedChecks.join(', ')} failed: fix ${failedChecks.length > 1 ? 'them' : 'it'} first (npm run format rewrites the formatting).`,
  );
  console.log('0 passed, 1 failed');
  process.exit(1);
}
console.log(`Checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s.`);

if (quick) {
  for (const name of ['TEST_DATABASE_URL', 'TEST_PG_FAULT_URL', 'TEST_PG_FAULT_CLUSTER']) delete env[name];
  // The suites that start other programs (the AWS CLIs, boto3, the console's own CLIs, processes
  // killed mid-run) or wait out real heartbeats: the full gate runs them, the quick loop does not.
  const exclude = QUICK_SKIPS.flatMap((f) => ['--exclude', f]);
  const status = spawnSync(bin('vitest'), ['run', ...exclude], { stdio: 'inherit', env }).status ?? 1;
  console.log(
    `test:quick ${status === 0 ? 'passed' : 'failed'} in ${((Date.now() - started) / 1000).toFixed(1)} s (SQLite only; npm test runs PostgreSQL and the browser too).`,
  );
  process.exit(status);
}

const pg = ensurePostgres();
if (pg) env.TEST_DATABASE_URL = pg;
else console.log('PostgreSQL is not available: its tests will be reported as skipped.');
// A separate cluster that the fault tests stop and start (never the one above).
const faultPg = ensureFaultCluster();
if (faultPg) Object.assign(env, faultPg);
else
  console.log(
    'The PostgreSQL fault cluster (15 ivsfault, port 5439) is not available: the database-stopped test will be reported as skipped.',
  );
ensureChromium();

const npx = (args: string[], extra: Record<string, string> = {}) =>
  spawnSync(bin(args[0]), args.slice(1), { stdio: 'inherit', env: { ...env, ...extra } }).status ?? 1;

const vitestJson = join(resultsDir, 'vitest.json');
const unit = npx(['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const e2eJson = join(resultsDir, 'playwright.json');
const e2e = npx(['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson });

const u = count(vitestJson, (j) => ({
  passed: j.numPassedTests,
  failed: j.numFailedTests,
  skipped: j.numPendingTests + (j.numTodoTests ?? 0),
}));
const b = count(e2eJson, (j) => ({ passed: j.stats.expected, failed: j.stats.unexpected + j.stats.flaky, skipped: j.stats.skipped }));
const passed = (u?.passed ?? 0) + (b?.passed ?? 0);
const failed = (u?.failed ?? 0) + (b?.failed ?? 0) + (unit !== 0 && !u?.failed ? 1 : 0) + (e2e !== 0 && !b?.failed ? 1 : 0);
const skipped = (u?.skipped ?? 0) + (b?.skipped ?? 0);
console.log(
  `\nunit+integration: ${u ? `${u.passed} passed, ${u.failed} failed, ${u.skipped} skipped` : 'no report'} · browser: ${b ? `${b.passed} passed, ${b.failed} failed, ${b.skipped} skipped` : 'no report'}`,
);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(unit === 0 && e2e === 0 ? 0 : 1);
