import 'server-only';
import { GetRoomCommand, ListRoomsCommand } from '@aws-sdk/client-ivschat';
import type { Account } from './accounts';
import { ivschatClient, regionFromArn } from './client';

/**
 * The calls `npm run doctor` and GET /api/ready make to see whether an account and region work:
 * plain results, with the SDK's error itself on failure (the doctor names the fix from it).
 */
export type Probe<T> = { ok: true; data: T } | { ok: false; error: unknown };

async function probe<T>(fn: () => Promise<T>): Promise<Probe<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The credentials the account's client resolves to (only the key id's ends are shown anywhere). */
export function resolveCredentials(account: Account, region: string): Promise<Probe<{ accessKeyId: string }>> {
  return probe(async () => ({ accessKeyId: (await ivschatClient(region, { account }).config.credentials()).accessKeyId }));
}

/** ListRooms with one result: the cheapest call that proves the service answers. */
export function listOneRoom(account: Account, region: string): Promise<Probe<{ firstRoomArn: string | null }>> {
  return probe(async () => ({
    firstRoomArn: (await ivschatClient(region, { account }).send(new ListRoomsCommand({ maxResults: 1 }))).rooms?.[0]?.arn ?? null,
  }));
}

export function readRoom(account: Account, arn: string): Promise<Probe<{ arn: string }>> {
  return probe(async () => {
    await ivschatClient(regionFromArn(arn), { account }).send(new GetRoomCommand({ identifier: arn }));
    return { arn };
  });
}
