/**
 * A second, throwaway PostgreSQL 15 cluster for the fault tests (lib/mint/faults-pg.test.ts), which
 * stop and start it to show that minting fails closed while the database is down and works again
 * once it is back. The main cluster (5432) that every other test uses is never stopped. Root only:
 * it runs pg_createcluster and psql as the postgres user. Returns the env the test reads, or null
 * (the test then skips, saying why).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { ensureConsoleDatabase, sh } from './postgres';

export const FAULT_CLUSTER = { version: '15', name: 'ivsfault', port: 5439 } as const;
export const FAULT_PG_URL = `postgres://console:console@127.0.0.1:${FAULT_CLUSTER.port}/console_fault`;

export function ensureFaultCluster(): { TEST_PG_FAULT_URL: string; TEST_PG_FAULT_CLUSTER: string } | null {
  if (process.env.TEST_PG_FAULT_URL && process.env.TEST_PG_FAULT_CLUSTER) {
    return { TEST_PG_FAULT_URL: process.env.TEST_PG_FAULT_URL, TEST_PG_FAULT_CLUSTER: process.env.TEST_PG_FAULT_CLUSTER };
  }
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/pg_createcluster')) return null;
  const { version, name, port } = FAULT_CLUSTER;
  if (!existsSync(`/etc/postgresql/${version}/${name}`)) {
    if (!sh('pg_createcluster', [version, name, '-p', String(port)])) return null;
    // Debian's postgresql.conf includes conf.d/; loopback only.
    writeFileSync(`/etc/postgresql/${version}/${name}/conf.d/listen.conf`, "listen_addresses = '127.0.0.1'\n");
  }
  sh('pg_ctlcluster', [version, name, 'start']); // fails harmlessly when it is already running
  const ready = () => sh('su', ['postgres', '-c', `pg_isready -q -h 127.0.0.1 -p ${port}`]);
  for (let i = 0; i < 30 && !ready(); i++) spawnSync('sleep', ['1']);
  if (!ready()) return null;
  ensureConsoleDatabase(port, 'console_fault');
  return { TEST_PG_FAULT_URL: FAULT_PG_URL, TEST_PG_FAULT_CLUSTER: `${version} ${name}` };
}
