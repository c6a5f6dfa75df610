import 'server-only';
import { sql, type Kysely, type Migration } from 'kysely';
// Migrations take Kysely<any>, as Kysely's guide says: a migration is frozen at the schema of its
// day and must not be typed by (or break with) today's lib/db/types.ts.
/* eslint-disable @typescript-eslint/no-explicit-any */

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
        for (const name of [
          'audit_log_room_arn_status_seq',
          'audit_log_user_id_status_seq',
          'audit_log_actor_email_status_seq',
          'audit_log_actor_id_seq',
        ]) {
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
    // API keys for pipelines (lib/api-keys/): only a SHA-256 of each key is stored, with a short
    // non-secret prefix to recognise it by. Names stay unique after revocation, so an audit entry's
    // api_key_name always means one key. Idempotency keys let a pipeline retry a POST without
    // minting twice (tokens are shown once, so a reused key answers 409 instead of replaying).
    '0004_api_keys': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('api_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('prefix', 'text', (c) => c.notNull())
          .addColumn('key_hash', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('last_used_at', 'text')
          .addColumn('revoked_at', 'text')
          .addColumn('revoked_by', 'text')
          .execute();
        await db.schema
          .createTable('api_idempotency_keys')
          .addColumn('api_key_id', 'text', (c) => c.notNull())
          .addColumn('idempotency_key', 'text', (c) => c.notNull())
          .addColumn('request_hash', 'text', (c) => c.notNull())
          .addColumn('audit_ids', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('api_idempotency_keys_pk', ['api_key_id', 'idempotency_key'])
          .execute();
        await db.schema.createIndex('api_idempotency_keys_created_at').on('api_idempotency_keys').column('created_at').execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('api_idempotency_keys').execute();
        await db.schema.dropTable('api_keys').execute();
      },
    },
    // Bulk mint jobs (lib/bulk/): the job and one row per userId with its outcome. Tokens are never
    // stored (they stay in the running process's memory until the one download).
    '0005_bulk_jobs': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('bulk_jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('staff_id', 'text', (c) => c.notNull())
          .addColumn('staff_email', 'text', (c) => c.notNull())
          .addColumn('staff_role', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('room_arn', 'text', (c) => c.notNull())
          .addColumn('capabilities', 'text', (c) => c.notNull())
          .addColumn('duration_minutes', 'integer', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('source_kind', 'text', (c) => c.notNull())
          .addColumn('total', 'integer', (c) => c.notNull())
          .addColumn('issued', 'integer', (c) => c.notNull())
          .addColumn('failed', 'integer', (c) => c.notNull())
          .addColumn('instance_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('finished_at', 'text')
          .addColumn('tokens_downloaded_at', 'text')
          .addColumn('note', 'text')
          .execute();
        await db.schema.createIndex('bulk_jobs_staff_id_created_at').on('bulk_jobs').columns(['staff_id', 'created_at']).execute();
        await db.schema
          .createTable('bulk_job_rows')
          .addColumn('job_id', 'text', (c) => c.notNull())
          .addColumn('idx', 'integer', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('audit_id', 'text')
          .addColumn('error_code', 'text')
          .addColumn('error_message', 'text')
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('bulk_job_rows_pk', ['job_id', 'idx'])
          .execute();
        await db.schema.createIndex('bulk_job_rows_job_id_status_idx').on('bulk_job_rows').columns(['job_id', 'status', 'idx']).execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('bulk_job_rows').execute();
        await db.schema.dropTable('bulk_jobs').execute();
      },
    },
    // The deny list (userIds mintToken refuses, per room or for every room) and the named mint
    // presets admins manage, seeded with two defaults. Times are ISO-8601 UTC text like the rest.
    '0006_denylist_and_presets': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('denylist')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull())
          // null: every room.
          .addColumn('room_arn', 'text')
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('denylist_user_id').on('denylist').column('user_id').execute();

        await db.schema
          .createTable('presets')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('roles', 'text', (c) => c.notNull())
          .addColumn('room_arn', 'text')
          .addColumn('capabilities', 'text', (c) => c.notNull())
          .addColumn('duration_minutes', 'integer', (c) => c.notNull())
          .addColumn('attributes', 'text', (c) => c.notNull())
          .addColumn('reason_template', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .execute();
        const now = new Date().toISOString();
        await db
          .insertInto('presets')
          .values([
            {
              id: 'preset-temporary-moderator-30',
              name: 'Temporary moderator, 30 min',
              roles: JSON.stringify(['moderator', 'qa', 'admin']),
              room_arn: null,
              capabilities: JSON.stringify(['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER']),
              duration_minutes: 30,
              attributes: JSON.stringify([{ key: 'role', value: 'moderator' }]),
              reason_template: 'Temporary moderator for ',
              created_at: now,
              updated_at: now,
              updated_by: 'system@localhost',
            },
            {
              id: 'preset-qa-chatter',
              name: 'QA chatter',
              roles: JSON.stringify(['support', 'moderator', 'qa', 'admin']),
              room_arn: null,
              capabilities: JSON.stringify(['SEND_MESSAGE']),
              duration_minutes: 60,
              attributes: JSON.stringify([{ key: 'displayName', value: 'QA chatter' }]),
              reason_template: 'QA test chatter',
              created_at: now,
              updated_at: now,
              updated_by: 'system@localhost',
            },
          ])
          .execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('presets').execute();
        await db.schema.dropTable('denylist').execute();
      },
    },
    // Bulk rows carry the one failure shape: error_code is the console's category, aws_code the AWS
    // exception (rows written before this keep whatever error_code they had).
    '0007_bulk_row_aws_code': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('bulk_job_rows').addColumn('aws_code', 'text').execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.alterTable('bulk_job_rows').dropColumn('aws_code').execute();
      },
    },
    // The audit log v2 (lib/audit/chain.ts): keyed chain, completions as their own entries, the
    // database refusing UPDATE and DELETE, and the audit_mints projection for the history filters.
    // A v1 log with rows is kept as audit_log_v1 exactly as it was (its hashes are unkeyed and
    // cannot be re-chained without the key, which migrations do not hold); an empty one is dropped.
    '0008_audit_log_v2': {
      async up(db: Kysely<any>) {
        const old = await sql<{ n: number | string }>`select count(*) as n from audit_log`.execute(db);
        for (const name of [
          'audit_log_fingerprint',
          'audit_log_user_id_seq',
          'audit_log_room_arn_seq',
          'audit_log_actor_email_seq',
          'audit_log_status_seq',
          'audit_log_at',
          'audit_log_batch_id',
          'audit_log_room_arn_status_seq',
          'audit_log_user_id_status_seq',
          'audit_log_actor_email_status_seq',
          'audit_log_actor_id_seq',
        ]) {
          await db.schema.dropIndex(name).ifExists().execute();
        }
        if (Number(old.rows[0]?.n ?? 0) === 0) {
          await db.schema.dropTable('audit_log').execute();
        } else {
          await db.schema.alterTable('audit_log').renameTo('audit_log_v1').execute();
          if (kind === 'postgres') {
            // Constraint names stay with the renamed table and would collide with the new table's.
            await sql`alter table audit_log_v1 rename constraint audit_log_pkey to audit_log_v1_pkey`.execute(db);
            await sql`alter table audit_log_v1 rename constraint audit_log_id_key to audit_log_v1_id_key`.execute(db);
          }
        }

        await db.schema
          .createTable('audit_log')
          .addColumn('seq', kind === 'sqlite' ? 'integer' : 'bigint', (c) => c.primaryKey())
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
          // One completion per request, enforced by the database as well as the store.
          .addColumn('ref_seq', kind === 'sqlite' ? 'integer' : 'bigint', (c) => c.unique())
          .addColumn('fingerprint', 'text')
          .addColumn('token_expires_at', 'text')
          .addColumn('session_expires_at', 'text')
          .addColumn('request_id', 'text')
          .addColumn('error_code', 'text')
          .addColumn('error_message', 'text')
          .addColumn('key_id', 'text', (c) => c.notNull())
          .addColumn('prev_hash', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute();
        const logIndexes: [string, string[]][] = [
          ['audit_log_fingerprint', ['fingerprint']],
          ['audit_log_user_id_seq', ['user_id', 'seq']],
          ['audit_log_room_arn_seq', ['room_arn', 'seq']],
          ['audit_log_actor_email_seq', ['actor_email', 'seq']],
          ['audit_log_actor_id_seq', ['actor_id', 'seq']],
          ['audit_log_action_seq', ['action', 'seq']],
          ['audit_log_batch_id_seq', ['batch_id', 'seq']],
          ['audit_log_at', ['at']],
        ];
        for (const [name, columns] of logIndexes) await db.schema.createIndex(name).on('audit_log').columns(columns).execute();

        await db.schema
          .createTable('audit_mints')
          .addColumn('seq', kind === 'sqlite' ? 'integer' : 'bigint', (c) => c.primaryKey())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor_id', 'text', (c) => c.notNull())
          .addColumn('actor_email', 'text', (c) => c.notNull())
          .addColumn('via', 'text', (c) => c.notNull())
          .addColumn('batch_id', 'text')
          .addColumn('room_arn', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('completion_seq', kind === 'sqlite' ? 'integer' : 'bigint')
          .execute();
        // The history's filters: each equality plus the seq order from one index (see 0002).
        const mintIndexes: [string, string[]][] = [
          ['audit_mints_room_arn_status_seq', ['room_arn', 'status', 'seq']],
          ['audit_mints_room_arn_seq', ['room_arn', 'seq']],
          ['audit_mints_user_id_seq', ['user_id', 'seq']],
          ['audit_mints_actor_email_status_seq', ['actor_email', 'status', 'seq']],
          ['audit_mints_actor_id_seq', ['actor_id', 'seq']],
          ['audit_mints_status_seq', ['status', 'seq']],
          ['audit_mints_batch_id_seq', ['batch_id', 'seq']],
          ['audit_mints_at', ['at']],
        ];
        for (const [name, columns] of mintIndexes) await db.schema.createIndex(name).on('audit_mints').columns(columns).execute();

        if (kind === 'sqlite') {
          for (const op of ['update', 'delete']) {
            await sql
              .raw(
                `create trigger audit_log_no_${op} before ${op} on audit_log begin select raise(abort, 'audit_log is append-only: ${op.toUpperCase()} refused'); end`,
              )
              .execute(db);
          }
        } else {
          await sql
            .raw(
              `create function audit_log_refuse() returns trigger language plpgsql as $$ begin ` +
                `raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege'; end $$`,
            )
            .execute(db);
          await sql`create trigger audit_log_append_only before update or delete on audit_log for each row execute function audit_log_refuse()`.execute(
            db,
          );
          await sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_refuse()`.execute(
            db,
          );
        }
      },
      async down() {
        throw new Error('0008_audit_log_v2 cannot be undone: the audit log is append-only');
      },
    },
    // The audit entries a request with an Idempotency-Key wrote, each noted as soon as it exists
    // (before CreateChatToken is called), so a key whose request was interrupted names them.
    '0009_api_idempotency_audit': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('api_idempotency_audit')
          .addColumn('api_key_id', 'text', (c) => c.notNull())
          .addColumn('idempotency_key', 'text', (c) => c.notNull())
          .addColumn('audit_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('api_idempotency_audit_pk', ['api_key_id', 'idempotency_key', 'audit_id'])
          .execute();
        await db.schema.createIndex('api_idempotency_audit_created_at').on('api_idempotency_audit').column('created_at').execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('api_idempotency_audit').execute();
      },
    },
    // The Activity view and the history filter by source (via) newest first; with (via, seq) one
    // index serves the equality and the order, so a rare source (connect-here) among 1,000,000
    // entries is found without a scan (bench/suites/audit.ts). Indexes only: the log stays as it is.
    '0010_audit_via_indexes': {
      async up(db: Kysely<any>) {
        await db.schema.createIndex('audit_log_via_seq').on('audit_log').columns(['via', 'seq']).execute();
        await db.schema.createIndex('audit_mints_via_seq').on('audit_mints').columns(['via', 'seq']).execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropIndex('audit_mints_via_seq').execute();
        await db.schema.dropIndex('audit_log_via_seq').execute();
      },
    },
    // Sessions that can be ended (lib/auth/session.ts): every session cookie carries the member's
    // session_version from sign-in; raising it ends every session of that member at once.
    // Sign-in throttling and the refusal log admins read (lib/auth/sign-in-throttle.ts).
    '0011_sessions_sign_in_throttle_key_owners': {
      async up(db: Kysely<any>) {
        await db.schema
          .alterTable('staff')
          .addColumn('session_version', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        // A printed or reset password is one-time: the first sign-in with it must set a new one.
        await db.schema
          .alterTable('staff')
          .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .createTable('sign_in_throttle')
          .addColumn('subject', 'text', (c) => c.primaryKey())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('last_failure_at', 'text', (c) => c.notNull())
          .addColumn('locked_until', 'text')
          .execute();
        await db.schema
          .createTable('sign_in_refusals')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('client_address', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('sign_in_refusals_at').on('sign_in_refusals').column('at').execute();

        // API keys belong to an owner, a member or a named service account; a disabled owner's
        // keys are suspended. Existing keys keep their creator as owner: the member with that
        // email, else (keys made on the shell) a service account named after the creator.
        await db.schema
          .createTable('service_accounts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .execute();
        await db.schema.alterTable('api_keys').addColumn('owner_kind', 'text').execute();
        await db.schema.alterTable('api_keys').addColumn('owner_id', 'text').execute();
        const keys = await db.selectFrom('api_keys').select(['id', 'created_by']).execute();
        const now = new Date().toISOString();
        for (const key of keys as { id: string; created_by: string }[]) {
          const member = await db.selectFrom('staff').select('id').where('email', '=', key.created_by).executeTakeFirst();
          if (member) {
            await db.updateTable('api_keys').set({ owner_kind: 'staff', owner_id: member.id }).where('id', '=', key.id).execute();
            continue;
          }
          const name = (key.created_by.split('@')[0] || 'cli').replace(/[^a-z0-9._-]/g, '-').slice(0, 63) || 'cli';
          let account = await db.selectFrom('service_accounts').select('id').where('name', '=', name).executeTakeFirst();
          if (!account) {
            account = { id: `sa-${name}` };
            await db
              .insertInto('service_accounts')
              .values({ id: account.id, name, disabled: 0, created_at: now, created_by: 'migration@localhost' })
              .execute();
          }
          await db.updateTable('api_keys').set({ owner_kind: 'service', owner_id: account.id }).where('id', '=', key.id).execute();
        }
      },
      async down(db: Kysely<any>) {
        await db.schema.alterTable('api_keys').dropColumn('owner_id').execute();
        await db.schema.alterTable('api_keys').dropColumn('owner_kind').execute();
        await db.schema.dropTable('service_accounts').execute();
        await db.schema.dropTable('sign_in_refusals').execute();
        await db.schema.dropTable('sign_in_throttle').execute();
        await db.schema.alterTable('staff').dropColumn('must_change_password').execute();
        await db.schema.alterTable('staff').dropColumn('session_version').execute();
      },
    },
    // The governor's lanes (lib/ivschat/governor.ts): the next free slot of each account, region,
    // quota and priority, booked by every replica that shares this database. Only PostgreSQL uses
    // it (one SQLite node paces in process); it is created on both so the schemas stay one.
    '0012_ivschat_governor': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('ivschat_governor')
          .addColumn('lane', 'text', (c) => c.primaryKey())
          .addColumn('tat', 'double precision', (c) => c.notNull())
          .execute();
        // GET /api/ready proves the database takes writes by upserting its one row.
        await db.schema
          .createTable('health_probe')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('checked_at', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('health_probe').execute();
        await db.schema.dropTable('ivschat_governor').execute();
      },
    },
    // A token's state (lib/shared/tokens/token-state.ts) asks whether its userId was disconnected
    // in its room after the mint, for every row of a History page at once. Disconnects are a sliver
    // of the log: a partial index over them alone answers that without reading the user's mints.
    '0013_truth_disconnect_index': {
      async up(db: Kysely<any>) {
        await db.schema
          .createIndex('audit_log_disconnects')
          .on('audit_log')
          .columns(['user_id', 'room_arn', 'at'])
          .where(sql.ref('action'), '=', sql.lit('user.disconnected'))
          .execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropIndex('audit_log_disconnects').execute();
      },
    },
  };
}
