/** Where the e2e console and emulator listen; loopback only (tests refuse anything else). */
export const E2E = {
  port: 3100,
  emulatorPort: 4610,
  baseUrl: 'http://localhost:3100',
  emulatorUrl: 'http://127.0.0.1:4610',
  dataDir: '.data/e2e',
  chromium: '/usr/bin/chromium',
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

export const storageStateFor = (role: AccountRole) => `e2e/.auth/${role}.json`;

for (const url of [E2E.baseUrl, E2E.emulatorUrl]) {
  const host = new URL(url).hostname;
  if (host !== 'localhost' && host !== '127.0.0.1') throw new Error(`e2e refuses to run against ${url}`);
}
