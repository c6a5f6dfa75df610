import { verifyAuditChain } from '@/lib/audit/verify';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { countAuditRecords, recordMintRequested, type MintRequest } from '@/lib/audit/store';
import { createTestSchema, describeEachDatabase, PG_SKIP_REASON, TEST_DATABASE_URL } from '@/test/pg';
import { isUniqueViolation, openDatabase, withWriteTransaction } from './index';
import { migrations as allMigrations } from './migrations';

const request: MintRequest = {
  actor: { staffId: 's', email: 's@example.com', role: 'support', via: 'ui' },
  roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/abcdEFGH1234',
  region: 'us-east-1',
  userId: 'u',
  attributes: {},
  capabilities: [],
  durationMinutes: 1,
};

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir() {
  const dir = await mkdtemp(path.join(tmpdir(), 'console-db-test-'));
  dirs.push(dir);
  return dir;
}

describe('SQLite database', () => {
  it('creates the directory, sets the pragmas and migrates idempotently', async () => {
    const file = path.join(await tempDir(), 'nested', 'deeper', 'console.db');
    const first = await openDatabase({ kind: 'sqlite', path: file });
    expect(first.kind).toBe('sqlite');
    const pragma = async (name: string) =>
      Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(first.db)).rows[0])[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('busy_timeout')).toBe(5000);
    expect(await pragma('synchronous')).toBe(1); // NORMAL
    expect(await pragma('foreign_keys')).toBe(1);
    await recordMintRequested(request, first);
    await first.close();
    await first.close(); // idempotent

    const again = await openDatabase({ kind: 'sqlite', path: file });
    expect(await countAuditRecords({}, again)).toBe(1);
    const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(again.db);
    expect(migrations.rows.map((r) => r.name)).toEqual(Object.keys(allMigrations('sqlite')));
    await again.close();
    expect((await stat(file)).isFile()).toBe(true);
  });

  it('fails closed: a locked database rejects the pending write and keeps no row', async () => {
    const file = path.join(await tempDir(), 'console.db');
    const handle = await openDatabase({ kind: 'sqlite', path: file, busyTimeoutMs: 50 });
    const other = new SqliteDatabase(file);
    try {
      other.exec('begin exclusive');
      await expect(recordMintRequested(request, handle)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      other.exec('rollback');
      await recordMintRequested(request, handle);
      expect(await countAuditRecords({}, handle)).toBe(1);
      expect(await verifyAuditChain(handle, { checkpointFile: null })).toMatchObject({ ok: true, rows: 1, problems: [] });
    } finally {
      other.close();
      await handle.close();
    }
  });

  it('fails closed: a read-only connection rejects the pending write', async () => {
    const file = path.join(await tempDir(), 'console.db');
    const handle = await openDatabase({ kind: 'sqlite', path: file });
    try {
      await sql`pragma query_only = ON`.execute(handle.db);
      await expect(recordMintRequested(request, handle)).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
      await sql`pragma query_only = OFF`.execute(handle.db);
      expect(await countAuditRecords({}, handle)).toBe(0);
      // The connection is usable again after the failed write (the transaction was rolled back).
      await recordMintRequested(request, handle);
      expect(await countAuditRecords({}, handle)).toBe(1);
    } finally {
      await handle.close();
    }
  });

  it('refuses to open a path it cannot create', async () => {
    const file = path.join(await tempDir(), 'console.db');
    await openDatabase({ kind: 'sqlite', path: file }).then((h) => h.close());
    // A directory where the file should be cannot be opened as a database.
    await expect(openDatabase({ kind: 'sqlite', path: path.dirname(file) })).rejects.toThrow();
  });
});

describeEachDatabase('write transactions', ({ fresh, kind }) => {
  it('rolls back everything when the body throws', async () => {
    const { handle } = await fresh();
    await expect(
      withWriteTransaction(handle, async (trx) => {
        await trx
          .insertInto('staff')
          .values({
            id: 'x',
            email: 'x@example.com',
            name: null,
            role: 'qa',
            password_hash: null,
            disabled: 0,
            created_at: 'a',
            updated_at: 'a',
          })
          .execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await handle.db.selectFrom('staff').selectAll().execute()).toEqual([]);
  });

  it('recognises unique violations', async () => {
    const { handle } = await fresh();
    const row = {
      id: 'x',
      email: 'x@example.com',
      name: null,
      role: 'qa',
      password_hash: null,
      disabled: 0,
      created_at: 'a',
      updated_at: 'a',
    };
    await handle.db.insertInto('staff').values(row).execute();
    const error = await handle.db
      .insertInto('staff')
      .values({ ...row, id: 'y' })
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error), `${kind}: ${String(error)}`).toBe(true);
    expect(isUniqueViolation(new Error('other'))).toBe(false);
  });
});

describe.skipIf(!TEST_DATABASE_URL)(`PostgreSQL database${TEST_DATABASE_URL ? '' : ` (${PG_SKIP_REASON})`}`, () => {
  it('migrates once when several replicas start together, and returns int8 as numbers', async () => {
    const { url, schema, drop } = await createTestSchema();
    try {
      const handles = await Promise.all([1, 2, 3].map(() => openDatabase({ kind: 'postgres', url, schema })));
      await Promise.all(handles.map((h) => recordMintRequested(request, h)));
      expect(await countAuditRecords({}, handles[0])).toBe(3);
      expect(await verifyAuditChain(handles[2], { checkpointFile: null })).toMatchObject({ ok: true, rows: 3, problems: [] });
      const { rows } = await sql<{ n: unknown }>`select count(*) as n from kysely_migration`.execute(handles[0].db);
      expect(rows[0].n).toBe(Object.keys(allMigrations('postgres')).length);
      await Promise.all(handles.map((h) => h.close()));
    } finally {
      await drop();
    }
  });

  it('rejects a bad schema name', async () => {
    await expect(openDatabase({ kind: 'postgres', url: TEST_DATABASE_URL!, schema: 'x; drop' })).rejects.toThrow(/schema/);
  });
});
