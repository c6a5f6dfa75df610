import 'server-only';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table shapes shared by SQLite and PostgreSQL. Portable representations only:
 * timestamps are ISO-8601 UTC text (`Date#toISOString()`, which sorts correctly as text),
 * booleans are integers 0/1, JSON is text.
 */
export interface StaffTable {
  id: string;
  /** Always stored lowercased. */
  email: string;
  name: string | null;
  role: string;
  /** `scrypt$N$r$p$salt$hash`; null for OIDC-only staff. */
  password_hash: string | null;
  /** 0 or 1. */
  disabled: number;
  created_at: string;
  updated_at: string;
}

export interface AuditLogTable {
  /** Assigned by the store under the chain lock (last seq + 1), so it is gap-free. */
  seq: Generated<number>;
  id: string;
  at: string;
  action: string;
  actor_id: string;
  actor_email: string;
  actor_role: string;
  via: string;
  api_key_name: string | null;
  batch_id: string | null;
  room_arn: string | null;
  region: string | null;
  user_id: string | null;
  /** JSON object text. */
  attributes: string | null;
  /** JSON array text. */
  capabilities: string | null;
  duration_minutes: number | null;
  reason: string | null;
  /** JSON text, for non-mint actions: `{ resource, old, new }`. */
  details: string | null;
  status: string;
  fingerprint: string | null;
  token_expires_at: string | null;
  session_expires_at: string | null;
  request_id: string | null;
  error_code: string | null;
  error_message: string | null;
  completed_at: string | null;
  prev_hash: string;
  hash: string;
  completion_hash: string | null;
}

/** Fixed-window mint counters (lib/mint/rate-limit.ts). */
export interface RateLimitCounterTable {
  /** `staff:<id>` or `apikey:<name>`. */
  subject: string;
  /** Unix seconds at which the window starts (a multiple of its length). */
  window_start: number;
  count: number;
}

/** userIds mintToken refuses (lib/moderation/denylist.ts). */
export interface DenylistTable {
  id: string;
  user_id: string;
  /** null: every room. */
  room_arn: string | null;
  reason: string;
  /** null: until removed. */
  expires_at: string | null;
  created_at: string;
  /** Email of the staff member who added it. */
  created_by: string;
}

/** Named mint presets (lib/presets/store.ts). JSON columns are text. */
export interface PresetTable {
  id: string;
  name: string;
  /** JSON array of roles that may use it. */
  roles: string;
  /** null: keep the room chosen in the form. */
  room_arn: string | null;
  /** JSON array of capabilities. */
  capabilities: string;
  duration_minutes: number;
  /** JSON array of `{ key, value }` rows. */
  attributes: string;
  reason_template: string;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

/** API keys for pipelines (lib/api-keys/store.ts). The key itself is never stored. */
export interface ApiKeyTable {
  id: string;
  /** Unique for ever (also after revocation); the audit log's api_key_name. */
  name: string;
  /** The key's first characters (`ivsc_AbC123`), not enough to use it; shown to tell keys apart. */
  prefix: string;
  /** SHA-256 (hex) of the whole key. */
  key_hash: string;
  role: string;
  created_at: string;
  /** Email of whoever created it (`cli@localhost` from the shell). */
  created_by: string;
  /** Updated at most once a minute. */
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

/** Idempotency-Key values already used on POST /api/v1/tokens, per API key. */
export interface ApiIdempotencyKeyTable {
  api_key_id: string;
  idempotency_key: string;
  /** SHA-256 of the request body it was first used with. */
  request_hash: string;
  /** JSON array of the audit ids the request created; null while it runs. */
  audit_ids: string | null;
  created_at: string;
}

export interface DB {
  staff: StaffTable;
  audit_log: AuditLogTable;
  rate_limit_counters: RateLimitCounterTable;
  api_keys: ApiKeyTable;
  api_idempotency_keys: ApiIdempotencyKeyTable;
  denylist: DenylistTable;
  presets: PresetTable;
  bulk_jobs: BulkJobTable;
  bulk_job_rows: BulkJobRowTable;
}

/** Bulk mint jobs (lib/bulk/store.ts). Never holds a token. */
export interface BulkJobTable {
  id: string;
  staff_id: string;
  staff_email: string;
  staff_role: string;
  /** running | completed | cancelled | interrupted */
  status: string;
  room_arn: string;
  /** JSON array text. */
  capabilities: string;
  duration_minutes: number;
  reason: string;
  /** template | csv */
  source_kind: string;
  total: number;
  issued: number;
  failed: number;
  /** The console process running it; another process seeing a stale heartbeat marks it interrupted. */
  instance_id: string;
  created_at: string;
  /** Heartbeat while running. */
  updated_at: string;
  finished_at: string | null;
  tokens_downloaded_at: string | null;
  note: string | null;
}

export interface BulkJobRowTable {
  job_id: string;
  /** 1-based row of the batch. */
  idx: number;
  user_id: string;
  /** queued | issued | failed | skipped */
  status: string;
  audit_id: string | null;
  error_code: string | null;
  /** The AWS exception of a failed row (error_code is the console's category). */
  aws_code: string | null;
  error_message: string | null;
  attempts: number;
}

export type StaffRow = Selectable<StaffTable>;
export type NewStaffRow = Insertable<StaffTable>;
export type StaffUpdate = Updateable<StaffTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLogRow = Insertable<AuditLogTable>;
