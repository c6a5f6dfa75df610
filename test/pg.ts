/**
 * Test databases: a temp SQLite file, or a fresh schema in the PostgreSQL server named by
 * TEST_DATABASE_URL (so test files can run in parallel against one database). When
 * TEST_DATABASE_URL is unset the PostgreSQL half is skipped, visibly, with the reason in its title.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { openDatabase, type DatabaseHandle, type DatabaseKind } from '@/lib/db';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const PG_SKIP_REASON = 'skipped: TEST_DATABASE_URL is not set';

export interface TestDatabase {
  handle: DatabaseHandle;
  /** The SQLite file (sqlite only). */
  file?: string;
  cleanup(): Promise<void>;
}

async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  if (!TEST_DATABASE_URL) throw new Error(`PostgreSQL test database requested but ${PG_SKIP_REASON}`);
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A uniquely named, empty schema; drop() removes it with everything in it. */
export async function createTestSchema(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await withAdminClient((c) => c.query(`create schema "${schema}"`));
  return {
    url: TEST_DATABASE_URL!,
    schema,
    drop: () => withAdminClient((c) => c.query(`drop schema if exists "${schema}" cascade`)).then(() => {}),
  };
}

/** A fresh, migrated database of the given kind. */
export async function openTestDatabase(kind: DatabaseKind, options: { busyTimeoutMs?: number } = {}): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'console-db-'));
    const file = path.join(dir, 'console.db');
    const handle = await openDatabase({ kind: 'sqlite', path: file, busyTimeoutMs: options.busyTimeoutMs });
    return {
      handle,
      file,
      cleanup: async () => {
        await handle.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const { url, schema, drop } = await createTestSchema();
  const handle = await openDatabase({ kind: 'postgres', url, schema, poolSize: 20 });
  return {
    handle,
    cleanup: async () => {
      await handle.close();
      await drop();
    },
  };
}

export interface DatabaseContext {
  kind: DatabaseKind;
  /** Opens another fresh database of this kind, closed and removed after the block. */
  fresh(options?: { busyTimeoutMs?: number }): Promise<TestDatabase>;
}

/**
 * Declares `body` twice: once on SQLite and once on PostgreSQL (skipped, with the reason in the
 * title, when TEST_DATABASE_URL is unset).
 */
export function describeEachDatabase(title: string, body: (ctx: DatabaseContext) => void): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    const skip = kind === 'postgres' && !TEST_DATABASE_URL;
    describe.skipIf(skip)(`${title} [${kind}]${skip ? ` (${PG_SKIP_REASON})` : ''}`, () => {
      const opened: TestDatabase[] = [];
      afterAll(async () => {
        await Promise.all(opened.map((d) => d.cleanup()));
      });
      body({
        kind,
        fresh: async (options) => {
          const d = await openTestDatabase(kind, options);
          opened.push(d);
          return d;
        },
      });
    });
  }
}
