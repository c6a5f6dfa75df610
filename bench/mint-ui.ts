/**
 * Browser benchmark: time from clicking "Mint token" to the token being visible (20 mints, measured
 * inside the page), and the mint page's first-load JavaScript as the browser downloads it (gzip).
 * Starts its own console + emulator (npm start) on loopback ports with a throwaway data folder.
 * Prints a table and writes bench/results/mint-ui.json. Asserts nothing about time.
 *
 *   node --conditions=react-server --import tsx bench/mint-ui.ts [--mints 20]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';

const { values } = parseArgs({ options: { mints: { type: 'string', default: '20' }, port: { type: 'string', default: '3200' } } });
const MINTS = Number(values.mints);
const PORT = Number(values.port);
const EMULATOR_PORT = PORT + 1420;
const BASE = `http://localhost:${PORT}`;
const DATA = `.data/bench-${PORT}`;
const EMAIL = 'bench@console.local';
const PASSWORD = 'bench password 1234';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

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
  const env = { ...process.env, PORT: String(PORT), EMULATOR_PORT: String(EMULATOR_PORT), CONSOLE_DATA_DIR: DATA, NEXTAUTH_URL: BASE, EMULATOR_QUOTA: 'off', LOG_LEVEL: 'warn', NEXT_TELEMETRY_DISABLED: '1' };
  const server = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/start.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  try {
    await waitFor(`${BASE}/signin`, 240_000);
    execFileSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/staff.ts', 'add', EMAIL, 'moderator', '--password', PASSWORD], { env, stdio: 'ignore' });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${BASE}/signin`);
    await page.getByRole('textbox', { name: 'Email' }).fill(EMAIL);
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/mint$/);

    // First-load JavaScript: a fresh, cold context loading /mint; bytes on the wire (gzip).
    const cold = await browser.newContext({ storageState: await context.storageState() });
    const coldPage = await cold.newPage();
    const scripts: Promise<number>[] = [];
    coldPage.on('requestfinished', (req) => {
      if (req.resourceType() === 'script') scripts.push(req.sizes().then((s) => s.responseBodySize));
    });
    await coldPage.goto(`${BASE}/mint`, { waitUntil: 'networkidle' });
    const jsBytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
    const jsFiles = scripts.length;
    await cold.close();

    await page.getByRole('combobox', { name: 'Room' }).fill('qa-sandbox');
    await page.getByRole('option').filter({ hasText: 'qa-sandbox' }).first().click();
    await page.getByRole('textbox', { name: 'userId' }).fill('bench-user');
    await page.evaluate(() => {
      const w = window as unknown as { __clicks: number[]; __shown: number[] };
      w.__clicks = [];
      w.__shown = [];
      document.addEventListener('click', (e) => {
        if ((e.target as HTMLElement).closest('button[type=submit]')) w.__clicks.push(performance.now());
      }, true);
      let last = '';
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="token-value"]')?.textContent ?? '';
        if (text && text !== last) {
          last = text;
          w.__shown.push(performance.now());
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    for (let i = 0; i < MINTS; i++) {
      const before = await page.evaluate(() => (window as unknown as { __shown: number[] }).__shown.length);
      await page.getByRole('button', { name: 'Mint token' }).click();
      await page.waitForFunction((n) => (window as unknown as { __shown: number[] }).__shown.length > n, before);
    }
    const { clicks, shown } = await page.evaluate(() => ({ clicks: (window as any).__clicks as number[], shown: (window as any).__shown as number[] }));
    const times = clicks.map((c, i) => shown[i] - c).sort((a, b) => a - b);
    await browser.close();

    const result = {
      at: new Date().toISOString(),
      mints: MINTS,
      clickToVisibleMs: { p50: percentile(times, 50), p99: percentile(times, 99), min: times[0], max: times[times.length - 1] },
      mintPageFirstLoadJs: { gzipBytes: jsBytes, kib: +(jsBytes / 1024).toFixed(1), files: jsFiles },
    };
    console.log('\nbenchmark                                   figure');
    console.log(`click Mint -> token visible (${MINTS} mints)  p50 ${result.clickToVisibleMs.p50.toFixed(1)} ms, p99 ${result.clickToVisibleMs.p99.toFixed(1)} ms`);
    console.log(`mint page first-load JavaScript (gzip)     ${result.mintPageFirstLoadJs.kib} KiB in ${jsFiles} files`);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/mint-ui.json', JSON.stringify(result, null, 2));
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
