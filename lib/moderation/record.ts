import 'server-only';
import { recordAction } from '@/lib/audit/store';
import { fail, ok, type Result } from '@/lib/contract/result';
import { log } from '@/lib/log';

/**
 * The audit entry of a moderation call that AWS has already carried out. If it cannot be written
 * the moderator is told the truth: the action was done at AWS, and the audit log does not show it.
 */
export async function recordModeration(entry: Parameters<typeof recordAction>[0], doneAtAws: string): Promise<Result<{ auditId: string }>> {
  try {
    const audit = await recordAction(entry);
    return ok({ auditId: audit.id });
  } catch (err) {
    log.error(
      { event: 'moderation.audit_failed', action: entry.action, err: err instanceof Error ? err.message : String(err) },
      'moderation done at AWS but its audit entry could not be written',
    );
    return fail(
      'AUDIT_UNAVAILABLE',
      `${doneAtAws} at AWS, but the audit entry could not be written, so the audit log does not show it. Do not repeat it; tell an administrator that the console database needs attention.`,
      { retryable: false },
    );
  }
}

export const INTERNAL_MESSAGE = 'Something went wrong on the server; nothing was changed.';
