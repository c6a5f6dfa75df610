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

export interface DB {
  staff: StaffTable;
  audit_log: AuditLogTable;
  rate_limit_counters: RateLimitCounterTable;
}

export type StaffRow = Selectable<StaffTable>;
export type NewStaffRow = Insertable<StaffTable>;
export type StaffUpdate = Updateable<StaffTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLogRow = Insertable<AuditLogTable>;
