import { execFileSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import { emulatorControl, type EmulatorFault, type EmulatorStats } from '../test/emulator-control';
import { E2E } from './env';

export const SEED = {
  qaSandbox: 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001',
};

/** The e2e emulator's control endpoints (the client the integration tests and benchmarks use too). */
export const emulator = emulatorControl(E2E.emulatorUrl);
export const emulatorStats = (): Promise<EmulatorStats> => emulator.stats();
export const createChatTokenCalls = (): Promise<number> => emulator.createChatTokenCalls();
export const armFault = (fault: EmulatorFault): Promise<void> => emulator.armFault(fault);
export const clearFaults = (): Promise<void> => emulator.clearFaults();

/** The staff CLI, against the e2e console's database. */
export function staffCli(...args: string[]): string {
  return execFileSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/staff.ts', ...args], {
    env: { ...process.env, CONSOLE_DATA_DIR: E2E.dataDir },
    encoding: 'utf8',
  });
}

/** Picks a room through the searchable picker, the way a person does. */
export async function pickRoom(page: Page, search: string, arn: string) {
  const input = page.getByRole('combobox', { name: 'Room' });
  await input.fill(search);
  await page.getByRole('option').filter({ hasText: search }).first().click();
  await expect(input).toHaveValue(arn);
}

/** Creates an API key with the staff CLI; returns the key (printed once). */
export function createApiKeyCli(name: string, role: string): string {
  const created = JSON.parse(staffCli('api-key', 'create', name, role, '--json')) as { key: string };
  return created.key;
}

/** Revokes an API key with the staff CLI. */
export function revokeApiKeyCli(name: string): void {
  staffCli('api-key', 'revoke', name);
}
