/**
 * Chat fan-out: 1,000 WebSocket connections in one room of the emulator, one sender. Each message's
 * delivery latency is measured at every receiver, from just before the sender writes the frame to
 * the receiver's parsed MESSAGE with that RequestId, all on this process's clock. Tokens are minted
 * directly with the SDK against the emulator (quota off); each connects once, with the token as the
 * WebSocket subprotocol, as amazon-ivs-chat-messaging does (shared/reference/IVSCHAT.md).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { BenchContext, Suite } from '../lib';
import { emulatorStats, Latencies, round, runInProcess, setEmulatorQuota } from '../load';

const RECEIVERS = 1000;
const MESSAGES = 10;
/** qa-load allows 100 messages a second; one every 250 ms stays far under it and lets each fan-out finish. */
const SPACING_MS = 250;
const CONNECT_CONCURRENCY = 50;
const DELIVERY_TIMEOUT_MS = 10_000;
const ROOM_ID = 'QaLoadTest01';

function openFileLimit(): string {
  try {
    return execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function mintTokens(ctx: BenchContext, roomArn: string, count: number, capabilities: 'SEND_MESSAGE'[]): Promise<string[]> {
  const { CreateChatTokenCommand } = await import('@aws-sdk/client-ivschat');
  const { ivschatClient, regionFromArn } = await import('@/lib/ivschat/client');
  const client = ivschatClient(regionFromArn(roomArn));
  const tokens: string[] = new Array(count);
  const run = await runInProcess(count, 16, async (i) => {
    const out = await client.send(
      new CreateChatTokenCommand({ roomIdentifier: roomArn, userId: `bench-fanout-${i}`, capabilities, sessionDurationInMinutes: 30 }),
    );
    if (!out.token) throw new Error('CreateChatToken answered without a token');
    tokens[i] = out.token;
  });
  if (run.ok !== count) throw new Error(`minted ${run.ok} of ${count} tokens: ${run.errorMessages.join('; ')}`);
  return tokens;
}

function connect(chatUrl: string, token: string): Promise<{ ws: WebSocket; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(chatUrl, token, { perMessageDeflate: false });
    ws.once('open', () => resolve({ ws, ms: performance.now() - t0 }));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake answered ${res.statusCode}`)));
  });
}

export const suite: Suite = {
  name: 'fanout',
  async run(ctx) {
    const roomArn = ctx.roomArn.replace(/room\/[A-Za-z0-9]+$/, `room/${ROOM_ID}`);
    const chatUrl = ctx.emulatorUrl.replace(/^http/, 'ws');
    await setEmulatorQuota(ctx.emulatorUrl, false);
    const receiverTokens = await mintTokens(ctx, roomArn, RECEIVERS, []);
    const [senderToken] = await mintTokens(ctx, roomArn, 1, ['SEND_MESSAGE']);

    const sockets: WebSocket[] = [];
    const connectTimes = new Latencies();
    const deliveries = new Latencies();
    const sentAt = new Map<string, number>();
    const received = new Map<string, number>();
    let stray = 0;
    try {
      const t0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONNECT_CONCURRENCY }, async () => {
          while (next < receiverTokens.length) {
            const { ws, ms } = await connect(chatUrl, receiverTokens[next++]);
            connectTimes.record(ms);
            sockets.push(ws);
            ws.on('message', (data) => {
              const now = performance.now();
              const frame = JSON.parse(data.toString()) as { Type?: string; RequestId?: string };
              const sent = frame.Type === 'MESSAGE' && frame.RequestId ? sentAt.get(frame.RequestId) : undefined;
              if (sent === undefined) {
                stray += 1;
                return;
              }
              deliveries.record(now - sent);
              received.set(frame.RequestId!, (received.get(frame.RequestId!) ?? 0) + 1);
            });
          }
        }),
      );
      const connectAllMs = performance.now() - t0;
      const sender = await connect(chatUrl, senderToken);
      sockets.push(sender.ws);
      const errors: string[] = [];
      sender.ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { Type?: string; ErrorCode?: number; ErrorMessage?: string };
        if (frame.Type === 'ERROR') errors.push(`${frame.ErrorCode} ${frame.ErrorMessage}`);
      });
      const inRoom = (await emulatorStats(ctx.emulatorUrl)).connections;
      ctx.log(`${RECEIVERS} receivers connected in ${(connectAllMs / 1000).toFixed(2)} s; the emulator counts ${inRoom} connections`);

      const lastDelivery: number[] = [];
      for (let m = 0; m < MESSAGES; m++) {
        const requestId = randomUUID();
        const started = performance.now();
        sentAt.set(requestId, started);
        sender.ws.send(JSON.stringify({ Action: 'SEND_MESSAGE', RequestId: requestId, Content: `bench fan-out ${m + 1}` }));
        while ((received.get(requestId) ?? 0) < RECEIVERS && performance.now() - started < DELIVERY_TIMEOUT_MS) {
          await new Promise((r) => setTimeout(r, 2));
        }
        lastDelivery.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, Math.max(0, SPACING_MS - (performance.now() - started))));
      }
      const expected = RECEIVERS * MESSAGES;
      const s = deliveries.summary();
      const c = connectTimes.summary();
      ctx.log(`deliveries ${s.count}/${expected}: p50 ${s.median.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, max ${s.max.toFixed(2)} ms`);
      return [
        {
          id: 'fanout-1000',
          benchmark: `chat fan-out: ${RECEIVERS} connections, delivery`,
          unit: 'ms',
          median: round(s.median, 3),
          p99: round(s.p99, 3),
          samples: s.count,
          target: 'p99 delivery reported',
          met: null,
          notes:
            `${MESSAGES} messages ${SPACING_MS} ms apart in ${ROOM_ID} (100 messages/s allowed), each to ${RECEIVERS} receivers: ${s.count} of ${expected} deliveries, max ${s.max.toFixed(2)} ms, ` +
            `last receiver per message p50 ${round(lastDelivery.sort((a, b) => a - b)[Math.floor(MESSAGES / 2)], 1)} ms; ${stray} other frames; sender errors: ${errors.length ? errors.join('; ') : 'none'}. ` +
            `Connect: ${RECEIVERS} sockets (${CONNECT_CONCURRENCY} at a time) in ${(connectAllMs / 1000).toFixed(2)} s, per socket p50 ${c.median.toFixed(2)} ms, p99 ${c.p99.toFixed(2)} ms; the emulator counted ${inRoom} connections. ` +
            'Send-to-receive on one clock: the time includes the emulator serializing one frame per connection and this process reading 1,000 sockets in turn, so later receivers wait for earlier ones. ' +
            `Open-file limit (ulimit -n) ${openFileLimit()}: 1,001 sockets need as many descriptors on each side (this process, and the emulator's).`,
        },
        {
          id: 'fanout-connect',
          benchmark: `chat fan-out: connect ${RECEIVERS} sockets`,
          unit: 'ms',
          median: round(c.median, 3),
          p99: round(c.p99, 3),
          throughput: round(RECEIVERS / (connectAllMs / 1000), 1),
          samples: c.count,
          target: 'figure reported',
          met: null,
          notes: `WebSocket handshakes with a fresh token each (the emulator decrypts and checks it), ${CONNECT_CONCURRENCY} at a time; all ${RECEIVERS} in ${(connectAllMs / 1000).toFixed(2)} s, max ${c.max.toFixed(2)} ms; ops/s = connections per second.`,
        },
      ];
    } finally {
      await Promise.all(
        sockets.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === WebSocket.CLOSED) return resolve();
              ws.once('close', () => resolve());
              ws.close(1000);
              setTimeout(() => {
                ws.terminate();
                resolve();
              }, 5000).unref();
            }),
        ),
      );
    }
  },
};

export default suite;
