/**
 * Load helpers shared by the mint-api, emulator, bulk and fan-out suites: an autocannon run with
 * per-response latencies kept at microsecond resolution, an in-process fixed-concurrency driver for
 * library calls autocannon cannot drive, SigV4-signed CreateChatToken requests, and the emulator's
 * control endpoints.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import autocannon from 'autocannon';
import * as hdr from 'hdr-histogram-js';
import { emulatorControl, type EmulatorStats } from '../test/emulator-control';

/**
 * Latencies in an HDR histogram, recorded in microseconds. autocannon's own latency histogram
 * records whole milliseconds, too coarse for a loopback call of a millisecond or two, so every
 * response's own time (autocannon's `response` event, hrtime-based) is recorded here instead.
 */
export class Latencies {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });

  record(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** Adds another run's calls (same resolution). */
  merge(other: Latencies): void {
    this.histogram.add(other.histogram);
  }

  /** Milliseconds. */
  at(percentile: number): number {
    return this.histogram.getValueAtPercentile(percentile) / 1000;
  }

  summary(): { median: number; p99: number; max: number; count: number } {
    return { median: this.at(50), p99: this.at(99), max: this.histogram.maxValue / 1000, count: this.count };
  }
}

export interface LoadResult {
  latencies: Latencies;
  /** Responses with a 2xx status. */
  ok: number;
  /** Responses by status code. */
  statusCodes: Record<string, number>;
  /** Responses outside 2xx. */
  non2xx: number;
  /** Connection errors and timeouts (no response). */
  errors: number;
  elapsedMs: number;
  /** 2xx responses per second of wall time. */
  throughput: number;
}

export interface HttpLoad {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** Total requests. */
  amount: number;
  /** Requests a second from all connections together (autocannon's overallRate); unset: as fast as they answer. */
  ratePerSecond?: number;
  /** Called for every request autocannon builds (synchronous, as autocannon requires). */
  setupRequest?: (request: autocannon.Request) => autocannon.Request;
}

/** One autocannon run; latencies of 2xx responses only (as autocannon counts them). */
export async function runAutocannon(load: HttpLoad): Promise<LoadResult> {
  const latencies = new Latencies();
  const statusCodes: Record<string, number> = {};
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: load.url,
        method: load.method ?? 'GET',
        headers: load.headers,
        body: load.body,
        connections: load.connections,
        amount: load.amount,
        ...(load.ratePerSecond ? { overallRate: load.ratePerSecond } : {}),
        timeout: 30,
        // autocannon calls setupRequest per entry of `requests`, not as a top-level option.
        ...(load.setupRequest ? { requests: [{ method: load.method ?? 'GET', setupRequest: load.setupRequest }] } : {}),
      },
      (err: unknown, res: autocannon.Result) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) latencies.record(responseTime);
    });
  });
  const elapsedMs = performance.now() - started;
  const ok = Object.entries(statusCodes).reduce((n, [code, c]) => (code.startsWith('2') ? n + c : n), 0);
  const total = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    latencies,
    ok,
    statusCodes,
    non2xx: total - ok,
    errors: result.errors + result.timeouts,
    elapsedMs,
    throughput: ok / (elapsedMs / 1000),
  };
}

/**
 * Drives an async call (a library call autocannon cannot make) at a fixed concurrency: `concurrency`
 * workers each start the next call as soon as their previous one settles, until `amount` calls are
 * done, like autocannon's connections. Each call's time is recorded in the same HDR histogram.
 */
export async function runInProcess(
  amount: number,
  concurrency: number,
  call: (i: number) => Promise<void>,
  /** Calls a second from all workers together: call i starts no earlier than i / rate after the first. */
  ratePerSecond?: number,
): Promise<LoadResult & { errorMessages: string[] }> {
  const latencies = new Latencies();
  const errorMessages: string[] = [];
  let next = 0;
  let ok = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < amount) {
      const i = next++;
      if (ratePerSecond) {
        const wait = started + (i * 1000) / ratePerSecond - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const t0 = performance.now();
      try {
        await call(i);
        latencies.record(performance.now() - t0);
        ok += 1;
      } catch (err) {
        errors += 1;
        if (errorMessages.length < 5) errorMessages.push(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  return { latencies, ok, statusCodes: {}, non2xx: 0, errors, elapsedMs, throughput: ok / (elapsedMs / 1000), errorMessages };
}

/** Several runs (blocks of one measurement) as one: latencies merged, counts and wall time summed. */
export function mergeRuns(runs: LoadResult[]): LoadResult {
  const latencies = new Latencies();
  const statusCodes: Record<string, number> = {};
  for (const r of runs) {
    latencies.merge(r.latencies);
    for (const [code, n] of Object.entries(r.statusCodes ?? {})) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  }
  const sum = (f: (r: LoadResult) => number) => runs.reduce((n, r) => n + f(r), 0);
  const ok = sum((r) => r.ok);
  const elapsedMs = sum((r) => r.elapsedMs);
  return {
    latencies,
    ok,
    statusCodes,
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    elapsedMs,
    throughput: ok / (elapsedMs / 1000),
  };
}

/** Status codes as "201 x 500, 429 x 3". */
export function describeCodes(codes: Record<string, number>): string {
  return (
    Object.entries(codes)
      .map(([code, n]) => `${code} x ${n}`)
      .join(', ') || 'none'
  );
}

const signer = new SignatureV4({
  service: 'ivschat',
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  sha256: Sha256,
});

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/**
 * `count` CreateChatToken requests for the emulator, each signed on its own with SigV4 (test/test)
 * by @smithy/signature-v4. The signer is asynchronous and autocannon's setupRequest is not, so the
 * requests are signed before the run and setupRequest hands each request its own signed copy.
 */
export async function signCreateChatTokens(
  emulatorUrl: string,
  roomArn: string,
  count: number,
  userPrefix: string,
): Promise<SignedRequest[]> {
  const url = new URL(emulatorUrl);
  const region = /^arn:aws:ivschat:([a-z0-9-]+):/.exec(roomArn)?.[1] ?? 'us-east-1';
  const out: SignedRequest[] = [];
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify({
      roomIdentifier: roomArn,
      userId: `${userPrefix}-${i}`,
      capabilities: ['SEND_MESSAGE'],
      sessionDurationInMinutes: 60,
    });
    const request = new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: '/CreateChatToken',
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    });
    const signed = await signer.sign(request, { signingRegion: region });
    out.push({ headers: signed.headers as Record<string, string>, body });
  }
  return out;
}

/** An autocannon load of signed CreateChatToken requests straight to the emulator. */
export async function runSignedCreateChatToken(
  emulatorUrl: string,
  roomArn: string,
  connections: number,
  amount: number,
  userPrefix: string,
): Promise<LoadResult> {
  // autocannon may build a few requests past `amount` (one in flight per connection when it stops).
  const signed = await signCreateChatTokens(emulatorUrl, roomArn, amount + connections * 4, userPrefix);
  let n = 0;
  return runAutocannon({
    url: `${emulatorUrl}/CreateChatToken`,
    method: 'POST',
    connections,
    amount,
    setupRequest: (request) => {
      const s = signed[n++ % signed.length];
      return { ...request, headers: s.headers, body: s.body };
    },
  });
}

export type { EmulatorStats } from '../test/emulator-control';

export function emulatorStats(emulatorUrl: string): Promise<EmulatorStats> {
  return emulatorControl(emulatorUrl).stats();
}

/** Turns the emulator's CreateChatToken quota (200/s per account) on or off. */
export function setEmulatorQuota(emulatorUrl: string, enabled: boolean): Promise<void> {
  return emulatorControl(emulatorUrl).setQuota(enabled);
}

export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
