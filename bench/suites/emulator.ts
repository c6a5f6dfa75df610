/**
 * The emulator's CreateChatToken at concurrency 32, quota off: autocannon sending SigV4-signed
 * requests straight to it. A figure to report (how much load the local IVS Chat can take), no target.
 */
import type { Suite } from '../lib';
import { describeCodes, emulatorStats, round, runSignedCreateChatToken, setEmulatorQuota } from '../load';

const CONNECTIONS = 32;
const WARMUP = 500;
const CALLS = 10_000;

export const suite: Suite = {
  name: 'emulator',
  async run(ctx) {
    await setEmulatorQuota(ctx.emulatorUrl, false);
    await runSignedCreateChatToken(ctx.emulatorUrl, ctx.roomArn, CONNECTIONS, WARMUP, 'bench-emu-warmup');
    const before = await emulatorStats(ctx.emulatorUrl);
    const r = await runSignedCreateChatToken(ctx.emulatorUrl, ctx.roomArn, CONNECTIONS, CALLS, 'bench-emu');
    const after = await emulatorStats(ctx.emulatorUrl);
    const s = r.latencies.summary();
    ctx.log(`c=${CONNECTIONS}: ${r.ok} ok, p50 ${s.median.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, ${Math.round(r.throughput)}/s`);
    return [
      {
        id: 'emulator-c32',
        benchmark: `emulator CreateChatToken c=${CONNECTIONS}`,
        unit: 'ms',
        median: round(s.median, 3),
        p99: round(s.p99, 3),
        throughput: round(r.throughput, 1),
        samples: r.ok,
        target: 'figure reported',
        met: null,
        notes:
          `autocannon, ${CONNECTIONS} keep-alive connections, ${CALLS} requests after ${WARMUP} warm-up, quota off; status ${describeCodes(r.statusCodes)}, non-2xx ${r.non2xx}, errors ${r.errors}, max ${s.max.toFixed(2)} ms; ` +
          `the emulator counted ${after.tokensIssued - before.tokensIssued} tokens issued. Each request signed with SigV4 (test/test) by @smithy/signature-v4 before the run and handed to autocannon by setupRequest. ` +
          "The emulator runs in the console launcher's process (scripts/start.ts) and shares the machine with the console and the load generator.",
      },
    ];
  },
};

export default suite;
