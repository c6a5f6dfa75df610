/**
 * `npm test`: every test, in order: unit and integration (vitest: tokens, data layer on SQLite and
 * PostgreSQL, emulator through the AWS SDK, the AWS CLI and the chat SDK), then the browser tests
 * (Playwright in Debian's Chromium against the built console and the emulator).
 *
 * It provides what the tests need on this kind of machine: a local PostgreSQL for the PostgreSQL
 * half of the store tests (unless TEST_DATABASE_URL is given) and Debian's chromium.
 */
import { execFileSync, spawnSync } from 'node:child_process';
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

function count(file: string, pick: (json: Record<string, any>) => { passed: number; failed: number; skipped: number }) {
  try {
    return pick(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
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
  spawnSync(join(root, 'node_modules/.bin', args[0]), args.slice(1), { stdio: 'inherit', env: { ...env, ...extra } }).status ?? 1;

console.log('Type-checking the repository…');
if (npx(['tsc', '--noEmit']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

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
