/**
 * The local PostgreSQL that `npm test` and `npm run bench` use when none is given: TEST_DATABASE_URL
 * if set, else Debian's PostgreSQL 15 cluster on this machine, started if needed, with a `console`
 * role and a `console_test` database (root only: it runs psql as the postgres user).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const LOCAL_PG_URL = 'postgres://console:console@127.0.0.1:5432/console_test';
/**
 * A login role with no privileges of its own, for the console's runtime connection when migrations
 * run as the owner (DATABASE_MIGRATION_URL): the owner grants it what it needs, and on the audit
 * log only SELECT and INSERT. The tests use it to show the database refusing UPDATE and DELETE.
 */
export const RUNTIME_ROLE = { name: 'console_app', password: 'console_app' };

export function sh(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** The `console` role (password `console`) and a database it owns, on the cluster at `port`; idempotent. */
export function ensureConsoleDatabase(port: number, database: string): void {
  const psql = (sql: string) => sh('su', ['postgres', '-c', `psql -p ${port} -v ON_ERROR_STOP=1 -qc "${sql}"`]);
  psql(
    `DO \\$\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'console') THEN CREATE ROLE console LOGIN PASSWORD 'console'; END IF; END \\$\\$;`,
  );
  psql(
    `DO \\$\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${RUNTIME_ROLE.name}') THEN CREATE ROLE ${RUNTIME_ROLE.name} LOGIN PASSWORD '${RUNTIME_ROLE.password}'; END IF; END \\$\\$;`,
  );
  sh('su', ['postgres', '-c', `createdb -p ${port} -O console ${database}`]); // fails harmlessly when it exists
}

/** A PostgreSQL URL to use, or null when there is none on this machine. */
export function ensurePostgres(): string | null {
  if (process.env.TEST_DATABASE_URL) {
    // The runtime role for the privilege tests, where this machine lets us create it (root).
    if (process.getuid?.() === 0 && existsSync('/usr/bin/pg_ctlcluster')) {
      const port = Number(new URL(process.env.TEST_DATABASE_URL).port || 5432);
      sh('su', [
        'postgres',
        '-c',
        `psql -p ${port} -qc "DO \\$\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${RUNTIME_ROLE.name}') THEN CREATE ROLE ${RUNTIME_ROLE.name} LOGIN PASSWORD '${RUNTIME_ROLE.password}'; END IF; END \\$\\$;"`,
      ]);
    }
    return process.env.TEST_DATABASE_URL;
  }
  if (!existsSync('/usr/bin/pg_ctlcluster')) return null;
  sh('pg_ctlcluster', ['15', 'main', 'start']);
  if (!sh('su', ['postgres', '-c', 'pg_isready -q'])) return null;
  ensureConsoleDatabase(5432, 'console_test');
  return LOCAL_PG_URL;
}
