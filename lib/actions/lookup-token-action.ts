'use server';

import { findMintByFingerprint } from '@/lib/audit/store';
import { tokenFingerprint } from '@/lib/audit/fingerprint';
import { authorize } from '@/lib/contract/guard';
import { fail, invalidInput, ok, type Result } from '@/lib/contract/result';
import { log } from '@/lib/log';
import { tokenLookupSchema } from '@/lib/shared/audit/filter';

/**
 * Finds the mint of a pasted token by its fingerprint. The token arrives in the POST body only;
 * it is not logged, not stored and not echoed back: the answer is a record id or "not found".
 */
export async function lookupTokenAction(input: unknown): Promise<Result<{ found: true; id: string } | { found: false }>> {
  const auth = await authorize({ permission: 'audit.read' });
  if (!auth.ok) return auth;
  const parsed = tokenLookupSchema.safeParse(input);
  if (!parsed.success) {
    const failure = invalidInput(parsed.error.issues);
    // The form has one field: its message is the one to show.
    return { ...failure, message: Object.values(failure.fieldErrors)[0] ?? failure.message };
  }
  try {
    const record = await findMintByFingerprint(tokenFingerprint(parsed.data.token));
    log.info({ event: 'audit.token_lookup', actor: auth.actor.email, found: record !== null }, 'token lookup');
    return ok(record ? { found: true, id: record.id } : { found: false });
  } catch (err) {
    log.error(
      { event: 'audit.token_lookup_failed', err: err instanceof Error ? { name: err.name, message: err.message } : String(err) },
      'token lookup failed',
    );
    return fail('AUDIT_UNAVAILABLE', 'The audit log could not be searched just now. Try again shortly.', { retryable: true });
  }
}
