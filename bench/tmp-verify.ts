import { openDatabase } from '@/lib/db';
import { verifyAuditChain } from '@/lib/audit/verify';
const [kind, workers] = process.argv.slice(2);
const h = kind === 'pg'
  ? await openDatabase({ kind: 'postgres', url: process.env.TEST_DATABASE_URL!, schema: 'bench_audit_cli', poolSize: 2 })
  : await openDatabase({ kind: 'sqlite', path: '/tmp/audit-lookup-mkbjjk/console.db' });
const t = performance.now(); const cpu = process.cpuUsage();
const r = await verifyAuditChain(h, { checkpointFile: null, workers: workers === undefined ? undefined : Number(workers) });
const u = process.cpuUsage(cpu);
console.log(kind, 'workers', workers, 'wall', ((performance.now() - t) / 1000).toFixed(2), 's cpu(all threads)', ((u.user + u.system) / 1e6).toFixed(2), r.ok, r.rows, r.ok ? '' : r.problem);
await h.close();
