import type { ChildProcess } from 'node:child_process';
import { stopProcess, waitUntilAnswering } from '../test/launcher';

/**
 * Shared shapes for `npm run bench` (bench/run.ts): every suite returns rows of this form, the
 * runner prints them as one table and writes them as JSON under bench/results/. A benchmark
 * reports figures and whether a target was met; it never fails because of a time.
 */

/** One line of the table. Times are milliseconds unless `unit` says otherwise. */
export interface BenchRow {
  /** Stable key, e.g. "mint-api-c1". */
  id: string;
  /** What was measured, as a reader would say it. */
  benchmark: string;
  /** Unit of median/p99 ("ms", "KB", "s"). */
  unit: string;
  median?: number;
  p99?: number;
  /** Operations per second, where that means something. */
  throughput?: number;
  /** Count of operations the figures are over. */
  samples?: number;
  /** The baseline measured in the same run, where the target has one. */
  baseline?: { label: string; median?: number; p99?: number; throughput?: number };
  /** The ratio or difference against the baseline, in words ("+1.8 ms", "64% of baseline"). */
  ratio?: string;
  /** The target as written in the issue ("p50 <= baseline + 5 ms"). */
  target: string;
  /** true/false when the target is a number we can compare; null when it is "figure reported". */
  met: boolean | null;
  /** Anything a reader needs: errors seen, non-2xx counts, why a row was skipped. */
  notes?: string;
}

/** What a suite's prepare step gets, before the console starts. */
export interface PrepareContext {
  root: string;
  /** The bench console's data folder (its SQLite file is `${dataDir}/console.db`). */
  dataDir: string;
  /** PostgreSQL to use for the PostgreSQL half, when available. */
  pgUrl?: string;
}

/** What a suite's run step gets: a built console and its emulator, both on 127.0.0.1. */
export interface BenchContext extends PrepareContext {
  consoleUrl: string;
  emulatorUrl: string;
  /** The build folder the console runs from (its standalone server is `${distDir}/standalone/server.js`). */
  distDir: string;
  /** Environment the console was started with (secrets, POLICY_FILE, ...), for suites that start another process. */
  consoleEnv: NodeJS.ProcessEnv;
  /** A staff member (role admin) that can sign in with a password. */
  staff: { email: string; password: string };
  /** An API key for /api/v1 (role admin; the bench policy lifts the per-key rate limit). */
  apiKey: string;
  /** Room ARNs seeded in the emulator; the first is in us-east-1. */
  roomArn: string;
  log(line: string): void;
}

export interface Suite {
  name: string;
  /** Runs before the console starts (e.g. fills the audit log). */
  prepare?(ctx: PrepareContext): Promise<void>;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

/** Resolves once the console at `url` answers; throws if its process exits first or time runs out. */
export function waitForConsole(url: string, child: ChildProcess, timeoutMs: number, where: string | (() => string)): Promise<void> {
  return waitUntilAnswering(child, `${url}/api/auth/csrf`, timeoutMs, () => `the console: ${typeof where === 'string' ? where : where()}`);
}

/** Stops a console process and its children (test/launcher.ts). */
export const stopConsole = stopProcess;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarize(values: number[]): { median: number; p99: number; min: number; max: number; mean: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '' : n.toFixed(digits));

/** The table the runner prints. */
export function formatTable(rows: BenchRow[]): string {
  const header = ['benchmark', 'median', 'p99', 'ops/s', 'baseline (median / p99 / ops/s)', 'vs baseline', 'target', 'met'];
  const lines = rows.map((r) => [
    r.benchmark,
    r.median === undefined ? '' : `${fmt(r.median, r.unit === 'ms' ? 2 : 1)} ${r.unit}`,
    r.p99 === undefined ? '' : `${fmt(r.p99, r.unit === 'ms' ? 2 : 1)} ${r.unit}`,
    fmt(r.throughput, 0),
    r.baseline
      ? `${r.baseline.label}: ${[fmt(r.baseline.median, 2), fmt(r.baseline.p99, 2), fmt(r.baseline.throughput, 0)].join(' / ')}`
      : '',
    r.ratio ?? '',
    r.target,
    r.met === null ? 'reported' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [row(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(row)].join('\n');
}

/** The cookies a response sets, as `name=value` pairs (attributes dropped). */
function setCookies(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]);
}

/**
 * Signs in with next-auth's credentials flow over HTTP (GET /api/auth/csrf, then POST
 * /api/auth/callback/credentials) and returns the Cookie header that carries the session.
 */
export async function signIn(consoleUrl: string, staff: { email: string; password: string }): Promise<string> {
  const csrfRes = await fetch(`${consoleUrl}/api/auth/csrf`);
  if (!csrfRes.ok) throw new Error(`GET /api/auth/csrf answered ${csrfRes.status}`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = new Map(setCookies(csrfRes).map((c) => [c.slice(0, c.indexOf('=')), c] as const));
  const res = await fetch(`${consoleUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: [...jar.values()].join('; ') },
    body: new URLSearchParams({ csrfToken, email: staff.email, password: staff.password, callbackUrl: `${consoleUrl}/`, json: 'true' }),
  });
  for (const c of setCookies(res)) jar.set(c.slice(0, c.indexOf('=')), c);
  const session = [...jar.keys()].find((name) => name.endsWith('next-auth.session-token'));
  if (!session || jar.get(session) === `${session}=`)
    throw new Error(`sign-in as ${staff.email} failed (HTTP ${res.status}, no session cookie)`);
  return [...jar.values()].join('; ');
}
