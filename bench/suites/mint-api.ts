/**
 * Mint latency (concurrency 1) and throughput (concurrency 16) through the console's HTTP API,
 * POST /api/v1/tokens with an API key (key check, policy, rate limit, audit, SDK), against the
 * baseline of the JS SDK calling the emulator's CreateChatToken directly, with the emulator's
 * quota off on both sides. The API is driven by autocannon; the SDK baseline is a library call,
 * which autocannon cannot drive, so it is driven in this process at the same concurrency and count,
 * its times recorded in the same kind of HDR histogram. As context, autocannon also sends
 * SigV4-signed CreateChatToken requests straight to the emulator (no SDK in the way).
 */
import type { BenchContext, BenchRow, Suite } from '../lib';
import {
  describeCodes,
  emulatorStats,
  round,
  runAutocannon,
  runInProcess,
  runSignedCreateChatToken,
  setEmulatorQuota,
  type LoadResult,
} from '../load';

const WARMUP = 300;
const C1_CALLS = 1000;
const C16_CALLS = 5000;

/** A CreateChatToken call through the console's own SDK client factory (same timeouts, retries, keep-alive agent). */
async function sdkCaller(ctx: BenchContext): Promise<(i: number) => Promise<void>> {
  const { CreateChatTokenCommand } = await import('@aws-sdk/client-ivschat');
  const { ivschatClient, regionFromArn } = await import('@/lib/ivschat/client');
  const client = ivschatClient(regionFromArn(ctx.roomArn));
  return async (i) => {
    const out = await client.send(
      new CreateChatTokenCommand({
        roomIdentifier: ctx.roomArn,
        userId: `bench-sdk-${i}`,
        capabilities: ['SEND_MESSAGE'],
        sessionDurationInMinutes: 60,
      }),
    );
    if (!out.token) throw new Error('CreateChatToken answered without a token');
  };
}

function apiLoad(ctx: BenchContext, connections: number, amount: number): Promise<LoadResult> {
  return runAutocannon({
    url: `${ctx.consoleUrl}/api/v1/tokens`,
    method: 'POST',
    headers: { Authorization: `Bearer ${ctx.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ roomArn: ctx.roomArn, userId: 'bench-api', capabilities: ['SEND_MESSAGE'], sessionDurationInMinutes: 60 }),
    connections,
    amount,
  });
}

const ms = (n: number) => `${n.toFixed(2)} ms`;

function describe(label: string, r: LoadResult, extra = ''): string {
  const s = r.latencies.summary();
  return `${label}: ${r.ok} ok in ${(r.elapsedMs / 1000).toFixed(2)} s, p50 ${ms(s.median)}, p99 ${ms(s.p99)}, max ${ms(s.max)}, ${Math.round(r.throughput)}/s${r.statusCodes && Object.keys(r.statusCodes).length ? `, status ${describeCodes(r.statusCodes)}` : ''}, non-2xx ${r.non2xx}, errors ${r.errors}${extra}`;
}

async function measure(ctx: BenchContext, sdk: (i: number) => Promise<void>, connections: number, amount: number, tag: string) {
  const sdkRun = await runInProcess(amount, connections, (i) => sdk(i + (connections === 1 ? 1_000_000 : 2_000_000)));
  ctx.log(describe(`SDK c=${connections}`, sdkRun, sdkRun.errorMessages.length ? ` (${sdkRun.errorMessages.join('; ')})` : ''));
  const api = await apiLoad(ctx, connections, amount);
  ctx.log(describe(`API c=${connections}`, api));
  const raw = await runSignedCreateChatToken(ctx.emulatorUrl, ctx.roomArn, connections, amount, `bench-raw-${tag}`);
  ctx.log(describe(`signed HTTP c=${connections}`, raw));
  return { sdk: sdkRun, api, raw };
}

export const suite: Suite = {
  name: 'mint-api',
  async run(ctx) {
    await setEmulatorQuota(ctx.emulatorUrl, false);
    const sdk = await sdkCaller(ctx);
    const before = await emulatorStats(ctx.emulatorUrl);

    // Warm-up: connections, JIT, the route's first requests; not recorded.
    const warm = [
      await runInProcess(WARMUP, 16, (i) => sdk(i)),
      await apiLoad(ctx, 16, WARMUP),
      await runSignedCreateChatToken(ctx.emulatorUrl, ctx.roomArn, 16, WARMUP, 'bench-raw-warmup'),
    ];

    const c1 = await measure(ctx, sdk, 1, C1_CALLS, 'c1');
    const c16 = await measure(ctx, sdk, 16, C16_CALLS, 'c16');
    // What the console's HTTP server does with no mint at all: a prerendered, public route through
    // the same standalone Next server (no proxy, no database, no SDK). The ceiling of any route.
    const floor = await runAutocannon({ url: `${ctx.consoleUrl}/api/v1/openapi.json`, connections: 16, amount: C16_CALLS });
    ctx.log(describe('Next floor c=16', floor));
    const after = await emulatorStats(ctx.emulatorUrl);

    const okCalls = [c1, c16].reduce((n, m) => n + m.sdk.ok + m.api.ok + m.raw.ok, 0) + warm.reduce((n, w) => n + w.ok, 0);
    const issued = after.tokensIssued - before.tokensIssued;
    const method =
      "API side: autocannon (keep-alive connections), every response checked to be 201. SDK side: the console's own IvschatClient factory (lib/ivschat/client.ts: timeouts, standard retries, keep-alive agent) called in this process by " +
      "N workers that each start the next call when their last one settles, like autocannon's connections, for the same count; both sides' times in HDR histograms at microsecond resolution (autocannon's own histogram keeps whole milliseconds). " +
      `${WARMUP} warm-up calls per side first. Emulator quota off.`;
    const check = `The emulator issued ${issued} tokens for ${okCalls} successful calls (warm-up included).`;

    const rows: BenchRow[] = [];
    {
      const api = c1.api.latencies.summary();
      const base = c1.sdk.latencies.summary();
      rows.push({
        id: 'mint-api-c1',
        benchmark: 'mint latency c=1 (API: key, policy, audit, SDK)',
        unit: 'ms',
        median: round(api.median, 3),
        p99: round(api.p99, 3),
        throughput: round(c1.api.throughput, 1),
        samples: c1.api.ok,
        baseline: {
          label: 'JS SDK -> emulator c=1',
          median: round(base.median, 3),
          p99: round(base.p99, 3),
          throughput: round(c1.sdk.throughput, 1),
        },
        ratio: `+${(api.median - base.median).toFixed(2)} ms`,
        target: 'p50 <= baseline + 5 ms',
        met: api.median <= base.median + 5,
        notes: `${describe('API', c1.api)}. ${describe('SDK baseline', c1.sdk)}. ${method} ${check}`,
      });
    }
    {
      const api = c16.api.latencies.summary();
      const base = c16.sdk.latencies.summary();
      const share = c16.api.throughput / c16.sdk.throughput;
      rows.push({
        id: 'mint-api-c16',
        benchmark: 'mint throughput c=16 (API)',
        unit: 'ms',
        median: round(api.median, 3),
        p99: round(api.p99, 3),
        throughput: round(c16.api.throughput, 1),
        samples: c16.api.ok,
        baseline: {
          label: 'JS SDK -> emulator c=16',
          median: round(base.median, 3),
          p99: round(base.p99, 3),
          throughput: round(c16.sdk.throughput, 1),
        },
        ratio: `${Math.round(share * 100)}% of baseline`,
        target: '>= 50% of baseline',
        met: share >= 0.5,
        notes: `${describe('API', c16.api)}. ${describe('SDK baseline', c16.sdk)}. The console, its emulator and this load generator share the machine's ${(await import('node:os')).cpus().length} cores.`,
      });
    }
    {
      const s = floor.latencies.summary();
      rows.push({
        id: 'mint-api-next-floor-c16',
        benchmark: 'context: Next route floor c=16 (static JSON)',
        unit: 'ms',
        median: round(s.median, 3),
        p99: round(s.p99, 3),
        throughput: round(floor.throughput, 1),
        samples: floor.ok,
        ratio: `${Math.round((floor.throughput / c16.sdk.throughput) * 100)}% of SDK baseline`,
        target: 'context',
        met: null,
        notes: `${describe('autocannon GET /api/v1/openapi.json', floor)}. A prerendered route served by the same standalone Next server with nothing of the mint path (no key check, database or SDK call): the most any route of this server can do here, and so a ceiling for the mint throughput row.`,
      });
    }
    for (const [m, c] of [
      [c1, 1],
      [c16, 16],
    ] as const) {
      const s = m.raw.latencies.summary();
      rows.push({
        id: `mint-api-raw-c${c}`,
        benchmark: `context: signed HTTP -> emulator c=${c}`,
        unit: 'ms',
        median: round(s.median, 3),
        p99: round(s.p99, 3),
        throughput: round(m.raw.throughput, 1),
        samples: m.raw.ok,
        target: 'context',
        met: null,
        notes: `${describe('autocannon', m.raw)}. Every request signed with SigV4 (test/test) by @smithy/signature-v4 before the run (the signer is asynchronous, autocannon's setupRequest is not), each handed to its request by setupRequest.`,
      });
    }
    return rows;
  },
};

export default suite;
