/**
 * The audit lookups of bench/suites/audit.ts on their own, without building or starting the
 * console (`npm run bench -- --only audit` runs them with the history page): fills a fresh SQLite
 * file (and, with --postgres, the schema bench_audit_cli of TEST_DATABASE_URL or DATABASE_URL)
 * with the suite's rows, then times the fingerprint and userId lookups through the store and a full
 * `verify` of the chain.
 *
 *   node --conditions=react-server --import tsx bench/audit-lookup.ts [--rows 1000000] [--runs 300] [--postgres] [--keep]
 *   ... bench/audit-lookup.ts --reuse <dir printed by --keep> [--postgres]   (no fill: the kept file and schema again)
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
  options: {
    rows: { type: 'string' },
    runs: { type: 'string' },
    postgres: { type: 'boolean' },
    keep: { type: 'boolean' },
    reuse: { type: 'string' },
  },
});
const rows = Number(values.rows ?? AUDIT_ROWS);
const runs = Number(values.runs ?? 300);
const SCHEMA = 'bench_audit_cli';

async function main() {
  const pgUrl = values.postgres ? process.env.TEST_DATABASE_URL || process.env.DATABASE_URL : undefined;
  if (values.postgres && !pgUrl) throw new Error('--postgres needs TEST_DATABASE_URL (or DATABASE_URL)');
  const dir = values.reuse ? path.resolve(values.reuse) : mkdtempSync(path.join(tmpdir(), 'audit-lookup-'));
  const file = path.join(dir, 'console.db');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const keep = values.keep || values.reuse !== undefined;
  try {
    if (!values.reuse) {
      const fill = await fillAuditLog({
        rows,
        root: path.resolve(import.meta.dirname, '..'),
        sqliteFile: file,
        postgres: pgUrl ? { url: pgUrl, schema: SCHEMA } : undefined,
        log,
      });
      console.log(fillSummary(fill));
    }
    const out: BenchRow[] = [];
    const lite = await openDatabase({ kind: 'sqlite', path: file });
    out.push(...lookupRows('SQLite', await measureLookups(lite, runs)).map((r) => ({ ...r, notes: undefined })));
    out.push(verifyRow('SQLite', await measureVerify(lite)));
    log(`- ${out.at(-1)!.benchmark}: ${out.at(-1)!.notes}`);
    await lite.close();
    if (pgUrl) {
      const handle = await openDatabase({ kind: 'postgres', url: pgUrl, schema: SCHEMA });
      out.push(...lookupRows('PostgreSQL', await measureLookups(handle, runs)).map((r) => ({ ...r, notes: undefined })));
      out.push(verifyRow('PostgreSQL', await measureVerify(handle)));
      log(`- ${out.at(-1)!.benchmark}: ${out.at(-1)!.notes}`);
      await handle.close();
    }
    console.log(formatTable(out));
  } finally {
    if (keep) console.log(`kept ${file}${pgUrl ? ` and schema ${SCHEMA}` : ''} (--reuse ${dir})`);
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
