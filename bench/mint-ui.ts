/**
 * The UI suite (bench/suites/ui.ts) on its own, for profiling the mint page: starts its own
 * console + emulator (npm start) on loopback ports with a throwaway data folder, runs the suite,
 * prints its rows and every first-load script, and writes bench/results/mint-ui.json.
 * `npm run bench` runs the same suite against its shared console; use this one while working on
 * the page. Asserts nothing about time.
 *
 *   NEXT_DIST_DIR=.next-helper-a node --conditions=react-server --import tsx bench/mint-ui.ts [--port 3200] [--mints 20]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable, type BenchContext } from './lib';
import { measureUi, uiRows, UI_MINTS } from './suites/ui';

const { values } = parseArgs({ options: { mints: { type: 'string', default: String(UI_MINTS) }, port: { type: 'string', default: '3200' } } });
const MINTS = Number(values.mints);
const PORT = Number(values.port);
const EMULATOR_PORT = PORT + 1420;
const BASE = `http://localhost:${PORT}`;
const ROOT = process.cwd();
const DATA = resolve(ROOT, `.data/bench-${PORT}`);
const STAFF = { email: 'bench@console.local', password: 'bench password 1234' };

async function waitFor(url: string, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not come up`);
}

async function main() {
  rmSync(DATA, { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(PORT),
    EMULATOR_PORT: String(EMULATOR_PORT),
    CONSOLE_DATA_DIR: DATA,
    NEXTAUTH_URL: BASE,
    EMULATOR_QUOTA: 'off',
    LOG_LEVEL: 'warn',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const server = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/start.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  try {
    await waitFor(`${BASE}/signin`, 600_000);
    const staffCli = (...args: string[]) => execFileSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/staff.ts', ...args], { env, encoding: 'utf8' });
    staffCli('add', STAFF.email, 'admin', '--password', STAFF.password);
    const apiKey = (JSON.parse(staffCli('api-key', 'create', 'bench-ui', 'admin', '--json')) as { key: string }).key;
    const listing = (await (await fetch(`${BASE}/api/v1/rooms`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as { rooms: { arn: string }[] };
    if (!listing.rooms?.length) throw new Error('the console lists no rooms');
    const ctx: BenchContext = {
      root: ROOT,
      dataDir: DATA,
      consoleUrl: BASE,
      emulatorUrl: `http://127.0.0.1:${EMULATOR_PORT}`,
      distDir: process.env.NEXT_DIST_DIR || '.next',
      consoleEnv: env,
      staff: STAFF,
      apiKey,
      roomArn: listing.rooms[0].arn,
      log: (line) => console.error(line),
    };
    const figures = await measureUi(ctx, MINTS);
    const rows = uiRows(figures);
    console.log(`\n${formatTable(rows)}`);
    for (const row of rows) if (row.notes) console.log(`${row.benchmark}: ${row.notes}`);
    console.log('\nfirst-load scripts (bytes on the wire):');
    for (const s of figures.firstLoad.scripts) console.log(`${String(s.bytes).padStart(8)}  ${s.path}`);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/mint-ui.json', JSON.stringify({ at: new Date().toISOString(), rows, firstLoadScripts: figures.firstLoad.scripts }, null, 2));
  } finally {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {}
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
