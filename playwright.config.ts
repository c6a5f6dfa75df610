import { defineConfig, devices } from '@playwright/test';
import { E2E } from './e2e/env';

/**
 * Browser tests in Debian's Chromium against the built console and the emulator, both started by
 * `npm start` on test ports with a fresh SQLite file. Only ever talks to 127.0.0.1.
 */
export default defineConfig({
  testDir: './e2e',
  outputDir: `./test-results/${E2E.port}`,
  fullyParallel: false,
  // One worker: specs share one emulator, and its fault switch and call counters are global.
  workers: 1,
  retries: 0,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: E2E.baseUrl,
    trace: 'retain-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    launchOptions: {
      executablePath: E2E.chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-quic',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], channel: undefined },
      dependencies: ['setup'],
      testIgnore: /auth\.setup\.ts/,
    },
  ],
  webServer: {
    command: `rm -rf ${E2E.dataDir} && node --conditions=react-server --import tsx scripts/start.ts`,
    url: `${E2E.baseUrl}/signin`,
    reuseExistingServer: false,
    // A cold build takes minutes on a small, busy machine; the wait is a ceiling, not a cost.
    timeout: 600_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(E2E.port),
      EMULATOR_PORT: String(E2E.emulatorPort),
      CONSOLE_DATA_DIR: E2E.dataDir,
      NEXTAUTH_URL: E2E.baseUrl,
      NEXT_TELEMETRY_DISABLED: '1',
      NEXT_DIST_DIR: `.next-e2e-${E2E.port}`,
      IVSCHAT_TIMEOUT_MS: '1500',
      IVSCHAT_MAX_ATTEMPTS: '3',
      // Staff records are read on every request, so a demotion shows at once; the two-second cache
      // itself is tested on an injected clock (lib/auth/staff-cache.test.ts).
      STAFF_CACHE_MS: '0',
      LOG_LEVEL: 'info',
      // Every spec signs in from 127.0.0.1 and several fail sign-ins on purpose, which would lock the
      // one address for the rest of the run; the per-address rule is tested on a server of its own
      // (sessions.spec.ts, behind a trusted proxy) with the default of 20.
      SIGN_IN_CLIENT_FREE_ATTEMPTS: '1000',
    },
  },
});
