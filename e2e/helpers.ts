import { execFileSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import { E2E } from './env';

export const SEED = {
  qaSandbox: 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001',
};

export async function emulatorStats(): Promise<{
  operations: Record<string, { received: number; succeeded: number; failed: number }>;
  tokensIssued: number;
}> {
  const res = await fetch(`${E2E.emulatorUrl}/_emulator/stats`);
  return res.json();
}

export async function createChatTokenCalls(): Promise<number> {
  return (await emulatorStats()).operations.CreateChatToken.received;
}

export async function armFault(fault: Record<string, unknown>) {
  const res = await fetch(`${E2E.emulatorUrl}/_emulator/faults`, {
    method: 'POST',
    body: JSON.stringify(fault),
    headers: { 'content-type': 'application/json' },
  });
  expect(res.ok, await res.text()).toBeTruthy();
}

export async function clearFaults() {
  await fetch(`${E2E.emulatorUrl}/_emulator/faults`, { method: 'DELETE' });
}

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
