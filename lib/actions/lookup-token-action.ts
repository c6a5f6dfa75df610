'use server';

import { findMintByFingerprint } from '@/lib/audit/store';
import { tokenFingerprints } from '@/lib/audit/fingerprint';
import { roleCan } from '@/lib/auth/policy';
import { getCurrentStaff } from '@/lib/auth/session';
import { log } from '@/lib/log';
import { tokenLookupSchema } from '@/lib/shared/audit/filter';

export type LookupTokenActionResult =
  { ok: true; data: { found: true; id: string } | { found: false } } | { ok: false; message: string; fieldErrors?: Record<string, string> };

/**
 * Finds the mint of a pasted token by its fingerprint. The token arrives in the POST body only;
 * it is not logged, not stored and not echoed back: the answer is a record id or "not found".
 */
export async function lookupTokenAction(input: unknown): Promise<LookupTokenActionResult> {
  const staff = await getCurrentStaff();
  if (!staff) return { ok: false, message: 'Your session has ended. Sign in again to look up a token.' };
  if (!roleCan(staff.role, 'audit.read')) return { ok: false, message: `The ${staff.role} role may not read the audit log.` };
  const parsed = tokenLookupSchema.safeParse(input);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'Paste a token.';
    return { ok: false, message, fieldErrors: { token: message } };
  }
  try {
    const record = await findMintByFingerprint(tokenFingerprints(parsed.data.token));
    log.info({ event: 'audit.token_lookup', actor: staff.email, found: record !== null }, 'token lookup');
    return { ok: true, data: record ? { found: true, id: record.id } : { found: false } };
  } catch (err) {
    log.error(
      { event: 'audit.token_lookup_failed', err: err instanceof Error ? { name: err.name, message: err.message } : String(err) },
      'token lookup failed',
    );
    return { ok: false, message: 'The audit log could not be searched just now. Try again shortly.' };
  }
}
