/**
 * The audit lookups of bench/suites/audit.ts on their own, without building or starting the
 * console (`npm run bench -- --only audit` runs them with the history page): fills a fresh SQLite
 * file (and, with --postgres, the schema bench_audit_cli of TEST_DATABASE_URL or DATABASE_URL)
 * with the suite's rows, then times the fingerprint and userId lookups through the store and a full
 * `verify` of the chain.
 *
 *   node --conditions=react-server --import tsx bench/audit-lookup.ts [--rows 1000000] [--runs 300] [--postgres] [--keep]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '@/lib/db';
import { formatTable, type BenchRow } from './lib';
import { AUDIT_ROWS, fillAuditLog, fillSummary, lookupRows, measureLookups, measureVerify, verifyRow } from './suites/audit';

const { values } = parseArgs({
  options: { rows: { type: 'string' }, runs: { type: 'string' }, postgres: { type: 'boolean' }, keep: { type: 'boolean' } },
});
const rows = Number(values.rows ?? AUDIT_ROWS);
const runs = Number(values.runs ?? 300);
const SCHEMA = 'bench_audit_cli';

async function main() {
  const pgUrl = values.postgres ? process.env.TEST_DATABASE_URL || process.env.DATABASE_URL : undefined;
  if (values.postgres && !pgUrl) throw new Error('--postgres needs TEST_DATABASE_URL (or DATABASE_URL)');
  const dir = mkdtempSync(path.join(tmpdir(), 'audit-lookup-'));
  const file = path.join(dir, 'console.db');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const fill = await fillAuditLog({
      rows,
      root: path.resolve(import.meta.dirname, '..'),
      sqliteFile: file,
      postgres: pgUrl ? { url: pgUrl, schema: SCHEMA } : undefined,
      log,
    });
    console.log(fillSummary(fill));
    const out: BenchRow[] = [];
    const lite = await openDatabase({ kind: 'sqlite', path: file });
    out.push(...lookupRows('SQLite', await measureLookups(lite, runs)).map((r) => ({ ...r, notes: undefined })));
    out.push(verifyRow('SQLite', await measureVerify(lite)));
    await lite.close();
    if (pgUrl) {
      const handle = await openDatabase({ kind: 'postgres', url: pgUrl, schema: SCHEMA });
      out.push(...lookupRows('PostgreSQL', await measureLookups(handle, runs)).map((r) => ({ ...r, notes: undefined })));
      out.push(verifyRow('PostgreSQL', await measureVerify(handle)));
      await handle.close();
    }
    console.log(formatTable(out));
  } finally {
    if (values.keep) console.log(`kept ${file}${pgUrl ? ` and schema ${SCHEMA}` : ''}`);
    else {
      rmSync(dir, { recursive: true, force: true });
      if (pgUrl) {
        const admin = new pg.Client({ connectionString: pgUrl });
        await admin.connect();
        await admin.query(`drop schema if exists "${SCHEMA}" cascade`).finally(() => admin.end());
      }
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
