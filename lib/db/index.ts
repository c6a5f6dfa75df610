import 'server-only';
import { metrics } from '@/lib/ops/metrics';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { env } from '@/lib/env';
import { log } from '@/lib/log';
import { migrations, type DatabaseKind } from './migrations';
import type { DB } from './types';

export type { DatabaseKind } from './migrations';
export type * from './types';

export type DatabaseConfig =
  | {
      kind: 'sqlite';
      /** A file path (its directory is created), or ':memory:'. */
      path: string;
      /** How long a writer waits for another connection's lock before failing. Default 5000 ms. */
      busyTimeoutMs?: number;
    }
  | {
      kind: 'postgres';
      url: string;
      /**
       * The owner's connection, used only to migrate and to grant `url`'s role what it needs (never
       * UPDATE, DELETE or TRUNCATE on the audit log). Unset: `url` migrates and owns the tables.
       */
      migrationUrl?: string;
      /** Use this schema (it must exist) instead of the connection's default search_path. Tests use it. */
      schema?: string;
      /** Pool size. Default 10. */
      poolSize?: number;
    };

export interface DatabaseHandle {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /**
   * The driver under Kysely, for the few readers that stream a whole table (lib/audit/verify.ts):
   * rows as arrays without Kysely's per-row work, and where another thread may open its own connection.
   */
  driver: DatabaseDriver;
  close(): Promise<void>;
}

export type DatabaseDriver =
  | { kind: 'sqlite'; database: SqliteDatabase.Database; /** Null for ':memory:'. */ file: string | null }
  | { kind: 'postgres'; pool: pg.Pool; url: string; schema?: string };

/** Serializes chained writes across every replica that shares one PostgreSQL database. */
const WRITE_LOCK_KEY = 0x49565343; // 'IVSC'

/** Opens the database and applies any pending migrations before returning. */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.kind === 'postgres' && config.migrationUrl) await migrateAsOwner(config);
  const { db, driver } = config.kind === 'sqlite' ? openSqlite(config) : openPostgres(config);
  try {
    // With an owner connection, the runtime role has no right to create the migrator's tables.
    if (!(config.kind === 'postgres' && config.migrationUrl)) await migrate(db, config.kind);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    db,
    kind: config.kind,
    driver,
    close: () => (closed ??= db.destroy()),
  };
}

// The file holds password hashes and the audit log: the owner only. SQLite creates the -wal and
// -shm files with the database file's mode; they are set again after opening all the same.
const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

function makePrivate(target: string, mode: number) {
  try {
    chmodSync(target, mode);
  } catch (err) {
    // A folder we do not own (a shared mount): the files inside are still 0600.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM' && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function openSqlite(config: Extract<DatabaseConfig, { kind: 'sqlite' }>): { db: Kysely<DB>; driver: DatabaseDriver } {
  const onDisk = config.path !== ':memory:' && config.path !== '';
  if (onDisk) {
    const file = path.resolve(config.path);
    mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR });
    makePrivate(path.dirname(file), PRIVATE_DIR);
    // Created (or narrowed) before SQLite opens it, so it is never readable by others, even briefly.
    closeSync(openSync(file, 'a', PRIVATE_FILE));
    makePrivate(file, PRIVATE_FILE);
  }
  const busyTimeout = config.busyTimeoutMs ?? 5000;
  const database = new SqliteDatabase(config.path, { timeout: busyTimeout });
  database.pragma('journal_mode = WAL');
  if (onDisk) for (const suffix of ['-wal', '-shm']) makePrivate(`${path.resolve(config.path)}${suffix}`, PRIVATE_FILE);
  database.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeout))}`);
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  return {
    db: new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }),
    driver: { kind: 'sqlite', database, file: onDisk ? path.resolve(config.path) : null },
  };
}

/**
 * Kysely's SQLite driver prepares every query again; preparing is a large share of a mint's
 * database time (bench/: `npm run bench`). The console runs the same few dozen statements over and
 * over, so prepared statements are kept by SQL text. Safe because Kysely runs one query at a time
 * on its single SQLite connection (a mutex held for a whole query or stream).
 */
function withStatementCache(database: SqliteDatabase.Database, max = 256) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sqlText: string): SqliteDatabase.Statement {
      let statement = cache.get(sqlText);
      if (statement) {
        // Most recently used last, so the oldest entry goes first when the cache is full.
        cache.delete(sqlText);
      } else {
        statement = database.prepare(sqlText);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sqlText, statement);
      return statement;
    },
  };
}

function openPostgres(config: Extract<DatabaseConfig, { kind: 'postgres' }>): { db: Kysely<DB>; driver: DatabaseDriver } {
  if (config.schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(config.schema)) {
    throw new Error(`Invalid PostgreSQL schema name: ${JSON.stringify(config.schema)}`);
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 10,
    options: config.schema ? `-c search_path=${config.schema}` : undefined,
    // int8 (the audit seq, count(*)) as a JS number rather than a string; seqs stay far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8 && format !== 'binary'
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that the server ends (a restart, a failover) emits 'error' on the pool;
  // unheard, it would crash the process. The pool drops that connection and opens a new one when
  // the next query needs it, so the database coming back needs no restart of the console.
  pool.on('error', (err) => log.warn({ event: 'db.idle_connection_lost', err: err.message }, 'PostgreSQL closed an idle connection'));
  return {
    db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }),
    driver: { kind: 'postgres', pool, url: config.url, schema: config.schema },
  };
}

async function migrate(db: Kysely<DB>, kind: DatabaseKind): Promise<void> {
  let migrationTableSchema: string | undefined;
  if (kind === 'postgres') {
    // Pin Kysely's bookkeeping tables to the schema we write to; otherwise a kysely_migration
    // table in another schema of the same database would be mistaken for ours.
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema ?? undefined;
    if (!migrationTableSchema) throw new Error('PostgreSQL: no schema in search_path exists; cannot apply migrations');
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(kind) },
    migrationTableSchema,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/**
 * Migrates through the owner's connection, then grants the runtime role (the user of `url`) what
 * the console needs: everything on its tables but the audit log, where it may only read and append.
 * Granted at every start, so tables added by later migrations are covered.
 */
async function migrateAsOwner(config: Extract<DatabaseConfig, { kind: 'postgres' }>): Promise<void> {
  const { db: owner } = openPostgres({ ...config, url: config.migrationUrl!, poolSize: 1 });
  try {
    await migrate(owner, 'postgres');
    const runtime = decodeURIComponent(new URL(config.url).username);
    if (!runtime) throw new Error('DATABASE_URL names no user to grant the console its privileges to');
    const ownerRole = (await sql<{ role: string }>`select current_user as role`.execute(owner)).rows[0]?.role;
    if (ownerRole === runtime) return;
    const role = sql.id(runtime);
    const schema = sql.id((await sql<{ schema: string }>`select current_schema() as schema`.execute(owner)).rows[0].schema);
    await sql`grant usage on schema ${schema} to ${role}`.execute(owner);
    await sql`grant select, insert, update, delete on all tables in schema ${schema} to ${role}`.execute(owner);
    await sql`grant usage, select on all sequences in schema ${schema} to ${role}`.execute(owner);
    await sql`revoke update, delete, truncate on audit_log from ${role}`.execute(owner);
    await sql`revoke insert, update, delete, truncate on kysely_migration, kysely_migration_lock from ${role}`.execute(owner);
    const legacy = (await sql<{ t: string | null }>`select to_regclass('audit_log_v1')::text as t`.execute(owner)).rows[0]?.t;
    if (legacy) await sql`revoke insert, update, delete, truncate on audit_log_v1 from ${role}`.execute(owner);
  } finally {
    await owner.destroy();
  }
}

/**
 * Runs `fn` in a transaction that holds the database-wide write lock, so chained inserts form
 * one line even with several processes: `BEGIN IMMEDIATE` on SQLite (fails with SQLITE_BUSY after
 * the busy timeout), a transaction-scoped advisory lock on PostgreSQL. Inside `fn`, use only the
 * `trx` it receives: on SQLite the one connection is held until `fn` settles.
 */
export async function withWriteTransaction<T>(handle: DatabaseHandle, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  const done = metrics().auditWrites.startTimer({ kind: 'chained' });
  try {
    return await writeTransaction(handle, fn);
  } finally {
    done();
  }
}

async function writeTransaction<T>(handle: DatabaseHandle, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (handle.kind === 'postgres') {
    // READ COMMITTED so the reads after the lock see rows committed while we waited for it.
    return handle.db
      .transaction()
      .setIsolationLevel('read committed')
      .execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${sql.lit(WRITE_LOCK_KEY)})`.execute(trx);
        return fn(trx);
      });
  }
  return handle.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    let result: T;
    try {
      result = await fn(conn);
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw error;
    }
    try {
      await sql`commit`.execute(conn);
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw error;
    }
    return result;
  });
}

/** True when `error` is a unique-constraint violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== 'object' || !('code' in error)) return false;
  const code = (error as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function databaseConfigFromEnv(): DatabaseConfig {
  return env.DATABASE_URL
    ? { kind: 'postgres', url: env.DATABASE_URL, ...(env.DATABASE_MIGRATION_URL ? { migrationUrl: env.DATABASE_MIGRATION_URL } : {}) }
    : {
        kind: 'sqlite',
        path: path.join(env.CONSOLE_DATA_DIR, 'console.db'),
        ...(env.SQLITE_BUSY_TIMEOUT_MS !== undefined ? { busyTimeoutMs: env.SQLITE_BUSY_TIMEOUT_MS } : {}),
      };
}

// Cached on globalThis so that Next's dev hot reload, which re-evaluates modules, reuses one pool.
const cache = globalThis as typeof globalThis & { __ivsConsoleDatabase?: Promise<DatabaseHandle> };

/** The process-wide database from the environment (SQLite file, or PostgreSQL when DATABASE_URL is set). */
export function getDatabase(): Promise<DatabaseHandle> {
  let handle = cache.__ivsConsoleDatabase;
  if (!handle) {
    const opening = openDatabase(databaseConfigFromEnv());
    handle = opening;
    cache.__ivsConsoleDatabase = opening;
    // A failed open is not cached: the next request tries again (and fails closed meanwhile).
    opening.catch(() => {
      if (cache.__ivsConsoleDatabase === opening) cache.__ivsConsoleDatabase = undefined;
    });
  }
  return handle;
}

/** Closes the process-wide database, if open (CLIs call this before exiting). */
export async function closeDatabase(): Promise<void> {
  const handle = cache.__ivsConsoleDatabase;
  cache.__ivsConsoleDatabase = undefined;
  if (handle) await (await handle.catch(() => null))?.close();
}
