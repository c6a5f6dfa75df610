import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';

let harness: ConsoleHarness;
const ROWS = Number(process.env.PROBE_ROWS ?? 1_000_000);
beforeAll(async () => {
  harness = await startConsoleHarness({ name: 'mint-queries', env: { AUDIT_CHAIN_KEY: 'c'.repeat(43) }, policy: (p) => {
    p.rateLimits = { mintPerStaff: { max: 1_000_000, windowSeconds: 60 }, mintPerApiKey: { max: 1_000_000, windowSeconds: 60 }, bulkRowsPerStaff: { max: 1_000_000, windowSeconds: 3600 } };
  } });
  if (ROWS > 0) {
    const { fillAuditLog } = await import('@/bench/suites/audit');
    const t0 = Date.now();
    await fillAuditLog({ rows: ROWS, root: path.resolve(import.meta.dirname, '../..'), sqliteFile: path.join(harness.dataDir, 'console.db') });
    console.log('fill', Date.now() - t0);
  }
}, 600_000);
afterAll(async () => harness?.close());

it('times every statement of an API mint', async () => {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3');
  const probe = new Database(':memory:');
  const Statement = probe.prepare('select 1').constructor;
  const times = new Map<string, { n: number; ms: number }>();
  let on = false;
  for (const m of ['run', 'get', 'all', 'iterate']) {
    const orig = Statement.prototype[m];
    Statement.prototype[m] = function (...args: unknown[]) {
      const t0 = performance.now();
      try { return orig.apply(this, args); } finally {
        if (on) { const e = times.get(this.source) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - t0; times.set(this.source, e); }
      }
    };
  }
  const { createApiKey, authenticateApiKey } = await import('@/lib/api-keys/store');
  const { mintFromApi } = await import('@/lib/api/tokens');
  const { claimIdempotencyKey, requestHash } = await import('@/lib/api/idempotency');
  const { key } = await createApiKey({ name: 'probe', role: 'admin' });
  const room = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
  const one = async (i: number, idem: boolean) => {
    const k = (await authenticateApiKey(`Bearer ${key}`))!;
    const actor = { staffId: k.staffId, email: k.email, role: k.role, via: 'api' as const, apiKeyName: k.apiKeyName };
    const text = JSON.stringify({ roomArn: room, userId: `u${i}`, capabilities: ['SEND_MESSAGE'], sessionDurationInMinutes: 60 });
    if (idem) await claimIdempotencyKey(k.apiKeyId, `idem-${i}`, requestHash(text));
    const { response } = await mintFromApi(actor, JSON.parse(text), idem ? { apiKeyId: k.apiKeyId, idempotencyKey: `idem-${i}` } : {});
    if (response.status !== 201) throw new Error(String(response.status) + (await response.text()));
  };
  for (let i = 0; i < 50; i++) await one(i, i % 2 === 0);
  on = true;
  const t0 = performance.now();
  for (let i = 100; i < 400; i++) await one(i, false);
  const wall = performance.now() - t0;
  on = false;
  const rows = [...times.entries()].sort((a, b) => b[1].ms - a[1].ms);
  console.log(`per mint ${(wall / 300).toFixed(3)} ms wall; SQL ${(rows.reduce((n, r) => n + r[1].ms, 0) / 300).toFixed(3)} ms`);
  const { getDatabase } = await import('@/lib/db');
  const { db } = await getDatabase();
  void db;
  const raw = new Database(path.join(harness.dataDir, 'console.db'), { readonly: true });
  for (const [sql, t] of rows) {
    let plan = '';
    try { plan = raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(raw.prepare(sql).reader !== undefined ? (sql.match(/\?/g)?.length ?? 0) : 0).fill(null)).map((r: { detail: string }) => r.detail).join(' | '); } catch (e) { plan = String(e); }
    console.log(`${(t.ms / t.n).toFixed(4)} ms x${t.n}  ${sql.replace(/\s+/g, ' ').slice(0, 300)}\n      PLAN: ${plan}`);
  }
}, 600_000);
