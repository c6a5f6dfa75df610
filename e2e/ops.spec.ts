/**
 * Health, readiness and metrics (issue 15) over real HTTP: the main e2e console (emulator up, no
 * METRICS_TOKEN), and a second console started from the same build whose IVS Chat endpoint answers
 * nothing and which has a metrics token and a loopback metrics listener.
 */
import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { launch, type Launched } from '../test/launcher';
import { E2E } from './env';

const port = E2E.port + 70;
const metricsPort = E2E.port + 71;
const url = `http://127.0.0.1:${port}`;
const dataDir = `.data/e2e-${E2E.port}-ops`;
const METRICS_TOKEN = 'metrics-token-for-the-e2e-test-0123456789';
let second: Launched | undefined;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  rmSync(dataDir, { recursive: true, force: true });
  second = launch('the ops console', ['--conditions=react-server', '--import', 'tsx', 'scripts/start.ts', '--no-build'], {
    env: {
      ...process.env,
      PORT: String(port),
      CONSOLE_DATA_DIR: dataDir,
      NEXT_DIST_DIR: `.next-e2e-${E2E.port}`,
      NEXTAUTH_URL: url,
      NEXT_TELEMETRY_DISABLED: '1',
      // Nothing listens here: IVS Chat cannot be reached.
      IVSCHAT_ENDPOINT: 'http://127.0.0.1:9',
      IVSCHAT_MAX_ATTEMPTS: '1',
      IVSCHAT_TIMEOUT_MS: '1000',
      METRICS_TOKEN,
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'warn',
    },
    detached: true,
  });
  await second.waitFor(`${url}/api/health`, 60_000);
});

test.afterAll(async () => {
  await second?.stop();
});

test('the main console is live and ready; metrics are off without a token', async ({ request }) => {
  const health = await request.get('/api/health');
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok' });
  const ready = await request.get('/api/ready');
  const body = (await ready.json()) as { status: string; checks: { name: string; ok: boolean }[] };
  expect(ready.status(), JSON.stringify(body)).toBe(200);
  expect(body.status).toBe('ready');
  expect(body.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['database', 'ivschat:default:us-east-1']));
  expect(body.checks.every((c) => c.ok)).toBe(true);
  const metrics = await request.get('/api/metrics');
  expect(metrics.status()).toBe(404);
  expect(await metrics.json()).toMatchObject({ ok: false, code: 'NOT_FOUND' });
});

test('a console whose IVS Chat cannot be reached is live but not ready, and says which check failed', async ({ request }) => {
  expect((await request.get(`${url}/api/health`)).status()).toBe(200);
  const ready = await request.get(`${url}/api/ready`);
  expect(ready.status()).toBe(503);
  const body = (await ready.json()) as { status: string; checks: { name: string; ok: boolean; detail?: string }[] };
  expect(body.status).toBe('not ready');
  expect(body.checks.find((c) => c.name === 'database')).toMatchObject({ ok: true });
  const ivs = body.checks.filter((c) => c.name.startsWith('ivschat:'));
  expect(ivs.length).toBeGreaterThan(0);
  for (const c of ivs) {
    expect(c.ok).toBe(false);
    expect(c.detail).toMatch(/ListRooms|IVS Chat/);
  }
});

test('metrics need the token on the API, and are served on the loopback listener', async ({ request }) => {
  expect((await request.get(`${url}/api/metrics`)).status()).toBe(401);
  expect(
    (await request.get(`${url}/api/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token-wrong-token-00' } })).status(),
  ).toBe(401);
  const ok = await request.get(`${url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(ok.status()).toBe(200);
  const text = await ok.text();
  // The readiness probe above made ListRooms attempts through the governor: they are counted.
  expect(text).toMatch(/ivs_console_ivschat_call_seconds_count\{[^}]*operation="ListRooms"[^}]*\} [1-9]/);
  expect(text).toContain('ivs_console_governor_share_per_second');
  expect(text).toContain('# HELP ivs_console_mints_total');
  const loopback = await request.get(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(loopback.status()).toBe(200);
  expect(await loopback.text()).toContain('ivs_console_ivschat_call_seconds');
});
