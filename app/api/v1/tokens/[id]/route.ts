import { toApiTokenRecord } from '@/lib/api/tokens';
import { getAuditRecord } from '@/lib/audit/store';
import { roleCan } from '@/lib/auth/policy';
import { authorize } from '@/lib/contract/guard';
import { failureResponse, jsonResponse } from '@/lib/contract/http';
import { fail } from '@/lib/contract/result';

export const dynamic = 'force-dynamic';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * GET /api/v1/tokens/{id}: the audit record of a mint (the `auditId` a mint returned), never the
 * token, which is not stored. A key reads the records it minted itself, and any mint record when
 * its role may read the audit log; anything else is answered as not found.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authorize({ apiKeyFrom: request });
  if (!auth.ok) return failureResponse(auth, { bearer: request });
  const { id } = await ctx.params;
  const notFound = () => failureResponse(fail('NOT_FOUND', `No token record ${id} that this key may read.`));
  if (!UUID.test(id)) return notFound();
  let record;
  try {
    record = await getAuditRecord(id.toLowerCase());
  } catch {
    return failureResponse(fail('AUDIT_UNAVAILABLE', 'The audit log could not be read. Try again shortly.', { retryable: true }));
  }
  if (!record || record.action !== 'token.minted') return notFound();
  const own = record.actorId === auth.actor.staffId;
  if (!own && !roleCan(auth.role, 'audit.read')) return notFound();
  return jsonResponse(toApiTokenRecord(record));
}
