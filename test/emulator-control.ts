/**
 * The one client for the emulator's control endpoints (/_emulator/*: stats, faults, quota, health;
 * emulator/control.ts), used by the integration tests, the browser tests and the benchmarks. Every
 * request that changes something sends JSON with `Content-Type: application/json` and no Origin,
 * which is what the emulator accepts from a tool on the same machine.
 */

/** GET /_emulator/stats (emulator/server.ts). */
export interface EmulatorStats {
  operations: Record<string, { received: number; succeeded: number; failed: number }>;
  tokensIssued: number;
  /** Open chat WebSocket connections. */
  connections: number;
  /** Open connections to the emulator: all of them, and those that carried an API call. */
  httpConnections: number;
  apiConnections: number;
  /** Per access key id and operation: calls, throttles and the busiest quota window (emulator/control.ts). */
  callers: Record<string, Record<string, { calls: number; throttled: number; busiestWindow: number; busiestWindowAt: number }>>;
}

/** A fault for the next matching calls (emulator/control.ts has the fields: kind, count, status…). */
export type EmulatorFault = Record<string, unknown>;

export interface EmulatorControl {
  stats(): Promise<EmulatorStats>;
  /** CreateChatToken requests the emulator has received (every one, refused or not). */
  createChatTokenCalls(): Promise<number>;
  /** Arms a fault; `operation` defaults to CreateChatToken. Throws when the emulator refuses it. */
  armFault(fault: EmulatorFault): Promise<void>;
  clearFaults(): Promise<void>;
  quota(): Promise<boolean>;
  /** Turns the CreateChatToken quota (200/s per account) on or off, and checks that it took. */
  setQuota(enabled: boolean): Promise<void>;
  /** The health probe's response, for its headers (Keep-Alive). */
  health(): Promise<Response>;
}

export function emulatorControl(endpoint: string): EmulatorControl {
  const url = (path: string) => `${endpoint.replace(/\/$/, '')}/_emulator/${path}`;
  async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const res = await fetch(url(path), {
      method,
      ...(method === 'GET' ? {} : { headers: { 'Content-Type': 'application/json' } }),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /_emulator/${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return {
    stats: () => call<EmulatorStats>('GET', 'stats'),
    createChatTokenCalls: async () => (await call<EmulatorStats>('GET', 'stats')).operations.CreateChatToken.received,
    armFault: async (fault) => {
      await call('POST', 'faults', { operation: 'CreateChatToken', ...fault });
    },
    clearFaults: async () => {
      await call('DELETE', 'faults');
    },
    quota: async () => (await call<{ enabled: boolean }>('GET', 'quota')).enabled,
    setQuota: async (enabled) => {
      const body = await call<{ enabled: boolean }>('POST', 'quota', { enabled });
      if (body.enabled !== enabled)
        throw new Error(`the emulator's quota is ${body.enabled ? 'on' : 'off'} after asking for ${enabled ? 'on' : 'off'}`);
    },
    health: () => fetch(url('health')),
  };
}
