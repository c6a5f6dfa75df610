import 'server-only';
import type { Generated, Insertable, Selectable } from 'kysely';

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
  /** Raised to end every session of this member (sign-out, password change, disable, an admin). */
  session_version: Generated<number>;
  /** 1: the password was printed or reset by someone else; nothing works until the member sets a new one. */
  must_change_password: Generated<number>;
}

/** Failed sign-ins per subject (`account:<email>`, `client:<address>`), lib/auth/sign-in-throttle.ts. */
export interface SignInThrottleTable {
  subject: string;
  failures: number;
  last_failure_at: string;
  /** ISO-8601 UTC; null while the subject is within its free attempts. */
  locked_until: string | null;
}

/** Every refused sign-in, for admins (the email as typed, which may name no account). */
export interface SignInRefusalTable {
  id: string;
  at: string;
  email: string;
  client_address: string;
  /** wrong_credentials | throttled | not_staff */
  reason: string;
}

/**
 * The audit log (lib/audit/chain.ts): append-only, keyed hash chain. The database refuses UPDATE
 * and DELETE. Completion columns are set only on 'mint.issued' / 'mint.failed' entries.
 */
export interface AuditLogTable {
  /** Assigned by the store under the chain lock (last seq + 1), so it is gap-free. */
  seq: number;
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
  /** On a completion: the seq of the 'token.minted' request it completes (unique). */
  ref_seq: number | null;
  fingerprint: string | null;
  token_expires_at: string | null;
  session_expires_at: string | null;
  request_id: string | null;
  error_code: string | null;
  error_message: string | null;
  /** Id of the chain key the hash was made with (lib/audit/keys.ts). */
  key_id: string;
  prev_hash: string;
  hash: string;
}

/**
 * One row per mint request: a projection of audit_log for fast history filters. Mutable and not
 * authoritative; `npm run audit -- verify` recomputes it from the chain.
 */
export interface AuditMintTable {
  /** The request entry's seq. */
  seq: number;
  id: string;
  at: string;
  actor_id: string;
  actor_email: string;
  via: string;
  batch_id: string | null;
  room_arn: string;
  user_id: string;
  /** pending | issued | failed */
  status: string;
  completion_seq: number | null;
}

/** The pre-v2 audit log (unkeyed, completions written in place), kept as it was by migration 0008. */
export interface AuditLogV1Table {
  seq: number;
  id: string;
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
  /** `staff` or `service`; the key is suspended while its owner is disabled. */
  owner_kind: string | null;
  owner_id: string | null;
}

/** Named owners of API keys that are not people (a pipeline, a team's bot), managed by admins. */
export interface ServiceAccountTable {
  id: string;
  /** Unique; same pattern as key names. */
  name: string;
  /** 0 or 1. */
  disabled: number;
  created_at: string;
  created_by: string;
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

/** Audit entries written by a request with an Idempotency-Key, noted before CreateChatToken is called. */
export interface ApiIdempotencyAuditTable {
  api_key_id: string;
  idempotency_key: string;
  audit_id: string;
  created_at: string;
}

export interface DB {
  staff: StaffTable;
  audit_log: AuditLogTable;
  audit_mints: AuditMintTable;
  audit_log_v1: AuditLogV1Table;
  rate_limit_counters: RateLimitCounterTable;
  api_keys: ApiKeyTable;
  api_idempotency_keys: ApiIdempotencyKeyTable;
  api_idempotency_audit: ApiIdempotencyAuditTable;
  denylist: DenylistTable;
  presets: PresetTable;
  bulk_jobs: BulkJobTable;
  bulk_job_rows: BulkJobRowTable;
  ivschat_governor: IvschatGovernorTable;
  health_probe: HealthProbeTable;
  sign_in_throttle: SignInThrottleTable;
  sign_in_refusals: SignInRefusalTable;
  service_accounts: ServiceAccountTable;
  access_requests: AccessRequestTable;
  access_decisions: AccessDecisionTable;
}

/** Temporary elevated grants on request (lib/approvals). Never holds a token. */
export interface AccessRequestTable {
  id: Generated<number>;
  /** pending | approved | denied | expired | cancelled | ended */
  state: string;
  /** The audit actor id (a staff id or `apikey:<id>`). */
  requester_id: string;
  /** Who is behind it: `staff:<id>` or a key's owner (`staff:<id>`, `service:<id>`); never approves its own request. */
  requester_identity: string;
  requester_email: string;
  requester_role: string;
  requester_via: string;
  api_key_name: string | null;
  room_arn: string;
  user_id: string;
  /** JSON array. */
  capabilities: string;
  window_minutes: number;
  session_minutes: number;
  reason: string;
  approvals_required: number;
  disconnect_at_end: number;
  created_at: string;
  expires_at: string;
  approved_at: string | null;
  window_ends_at: string | null;
  decided_at: string | null;
  ended_at: string | null;
  /** JSON: what the end did (disconnected, or why not). */
  end_outcome: string | null;
  /** A replica's claim on the row while it ends the window (ISO time the claim lapses). */
  sweep_claimed_until: string | null;
}

export interface AccessDecisionTable {
  id: string;
  request_id: number;
  decision: string;
  approver_id: string | null;
  approver_identity: string | null;
  approver_email: string | null;
  approver_role: string | null;
  api_key_name: string | null;
  /** The auto-approval rule that decided (approver columns null). */
  rule: string | null;
  comment: string;
  at: string;
}

/** The governor's lanes, shared by replicas on PostgreSQL (lib/ivschat/governor.ts). */
export interface IvschatGovernorTable {
  lane: string;
  /** The lane's next free slot, in the database's clock (ms since the epoch). */
  tat: number;
}

/** One row that GET /api/ready upserts to prove the database takes writes. */
export interface HealthProbeTable {
  id: number;
  checked_at: string;
}

/** Bulk mint jobs (lib/bulk/store.ts). Never holds a token. */
export interface BulkJobTable {
  id: string;
  staff_id: string;
  staff_email: string;
  staff_role: string;
  /** running | completed | cancelled | stopped | interrupted */
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
  /** The job whose failed rows this job retries, or null. */
  retry_of: string | null;
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
  /** The row's attribute rows (JSON array text) when it had any, so a retry mints exactly the same row. */
  attributes: string | null;
}

export type StaffRow = Selectable<StaffTable>;

export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLogRow = Insertable<AuditLogTable>;
export type AuditMintRow = Selectable<AuditMintTable>;
