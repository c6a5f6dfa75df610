/**
 * Mint latency (concurrency 1) and throughput (concurrency 16) through the console's HTTP API,
 * POST /api/v1/tokens with an API key (key check, policy, rate limit, audit, SDK), against the
 * baseline of the JS SDK calling the emulator's CreateChatToken directly, with the emulator's
 * quota off on both sides. The API is driven by autocannon; the SDK baseline is a library call,
 * which autocannon cannot drive, so it is driven in this process at the same concurrency and count,
 * its times recorded in the same kind of HDR histogram. As context, autocannon also sends
 * SigV4-signed CreateChatToken requests straight to the emulator (no SDK in the way).
 *
 * The SDK baseline is a plain IvschatClient (keep-alive agent, standard retries), not the console's
 * governed one, so the API's overhead includes the governor; the governor's own cost is a row of
 * its own (the console's client against the plain one, interleaved, same run). The c=1 overhead is
 * measured twice, in alternating blocks against one SDK baseline: on the bench console, whose log
 * holds whatever the audit suite's prepare filled (1,000,000 entries with `--only mint-api,audit` or
 * a full run), and on a second console of the same build with an empty log, so "flat as history
 * grows" is one run's comparison. c=1 calls are paced (C1_RATE) below the governor's share.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stopConsole, waitForConsole, type BenchContext, type BenchRow, type Suite } from '../lib';
import {
  describeCodes,
  Latencies,
  emulatorStats,
  round,
  runAutocannon,
  mergeRuns,
  runInProcess,
  runSignedCreateChatToken,
  setEmulatorQuota,
  type LoadResult,
} from '../load';

const WARMUP = 300;
const C1_CALLS = 1000;
const C16_CALLS = 5000;
/**
 * c=1 calls are sent 10 ms apart (100/s), on both sides. The console's governor spaces its calls to
 * stay within its share of the account's 200/s (the local default, 196/s: one call every 5.1 ms), so
 * back-to-back calls from one client (about 900/s to the emulator) would be held for their slot and
 * the row would measure the share, not the mint path. At 100/s every call finds its slot free.
 */
const C1_RATE = 100;
/** c=1 calls per block: the SDK baseline, the filled console and the empty one take turns. */
const C1_BLOCK = 100;

type Caller = (i: number) => Promise<void>;

/**
 * CreateChatToken calls through the console's own SDK client factory (timeouts, retries, keep-alive
 * agent, the governor's middleware) and through a plain IvschatClient with the same keep-alive
 * agent and standard retries and no governor: the SDK baseline.
 */
async function sdkCallers(ctx: BenchContext): Promise<{ governed: Caller; plain: Caller }> {
  const { CreateChatTokenCommand, IvschatClient } = await import('@aws-sdk/client-ivschat');
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  const { Agent } = await import('node:http');
  const { ivschatClient, regionFromArn } = await import('@/lib/ivschat/client');
  const region = regionFromArn(ctx.roomArn);
  const governed = ivschatClient(region);
  const plain = new IvschatClient({
    region,
    endpoint: ctx.emulatorUrl,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 3,
    retryMode: 'standard',
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
  });
  const caller =
    (client: typeof plain, tag: string): Caller =>
    async (i) => {
      const out = await client.send(
        new CreateChatTokenCommand({
          roomIdentifier: ctx.roomArn,
          userId: `bench-${tag}-${i}`,
          capabilities: ['SEND_MESSAGE'],
          sessionDurationInMinutes: 60,
        }),
      );
      if (!out.token) throw new Error('CreateChatToken answered without a token');
    };
  return { governed: caller(governed, 'governed'), plain: caller(plain, 'sdk') };
}

/**
 * The governor's cost on the mint path: c=1 calls through the governed client and the plain one,
 * alternating in blocks so drift on a shared machine falls on both alike.
 */
async function governorOverhead(callers: { governed: Caller; plain: Caller }, calls: number) {
  const with_ = new Latencies();
  const without = new Latencies();
  const BLOCK = 50;
  for (let done = 0; done < calls; done += BLOCK) {
    for (const [call, into] of [
      [callers.plain, without],
      [callers.governed, with_],
    ] as const) {
      const run = await runInProcess(BLOCK, 1, (i) => call(3_000_000 + done + i), C1_RATE);
      if (run.errors) throw new Error(`governor overhead: ${run.errorMessages.join('; ')}`);
      into.merge(run.latencies);
    }
  }
  return { with: with_, without };
}

async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 20; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}..${from + 19}`);
}

/** Entries in the bench console's audit log (SQLite), read-only, so the row can say what it ran against. */
async function auditEntries(ctx: BenchContext): Promise<number | null> {
  try {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path.join(ctx.dataDir, 'console.db'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('select count(*) as n from audit_log').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** A second console of the same build on an empty data folder (an empty log), with an API key of its own. */
async function emptyConsole(ctx: BenchContext): Promise<{ url: string; apiKey: string; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-empty-log-'));
  const port = await freePort(Number(new URL(ctx.consoleUrl).port) + 10);
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...ctx.consoleEnv,
    CONSOLE_DATA_DIR: dataDir,
    NEXTAUTH_URL: url,
    PORT: String(port),
    HOSTNAME: '127.0.0.1',
  };
  delete env.DATABASE_URL;
  const created = JSON.parse(
    execFileSync(
      process.execPath,
      [
        '--conditions=react-server',
        '--import',
        'tsx',
        path.join(ctx.root, 'scripts/staff.ts'),
        'api-key',
        'create',
        'bench-empty',
        'admin',
        '--json',
      ],
      { cwd: ctx.root, env: { ...process.env, ...env, NODE_ENV: 'development' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  ) as { key: string };
  const child = spawn(process.execPath, [path.join(ctx.distDir, 'standalone', 'server.js')], {
    cwd: ctx.root,
    env: { ...env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (b: Buffer) => (output = (output + b.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async () => {
    await stopConsole(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForConsole(url, child, 60_000, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, apiKey: created.key, stop };
}

function apiLoad(
  ctx: BenchContext,
  connections: number,
  amount: number,
  target = { url: ctx.consoleUrl, apiKey: ctx.apiKey },
  ratePerSecond?: number,
): Promise<LoadResult> {
  return runAutocannon({
    ratePerSecond,
    url: `${target.url}/api/v1/tokens`,
    method: 'POST',
    headers: { Authorization: `Bearer ${target.apiKey}`, 'Content-Type': 'application/json' },
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
  const sdkRun = await runInProcess(amount, connections, (i) => sdk(i + 2_000_000));
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
    const callers = await sdkCallers(ctx);
    const sdk = callers.plain;
    const entries = await auditEntries(ctx);
    const before = await emulatorStats(ctx.emulatorUrl);

    // Warm-up: connections, JIT, the route's first requests; not recorded.
    const warm = [
      await runInProcess(WARMUP, 16, (i) => sdk(i)),
      await runInProcess(WARMUP, 16, (i) => callers.governed(i)),
      await apiLoad(ctx, 16, WARMUP),
      await runSignedCreateChatToken(ctx.emulatorUrl, ctx.roomArn, 16, WARMUP, 'bench-raw-warmup'),
    ];

    // c=1 on the bench console (its log as filled) and on a second console of the same build with an
    // empty log, against one SDK baseline, in alternating blocks, so drift on a shared machine (the
    // fill's own aftermath included) falls on all three alike: "flat as history grows" is one run's comparison.
    const empty = await emptyConsole(ctx);
    let c1: { sdk: LoadResult; api: LoadResult; raw: LoadResult };
    let c1Empty: { api: LoadResult };
    try {
      const emptyTarget = { url: empty.url, apiKey: empty.apiKey };
      await apiLoad(ctx, 16, WARMUP, emptyTarget);
      const blocks = { sdk: [] as LoadResult[], filled: [] as LoadResult[], empty: [] as LoadResult[] };
      for (let done = 0; done < C1_CALLS; done += C1_BLOCK) {
        blocks.sdk.push(await runInProcess(C1_BLOCK, 1, (i) => sdk(1_000_000 + done + i), C1_RATE));
        blocks.filled.push(await apiLoad(ctx, 1, C1_BLOCK, undefined, C1_RATE));
        blocks.empty.push(await apiLoad(ctx, 1, C1_BLOCK, emptyTarget, C1_RATE));
      }
      const sdkRun = mergeRuns(blocks.sdk);
      c1 = {
        sdk: sdkRun,
        api: mergeRuns(blocks.filled),
        raw: await runSignedCreateChatToken(ctx.emulatorUrl, ctx.roomArn, 1, C1_CALLS, 'bench-raw-c1'),
      };
      c1Empty = { api: mergeRuns(blocks.empty) };
      ctx.log(describe('SDK c=1', c1.sdk));
      ctx.log(describe(`API c=1, ${entries === null ? 'log as filled' : `${entries}-entry log`}`, c1.api));
      ctx.log(describe('API c=1, empty log', c1Empty.api));
      ctx.log(describe('signed HTTP c=1', c1.raw));
    } finally {
      await empty.stop();
    }
    const gov = await governorOverhead(callers, C1_CALLS);
    const c16 = await measure(ctx, sdk, 16, C16_CALLS, 'c16');
    // What the console's HTTP server does with no mint at all: a prerendered, public route through
    // the same standalone Next server (no proxy, no database, no SDK). The ceiling of any route.
    const floor = await runAutocannon({ url: `${ctx.consoleUrl}/api/v1/openapi.json`, connections: 16, amount: C16_CALLS });
    ctx.log(describe('Next floor c=16', floor));
    const after = await emulatorStats(ctx.emulatorUrl);

    const okCalls =
      [c1, c16].reduce((n, m) => n + m.sdk.ok + m.api.ok + m.raw.ok, 0) +
      warm.reduce((n, w) => n + w.ok, 0) +
      gov.with.count +
      gov.without.count +
      c1Empty.api.ok +
      WARMUP;
    const issued = after.tokensIssued - before.tokensIssued;
    const method =
      "API side: autocannon (keep-alive connections), every response checked to be 201. SDK side: the console's own IvschatClient factory (lib/ivschat/client.ts: timeouts, standard retries, keep-alive agent) called in this process by " +
      "N workers that each start the next call when their last one settles, like autocannon's connections, for the same count; both sides' times in HDR histograms at microsecond resolution (autocannon's own histogram keeps whole milliseconds). " +
      `${WARMUP} warm-up calls per side first. c=1 calls are sent ${C1_RATE}/s on both sides (below the governor's share, so no call waits for its slot); c=16 as fast as they answer. Emulator quota off.`;
    const check = `The emulator issued ${issued} tokens for ${okCalls} successful calls (warm-up included).`;

    const logNote =
      entries === null
        ? 'the audit log could not be counted'
        : `${entries.toLocaleString('en-US')} audit entries at the start of the suite`;
    const rows: BenchRow[] = [];
    {
      const api = c1Empty.api.latencies.summary();
      const base = c1.sdk.latencies.summary();
      rows.push({
        id: 'mint-api-c1-empty-log',
        benchmark: 'mint latency c=1, empty log (API: key, policy, audit, governor, SDK)',
        unit: 'ms',
        median: round(api.median, 3),
        p99: round(api.p99, 3),
        throughput: round(c1Empty.api.throughput, 1),
        samples: c1Empty.api.ok,
        baseline: {
          label: 'JS SDK -> emulator c=1',
          median: round(base.median, 3),
          p99: round(base.p99, 3),
          throughput: round(c1.sdk.throughput, 1),
        },
        ratio: `+${(api.median - base.median).toFixed(2)} ms`,
        target: 'p50 <= baseline + 5 ms',
        met: api.median <= base.median + 5,
        notes: `${describe('API', c1Empty.api)}. ${describe('SDK baseline', c1.sdk)}. A second console of the same build on a fresh data folder (an empty log), started by this suite, measured in blocks of ${C1_BLOCK} alternating with the SDK baseline and the next row (the bench console, ${logNote}), against the same baseline.`,
      });
    }
    {
      const w = gov.with.summary();
      const wo = gov.without.summary();
      rows.push({
        id: 'mint-governor-overhead',
        benchmark: "governor's overhead on a mint c=1 (SDK call with vs without it)",
        unit: 'ms',
        median: round(w.median, 3),
        p99: round(w.p99, 3),
        samples: w.count,
        baseline: { label: 'the same call without the governor', median: round(wo.median, 3), p99: round(wo.p99, 3) },
        ratio: `+${(w.median - wo.median).toFixed(3)} ms`,
        target: 'figure reported',
        met: null,
        notes: `The console's IvschatClient (lib/ivschat/client.ts, whose middleware takes a slot from the governor before signing) against a plain IvschatClient with the same keep-alive agent and retries, ${C1_CALLS} calls each at c=1, ${C1_RATE}/s, in alternating blocks of 50 (back to back, the governor would hold each call for its slot, one every 5.1 ms at the local 196/s share: that is the share working, not the governor's cost). This process has no DATABASE_URL, so its governor books slots in memory, as the SQLite console does; with PostgreSQL each booking is one UPDATE of ivschat_governor (one row per lane, primary key) for up to a tenth of a second of slots.`,
      });
    }
    {
      const api = c1.api.latencies.summary();
      const base = c1.sdk.latencies.summary();
      rows.push({
        id: 'mint-api-c1',
        benchmark: `mint latency c=1 (API: key, policy, audit, governor, SDK), ${entries === null ? 'log as filled' : `${entries.toLocaleString('en-US')}-entry log`}`,
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
        notes: `${describe('API', c1.api)}. ${describe('SDK baseline', c1.sdk)}. ${logNote}. ${method} ${check}`,
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
