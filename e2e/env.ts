/** Where the e2e console and emulator listen; loopback only (tests refuse anything else). */
const port = Number(process.env.E2E_PORT ?? 3100);
const emulatorPort = Number(process.env.E2E_EMULATOR_PORT ?? port + 1510);
export const E2E = {
  port,
  emulatorPort,
  baseUrl: `http://localhost:${port}`,
  emulatorUrl: `http://127.0.0.1:${emulatorPort}`,
  dataDir: process.env.E2E_DATA_DIR ?? `.data/e2e-${port}`,
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
} as const;

export const PASSWORD = 'correct horse battery staple';

export const ACCOUNTS = {
  admin: 'admin@e2e.test',
  moderator: 'moderator@e2e.test',
  support: 'support@e2e.test',
  qa: 'qa@e2e.test',
  viewer: 'viewer@e2e.test',
} as const;
export type AccountRole = keyof typeof ACCOUNTS;

export const storageStateFor = (role: AccountRole) => `e2e/.auth/${E2E.port}/${role}.json`;

for (const url of [E2E.baseUrl, E2E.emulatorUrl]) {
  const host = new URL(url).hostname;
  if (host !== 'localhost' && host !== '127.0.0.1') throw new Error(`e2e refuses to run against ${url}`);
}
