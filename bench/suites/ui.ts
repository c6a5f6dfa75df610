/**
 * Browser suite for `npm run bench`: in Debian's Chromium against the built console,
 *  - click "Mint token" to the token being visible (times taken inside the page: the click's
 *    capture listener to the MutationObserver that sees the new token text), 20 mints, split into
 *    the browser's work before the server action's request starts, the request (server and
 *    network, Resource Timing), and the browser's work after its response until the token shows;
 *  - the mint page's first-load JavaScript: a fresh, signed-in context loading /mint until the
 *    network is idle, summing every script response's body as it came over the wire (gzip).
 * Figures only; nothing here fails because of a time or a size.
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { summarize, type BenchContext, type BenchRow, type Suite } from '../lib';

const UI_MINTS = 20;
const CLICK_TARGET_MS = 150;
const FIRST_LOAD_TARGET_BYTES = 250_000;

interface FirstLoadJs {
  /** Sum of the script responses' encoded body sizes (bytes on the wire). */
  bytes: number;
  files: number;
  /** Scripts that came without Content-Encoding (uncompressed), if any. */
  uncompressed: number;
  /** Every script, largest first: path and bytes. */
  scripts: { path: string; bytes: number }[];
  /** Scripts the page fetches when the form is first used (clicking the room field), not counted above. */
  onInteraction: { bytes: number; files: number };
}

/** One mint's click-to-visible time, split at the server action's request (Resource Timing). */
interface ClickSplit {
  total: number;
  beforeRequest: number;
  request: number;
  afterResponse: number;
}

interface UiFigures {
  split: ClickSplit[];
  firstLoad: FirstLoadJs;
}

async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

async function signIn(page: Page, consoleUrl: string, staff: { email: string; password: string }) {
  await page.goto(`${consoleUrl}/signin`);
  await page.getByRole('textbox', { name: 'Email' }).fill(staff.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(staff.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/mint$/);
}

/** A cold, signed-in context (nothing cached) loading /mint: what a staff member's browser downloads. */
async function measureFirstLoad(
  browser: Browser,
  consoleUrl: string,
  storageState: Awaited<ReturnType<BrowserContext['storageState']>>,
): Promise<FirstLoadJs> {
  const cold = await browser.newContext({ storageState });
  try {
    const page = await cold.newPage();
    const pending: Promise<{ path: string; bytes: number; encoded: boolean }>[] = [];
    let inFlight = 0;
    page.on('request', (req) => {
      if (req.resourceType() === 'script') inFlight++;
    });
    page.on('requestfailed', (req) => {
      if (req.resourceType() === 'script') inFlight--;
    });
    page.on('requestfinished', (req) => {
      if (req.resourceType() !== 'script') return;
      inFlight--;
      pending.push(
        (async () => {
          const [sizes, response] = await Promise.all([req.sizes(), req.response()]);
          const encoding = response ? await response.headerValue('content-encoding') : null;
          return { path: new URL(req.url()).pathname, bytes: sizes.responseBodySize, encoded: Boolean(encoding) };
        })(),
      );
    });
    await page.goto(`${consoleUrl}/mint`, { waitUntil: 'networkidle' });
    // The form is interactive (hydrated) before the figure is taken.
    await page.getByRole('button', { name: 'Mint token' }).waitFor();
    const scripts = await Promise.all(pending);

    // What the first use of the form fetches on demand (room dropdown, validation, result panel).
    await page.getByRole('combobox', { name: 'Room' }).click();
    await page.getByRole('option').first().waitFor();
    for (let quiet = 0; quiet < 5;) {
      await page.waitForTimeout(100);
      quiet = inFlight === 0 ? quiet + 1 : 0;
    }
    const later = (await Promise.all(pending)).slice(scripts.length);
    return {
      bytes: scripts.reduce((a, s) => a + s.bytes, 0),
      files: scripts.length,
      uncompressed: scripts.filter((s) => !s.encoded).length,
      scripts: scripts.map(({ path, bytes }) => ({ path, bytes })).sort((a, b) => b.bytes - a.bytes),
      onInteraction: { bytes: later.reduce((a, s) => a + s.bytes, 0), files: later.length },
    };
  } finally {
    await cold.close();
  }
}

/** Picks ctx.roomArn in the room picker (the listed option when the picker has it, else the pasted ARN). */
async function pickRoom(page: Page, roomArn: string) {
  const combobox = page.getByRole('combobox', { name: 'Room' });
  await combobox.fill(roomArn);
  const option = page
    .getByRole('option')
    .filter({ hasText: roomArn.split('/').pop()! })
    .first();
  if (await option.isVisible().catch(() => false)) await option.click();
  else await combobox.press('Escape');
}

async function measureClickToVisible(page: Page, mints: number): Promise<ClickSplit[]> {
  await page.evaluate(() => {
    const w = window as unknown as { __clicks: number[]; __shown: number[] };
    w.__clicks = [];
    w.__shown = [];
    performance.setResourceTimingBufferSize(10_000);
    document.addEventListener(
      'click',
      (e) => {
        if ((e.target as HTMLElement).closest('button[type=submit]')) w.__clicks.push(performance.now());
      },
      true,
    );
    let last = '';
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="token-value"]')?.textContent ?? '';
      if (text && text !== last) {
        last = text;
        w.__shown.push(performance.now());
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const shownCount = () => page.evaluate(() => (window as unknown as { __shown: number[] }).__shown.length);
  for (let i = 0; i < mints; i++) {
    const before = await shownCount();
    await page.getByRole('button', { name: 'Mint token' }).click();
    const error = page.getByTestId('mint-error');
    await Promise.race([
      page.waitForFunction((n) => (window as unknown as { __shown: number[] }).__shown.length > n, before, { timeout: 30_000 }),
      error.waitFor({ timeout: 30_000 }).then(async () => {
        throw new Error(`mint ${i + 1} was refused: ${await error.textContent()}`);
      }),
    ]);
  }
  return page.evaluate(() => {
    const w = window as unknown as { __clicks: number[]; __shown: number[] };
    // The server action is a POST fetch to the page's own URL: the first such request after each click.
    const requests = performance
      .getEntriesByType('resource')
      .filter((e): e is PerformanceResourceTiming => e instanceof PerformanceResourceTiming && e.initiatorType === 'fetch')
      .filter((e) => new URL(e.name).pathname === location.pathname);
    return w.__clicks.map((click, i) => {
      const shown = w.__shown[i];
      const req = requests.find((e) => e.startTime >= click && e.responseEnd <= shown);
      return {
        total: shown - click,
        beforeRequest: req ? req.startTime - click : NaN,
        request: req ? req.responseEnd - req.startTime : NaN,
        afterResponse: req ? shown - req.responseEnd : NaN,
      };
    });
  });
}

/** The figures behind the two rows. */
async function measureUi(ctx: BenchContext): Promise<UiFigures> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, ctx.consoleUrl, ctx.staff);
    const firstLoad = await measureFirstLoad(browser, ctx.consoleUrl, await context.storageState());
    ctx.log(`ui: /mint first-load JavaScript ${firstLoad.bytes} bytes in ${firstLoad.files} files`);
    for (const script of firstLoad.scripts) ctx.log(`ui:   ${String(script.bytes).padStart(8)}  ${script.path}`);
    await pickRoom(page, ctx.roomArn);
    await page.getByRole('textbox', { name: 'userId' }).fill('bench-ui-user');
    const split = await measureClickToVisible(page, UI_MINTS);
    ctx.log(`ui: ${split.length} mints clicked and shown`);
    return { split, firstLoad };
  } finally {
    await browser.close();
  }
}

const medianOf = (xs: number[]) => {
  const known = xs.filter((x) => Number.isFinite(x));
  return known.length ? summarize(known).median.toFixed(1) : 'n/a';
};

function uiRows({ split, firstLoad }: UiFigures): BenchRow[] {
  const clickToVisibleMs = split.map((s) => s.total);
  const click = summarize(clickToVisibleMs);
  const kb = firstLoad.bytes / 1000;
  return [
    {
      id: 'mint-ui-click-to-visible',
      benchmark: `click Mint to token visible, Chromium, ${clickToVisibleMs.length} mints`,
      unit: 'ms',
      median: click.median,
      p99: click.p99,
      samples: clickToVisibleMs.length,
      target: `p50 <= ${CLICK_TARGET_MS} ms`,
      met: click.median <= CLICK_TARGET_MS,
      notes:
        `min ${click.min.toFixed(1)} ms, max ${click.max.toFixed(1)} ms; p50 split: ` +
        `${medianOf(split.map((s) => s.beforeRequest))} ms in the browser before the request, ` +
        `${medianOf(split.map((s) => s.request))} ms request (server and network), ` +
        `${medianOf(split.map((s) => s.afterResponse))} ms in the browser after the response`,
    },
    {
      id: 'mint-page-first-load-js',
      benchmark: 'mint page first-load JavaScript (gzip)',
      unit: 'KB',
      median: Math.round(kb * 10) / 10,
      samples: 1,
      target: `<= ${FIRST_LOAD_TARGET_BYTES / 1000} KB`,
      met: firstLoad.bytes <= FIRST_LOAD_TARGET_BYTES,
      notes:
        `${firstLoad.files} files, ${(firstLoad.bytes / 1024).toFixed(1)} KiB (${firstLoad.bytes} bytes on the wire, KB = 1000 bytes)` +
        (firstLoad.uncompressed ? `; ${firstLoad.uncompressed} script(s) served without compression` : '') +
        `; the first use of the form fetches ${(firstLoad.onInteraction.bytes / 1000).toFixed(1)} KB more in ${firstLoad.onInteraction.files} files (room dropdown, validation, result panel), not counted`,
    },
  ];
}

export const suite: Suite = {
  name: 'ui',
  async run(ctx) {
    return uiRows(await measureUi(ctx));
  },
};

export default suite;
