/**
 * For integration tests of server modules against the real emulator over HTTP and a real SQLite
 * file: starts the emulator, points the console's configuration at it and at a temporary data
 * folder, and tears both down. lib/env.ts reads process.env once, at import, so a test file
 * imports the modules under test (dynamically) after `startConsoleHarness` returns, and keeps
 * to one harness per file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '@/emulator/index';
import { emulatorControl, type EmulatorStats } from './emulator-control';

export type { EmulatorStats } from './emulator-control';

type PolicyJson = { rateLimits: Record<string, unknown> } & Record<string, unknown>;

export interface ConsoleHarness {
  emulator: RunningEmulator;
  dataDir: string;
  stats(): Promise<EmulatorStats>;
  /** CreateChatToken requests the emulator has received (every one, refused or not). */
  createChatTokenStats(): Promise<{ received: number; succeeded: number; failed: number }>;
  createChatTokenCalls(): Promise<number>;
  armFault(fault: object): Promise<void>;
  clearFaults(): Promise<void>;
  close(): Promise<void>;
}

export async function startConsoleHarness(options: {
  name: string;
  /** Overrides of the defaults below (IVSCHAT_TIMEOUT_MS, IVSCHAT_MAX_ATTEMPTS, ...). */
  env?: Record<string, string>;
  /** Edits a copy of config/policy.json that this harness's console then uses. */
  policy?: (policy: PolicyJson) => void;
  /** Emulator options (e.g. `quota: false`, or `quotaRules` for one quota). */
  emulator?: EmulatorOptions;
}): Promise<ConsoleHarness> {
  // The emulator enforces every AWS quota, room operations (5/s) included: the governor paces the
  // console's room reads like its mints.
  const emulator = await startEmulator({ port: 0, ...options.emulator });
  const dataDir = mkdtempSync(join(tmpdir(), `${options.name}-`));
  let policyFile = 'config/policy.json';
  if (options.policy) {
    const policy = JSON.parse(readFileSync(policyFile, 'utf8')) as PolicyJson;
    options.policy(policy);
    policyFile = join(dataDir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(policy));
  }
  Object.assign(process.env, {
    IVSCHAT_ENDPOINT: emulator.endpoint,
    IVSCHAT_ACCESS_KEY_ID: 'test',
    IVSCHAT_SECRET_ACCESS_KEY: 'test',
    IVSCHAT_REGIONS: 'us-east-1',
    CONSOLE_DATA_DIR: dataDir,
    FINGERPRINT_KEY: 'k'.repeat(40),
    LOG_LEVEL: 'silent',
    POLICY_FILE: policyFile,
    ...options.env,
  });
  delete process.env.DATABASE_URL;

  const control = emulatorControl(emulator.endpoint);
  const stats = (): Promise<EmulatorStats> => control.stats();
  const createChatTokenStats = async () => (await stats()).operations.CreateChatToken;
  return {
    emulator,
    dataDir,
    stats,
    createChatTokenStats,
    createChatTokenCalls: async () => (await createChatTokenStats()).received,
    armFault: (fault) => control.armFault({ ...fault }),
    clearFaults: () => control.clearFaults(),
    close: async () => {
      await (await import('@/lib/db')).closeDatabase();
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
