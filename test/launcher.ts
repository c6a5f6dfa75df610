/**
 * The one way the tests, the browser tests and the benchmarks start a console or an emulator as a
 * process of its own, wait until it answers, and stop it (with its children). Only 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Launched {
  name: string;
  child: ChildProcess;
  /** The last 20,000 characters the process wrote (stdout and stderr). */
  log(): string;
  /** Resolves once `url` answers 2xx; throws with the log when the process exits first or time runs out. */
  waitFor(url: string, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `node <args>` (e.g. `['--import', 'tsx', 'scripts/start.ts']`) with `env`, keeping its output. */
export function launch(name: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; detached?: boolean }): Launched {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached,
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return {
    name,
    child,
    log: () => log,
    waitFor: (url, timeoutMs) => waitUntilAnswering(child, url, timeoutMs, () => `${name}:\n${log}`),
    stop: () => stopProcess(child),
  };
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Polls `url` until it answers 2xx; throws if `child` exits first or `timeoutMs` passes (with `detail()`). */
export async function waitUntilAnswering(child: ChildProcess, url: string, timeoutMs: number, detail: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(child)) throw new Error(`exited (${child.exitCode ?? child.signalCode}) before ${url} answered; ${detail()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s; ${detail()}`);
}

/**
 * SIGTERM, then SIGKILL after 5 s. A process started `detached` (a group leader, like
 * scripts/start.ts with its server) is signalled as a group, so its children go too.
 */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (exited(child) || child.pid === undefined) return;
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      child.kill(s); // not a group leader, or already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
  signal('SIGKILL');
}
