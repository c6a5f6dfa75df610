/**
 * The mint client's retry strategy against the real emulator over HTTP: the standard retries for
 * answers (throttling, 5xx) and for calls that provably never left (connection refused), none for
 * a call whose answer was lost after it may have reached the service.
 */
import { CreateChatTokenCommand, IvschatClient } from '@aws-sdk/client-ivschat';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator/index';
import { NoAmbiguousRetryStrategy } from './retry';
import { describeIvschatError, isOutcomeUnknown } from './errors';
import { emulatorControl } from '@/test/emulator-control';

const ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
const MAX_ATTEMPTS = 3;
let emu: RunningEmulator;
const clients: IvschatClient[] = [];

function client(endpoint: string, strategy: 'mint' | 'standard', requestTimeout = 400): IvschatClient {
  const c = new IvschatClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: MAX_ATTEMPTS,
    retryMode: 'standard',
    ...(strategy === 'mint' ? { retryStrategy: new NoAmbiguousRetryStrategy(MAX_ATTEMPTS) } : {}),
    requestHandler: new NodeHttpHandler({ connectionTimeout: requestTimeout, requestTimeout, throwOnRequestTimeout: true }),
  });
  clients.push(c);
  return c;
}

const stats = () => emulatorControl(emu.endpoint).stats();
const arm = (fault: object) => emulatorControl(emu.endpoint).armFault({ ...fault });
const mint = (c: IvschatClient) => c.send(new CreateChatTokenCommand({ roomIdentifier: ROOM, userId: 'retry-test' }));
async function failure(p: Promise<unknown>): Promise<Error & { $metadata?: { attempts?: number } }> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('the call succeeded');
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await emu?.close();
});
beforeEach(async () => {
  await emulatorControl(emu.endpoint).clearFaults();
});

describe('NoAmbiguousRetryStrategy', () => {
  it('keeps the standard retries for throttling and 5xx answers', async () => {
    const c = client(emu.endpoint, 'mint');
    await arm({ error: 'ThrottlingException', count: 1 });
    await arm({ error: 'InternalServerError', count: 1 });
    const before = (await stats()).operations.CreateChatToken.received;
    const out = await mint(c);
    expect(out.token).toBeTruthy();
    expect(out.$metadata.attempts).toBe(3);
    expect((await stats()).operations.CreateChatToken.received).toBe(before + 3);
  });

  it('does not retry a connection dropped after the token was issued (the standard strategy would)', async () => {
    const s0 = await stats();
    await arm({ drop: 'after', count: MAX_ATTEMPTS });
    const err = await failure(mint(client(emu.endpoint, 'mint')));
    expect(isOutcomeUnknown(err)).toBe(true);
    expect(describeIvschatError(err)).toMatchObject({ code: 'NetworkError', outcomeUnknown: true, retryable: false });
    const s1 = await stats();
    expect(s1.operations.CreateChatToken.received).toBe(s0.operations.CreateChatToken.received + 1);
    expect(s1.tokensIssued).toBe(s0.tokensIssued + 1);

    // The same fault under the SDK's own standard strategy: three calls, three tokens, all lost.
    await arm({ drop: 'after', count: MAX_ATTEMPTS });
    await failure(mint(client(emu.endpoint, 'standard')));
    const s2 = await stats();
    expect(s2.operations.CreateChatToken.received).toBe(s1.operations.CreateChatToken.received + MAX_ATTEMPTS);
    expect(s2.tokensIssued).toBe(s1.tokensIssued + MAX_ATTEMPTS);
  });

  it('does not retry a request timeout', async () => {
    const before = (await stats()).operations.CreateChatToken.received;
    await arm({ hang: true, count: MAX_ATTEMPTS });
    const started = performance.now();
    const err = await failure(mint(client(emu.endpoint, 'mint', 300)));
    const elapsed = performance.now() - started;
    expect(err.name).toBe('TimeoutError');
    expect(describeIvschatError(err)).toMatchObject({ code: 'Timeout', outcomeUnknown: true });
    expect(err.$metadata?.attempts).toBe(1);
    expect(elapsed).toBeLessThan(300 + 700);
    expect((await stats()).operations.CreateChatToken.received).toBe(before + 1);
  });

  it('retries a refused connection: nothing was sent', async () => {
    // A port that was free a moment ago and has nothing listening now.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const err = await failure(mint(client(`http://127.0.0.1:${port}`, 'mint')));
    expect((err as { code?: string }).code).toBe('ECONNREFUSED');
    expect(isOutcomeUnknown(err)).toBe(false);
    expect(describeIvschatError(err)).toMatchObject({ code: 'NetworkError', retryable: true });
    expect(err.$metadata?.attempts).toBe(MAX_ATTEMPTS);
  });
});
