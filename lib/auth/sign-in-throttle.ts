import 'server-only';
import { randomUUID } from 'node:crypto';
import { getDatabase, withWriteTransaction, type DatabaseHandle } from '@/lib/db';
import { env } from '@/lib/env';

/**
 * Sign-in throttling, per account (the email as typed, whether or not it names anyone, so the
 * answer never tells which accounts exist) and per client address. The figures:
 *  - an account has 5 free failed attempts, a client address 20 (an office behind one NAT);
 *  - each further failure locks that subject for 1 s, doubling per failure (1, 2, 4 … s), at most
 *    15 minutes; while locked every attempt is refused, the right password too;
 *  - a successful sign-in clears the account's count (not the address's); a count is forgotten
 *    24 hours after its last failure.
 * An attempt is counted before the password is checked, so parallel guesses cannot all slip
 * through the free allowance; a success gives its count back.
 */
export const THROTTLE = {
  accountFreeAttempts: 5,
  /** SIGN_IN_CLIENT_FREE_ATTEMPTS, default 20. */
  clientFreeAttempts: env.SIGN_IN_CLIENT_FREE_ATTEMPTS,
  firstDelaySeconds: 1,
  maxDelaySeconds: 15 * 60,
  forgetAfterSeconds: 24 * 60 * 60,
} as const;

export type RefusalReason = 'wrong_credentials' | 'throttled' | 'not_staff';

export interface SignInRefusal {
  id: string;
  at: string;
  email: string;
  clientAddress: string;
  reason: RefusalReason;
}

/** Seconds a subject is locked after its `failures`-th failure (0 within the free attempts). */
export function lockSeconds(failures: number, freeAttempts: number): number {
  if (failures < freeAttempts) return 0;
  return Math.min(THROTTLE.maxDelaySeconds, THROTTLE.firstDelaySeconds * 2 ** Math.min(30, failures - freeAttempts));
}

const handleOf = async (db?: DatabaseHandle) => db ?? (await getDatabase());

/** Emails are compared as the sign-in does (trimmed, lowercased); capped so a subject stays small. */
function accountSubject(email: string): string {
  return `account:${email.trim().toLowerCase().slice(0, 320)}`;
}
function clientSubject(address: string | null): string | null {
  return address ? `client:${address.slice(0, 100)}` : null;
}

export type AttemptGate = { ok: true } | { ok: false; retryAt: Date };

/**
 * Counts one attempt for the account and the client address, or refuses it (and records the
 * refusal) when either is locked.
 */
export async function beginSignInAttempt(
  input: { email: string; clientAddress: string | null },
  options: { db?: DatabaseHandle; now?: Date } = {},
): Promise<AttemptGate> {
  const handle = await handleOf(options.db);
  const now = options.now ?? new Date();
  const subjects: [string, number][] = [[accountSubject(input.email), THROTTLE.accountFreeAttempts]];
  const client = clientSubject(input.clientAddress);
  if (client) subjects.push([client, THROTTLE.clientFreeAttempts]);
  return withWriteTransaction(handle, async (trx) => {
    const rows = await trx
      .selectFrom('sign_in_throttle')
      .selectAll()
      .where(
        'subject',
        'in',
        subjects.map(([s]) => s),
      )
      .execute();
    const forgetBefore = now.getTime() - THROTTLE.forgetAfterSeconds * 1000;
    const current = new Map(rows.filter((r) => Date.parse(r.last_failure_at) >= forgetBefore).map((r) => [r.subject, r]));
    const lockedUntil = Math.max(0, ...[...current.values()].map((r) => (r.locked_until ? Date.parse(r.locked_until) : 0)));
    if (lockedUntil > now.getTime()) {
      await trx
        .insertInto('sign_in_refusals')
        .values({
          id: randomUUID(),
          at: now.toISOString(),
          email: input.email.slice(0, 320),
          client_address: input.clientAddress ?? 'unknown',
          reason: 'throttled',
        })
        .execute();
      return { ok: false, retryAt: new Date(lockedUntil) };
    }
    for (const [subject, free] of subjects) {
      const failures = (current.get(subject)?.failures ?? 0) + 1;
      const lock = lockSeconds(failures, free);
      const values = {
        failures,
        last_failure_at: now.toISOString(),
        locked_until: lock ? new Date(now.getTime() + lock * 1000).toISOString() : null,
      };
      const existing = rows.some((r) => r.subject === subject);
      if (existing) await trx.updateTable('sign_in_throttle').set(values).where('subject', '=', subject).execute();
      else
        await trx
          .insertInto('sign_in_throttle')
          .values({ subject, ...values })
          .execute();
    }
    return { ok: true };
  });
}

/** The attempt was right: the account starts over, and the address gets its attempt back. */
export async function signInSucceeded(input: { email: string; clientAddress: string | null }, db?: DatabaseHandle): Promise<void> {
  const handle = await handleOf(db);
  const client = clientSubject(input.clientAddress);
  await withWriteTransaction(handle, async (trx) => {
    await trx.deleteFrom('sign_in_throttle').where('subject', '=', accountSubject(input.email)).execute();
    if (!client) return;
    const row = await trx.selectFrom('sign_in_throttle').selectAll().where('subject', '=', client).executeTakeFirst();
    if (!row) return;
    const failures = Math.max(0, row.failures - 1);
    const lock = lockSeconds(failures, THROTTLE.clientFreeAttempts);
    await trx
      .updateTable('sign_in_throttle')
      .set({ failures, locked_until: lock ? new Date(Date.parse(row.last_failure_at) + lock * 1000).toISOString() : null })
      .where('subject', '=', client)
      .execute();
  });
}

/** Records a refusal that the throttle did not make (wrong password, unknown email, not staff). */
export async function recordSignInRefusal(
  input: { email: string; clientAddress: string | null; reason: RefusalReason },
  options: { db?: DatabaseHandle; now?: Date } = {},
): Promise<void> {
  const handle = await handleOf(options.db);
  await handle.db
    .insertInto('sign_in_refusals')
    .values({
      id: randomUUID(),
      at: (options.now ?? new Date()).toISOString(),
      email: input.email.slice(0, 320),
      client_address: input.clientAddress ?? 'unknown',
      reason: input.reason,
    })
    .execute();
}

/** The newest refusals, for the admin page. */
export async function listSignInRefusals(limit = 50, db?: DatabaseHandle): Promise<SignInRefusal[]> {
  const handle = await handleOf(db);
  const rows = await handle.db.selectFrom('sign_in_refusals').selectAll().orderBy('at', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, at: r.at, email: r.email, clientAddress: r.client_address, reason: r.reason as RefusalReason }));
}
