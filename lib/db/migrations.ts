import 'server-only';
import type { Kysely, Migration } from 'kysely';

export type DatabaseKind = 'sqlite' | 'postgres';

/**
 * The one set of migrations for both databases. Each migration is built with Kysely's schema
 * builder; the only dialect switch is the auto-incrementing key, which SQL does not spell
 * portably. Add new migrations at the end with a new, sortable name; never edit a shipped one.
 */
export function migrations(kind: DatabaseKind): Record<string, Migration> {
  return {
    '0001_staff_and_audit_log': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('staff')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text')
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text')
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        let auditLog = db.schema.createTable('audit_log');
        auditLog =
          kind === 'sqlite'
            ? auditLog.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
            : auditLog.addColumn('seq', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity());
        await auditLog
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text', (c) => c.notNull())
          .addColumn('actor_email', 'text', (c) => c.notNull())
          .addColumn('actor_role', 'text', (c) => c.notNull())
          .addColumn('via', 'text', (c) => c.notNull())
          .addColumn('api_key_name', 'text')
          .addColumn('batch_id', 'text')
          .addColumn('room_arn', 'text')
          .addColumn('region', 'text')
          .addColumn('user_id', 'text')
          .addColumn('attributes', 'text')
          .addColumn('capabilities', 'text')
          .addColumn('duration_minutes', 'integer')
          .addColumn('reason', 'text')
          .addColumn('details', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('fingerprint', 'text')
          .addColumn('token_expires_at', 'text')
          .addColumn('session_expires_at', 'text')
          .addColumn('request_id', 'text')
          .addColumn('error_code', 'text')
          .addColumn('error_message', 'text')
          .addColumn('completed_at', 'text')
          .addColumn('prev_hash', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('completion_hash', 'text')
          .execute();

        const indexes: [string, string[]][] = [
          ['audit_log_fingerprint', ['fingerprint']],
          ['audit_log_user_id_seq', ['user_id', 'seq']],
          ['audit_log_room_arn_seq', ['room_arn', 'seq']],
          ['audit_log_actor_email_seq', ['actor_email', 'seq']],
          ['audit_log_status_seq', ['status', 'seq']],
          ['audit_log_at', ['at']],
          ['audit_log_batch_id', ['batch_id']],
        ];
        for (const [name, columns] of indexes) {
          await db.schema.createIndex(name).on('audit_log').columns(columns).execute();
        }
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('audit_log').execute();
        await db.schema.dropTable('staff').execute();
      },
    },
    // The history combines a status filter with a room, userId or actor filter. With only
    // single-column indexes, SQLite (no ANALYZE statistics) picked audit_log_status_seq for
    // "room + status" and walked every issued row newest first: 12 ms at 50k rows, linear in the
    // log (bench/audit-lookup.ts). These serve both equalities and the seq order from one index.
    // actor_id joins actor_email so "actor = email or id" can use an index for each side.
    '0002_audit_log_history_indexes': {
      async up(db: Kysely<any>) {
        const indexes: [string, string[]][] = [
          ['audit_log_room_arn_status_seq', ['room_arn', 'status', 'seq']],
          ['audit_log_user_id_status_seq', ['user_id', 'status', 'seq']],
          ['audit_log_actor_email_status_seq', ['actor_email', 'status', 'seq']],
          ['audit_log_actor_id_seq', ['actor_id', 'seq']],
        ];
        for (const [name, columns] of indexes) {
          await db.schema.createIndex(name).on('audit_log').columns(columns).execute();
        }
      },
      async down(db: Kysely<any>) {
        for (const name of ['audit_log_room_arn_status_seq', 'audit_log_user_id_status_seq', 'audit_log_actor_email_status_seq', 'audit_log_actor_id_seq']) {
          await db.schema.dropIndex(name).execute();
        }
      },
    },
    // Mint rate limits shared by every replica: one fixed-window counter per (subject, window),
    // upserted atomically, so two replicas cannot both let the 61st mint through.
    '0003_rate_limit_counters': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('rate_limit_counters')
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('window_start', 'bigint', (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('rate_limit_counters_pk', ['subject', 'window_start'])
          .execute();
        await db.schema.createIndex('rate_limit_counters_window_start').on('rate_limit_counters').column('window_start').execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('rate_limit_counters').execute();
      },
    },
  };
}
