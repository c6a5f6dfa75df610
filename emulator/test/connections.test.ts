/**
 * /_emulator/stats counts the open TCP connections to the emulator, so a test can show that a
 * client which gave up on a hung call left nothing open behind it.
 */
import { ListRoomsCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index';
import { control, start, stats } from './helpers';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await start();
});
afterAll(async () => emu?.close());

function keepAliveClient(requestTimeout: number) {
  const agent = new Agent({ keepAlive: true });
  const client = new IvschatClient({
    endpoint: emu.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ requestTimeout, throwOnRequestTimeout: true, httpAgent: agent }),
  });
  return { client, agent };
}

async function waitFor(check: () => Promise<boolean>, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('connection counts in /_emulator/stats', () => {
  it('counts an idle keep-alive API connection until the client closes it, not the asking one', async () => {
    expect(await stats(emu)).toMatchObject({ apiConnections: 0 });
    const { client, agent } = keepAliveClient(2_000);
    await client.send(new ListRoomsCommand({}));
    const s = await stats(emu);
    expect(s.apiConnections).toBe(1); // the SDK's socket, idle in its agent
    expect(s.httpConnections).toBeGreaterThanOrEqual(1);
    client.destroy();
    agent.destroy();
    await waitFor(async () => (await stats(emu)).apiConnections === 0);
    expect((await stats(emu)).apiConnections).toBe(0);
  });

  it('counts hung calls while they wait, and none once the client timed out and closed them', async () => {
    await control(emu, 'faults', { operation: 'ListRooms', hang: true, count: 3 });
    const { client, agent } = keepAliveClient(400);
    const calls = [1, 2, 3].map(() =>
      client.send(new ListRoomsCommand({})).then(
        () => 'answered',
        (e: Error) => e.name,
      ),
    );
    await waitFor(async () => (await stats(emu)).apiConnections === 3);
    expect((await stats(emu)).apiConnections).toBe(3);
    expect(await Promise.all(calls)).toEqual(['TimeoutError', 'TimeoutError', 'TimeoutError']);
    await waitFor(async () => (await stats(emu)).apiConnections === 0);
    expect((await stats(emu)).apiConnections).toBe(0);
    client.destroy();
    agent.destroy();
  });
});
