import { getAccessRequest, mayReadRequest } from '@/lib/approvals/requests';
import { authorize } from '@/lib/contract/guard';
import { failureResponse, jsonResponse } from '@/lib/contract/http';
import { fail } from '@/lib/contract/result';
import { accessRequestIdSchema } from '@/lib/shared/approvals/schema';

export const dynamic = 'force-dynamic';

/** GET /api/v1/requests/{id}: one request with its decisions; not found unless the key may read it. */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authorize({ apiKeyFrom: request });
  if (!auth.ok) return failureResponse(auth, { bearer: request });
  const { id } = await ctx.params;
  const notFound = () => failureResponse(fail('NOT_FOUND', `No request ${id} that this key may read.`));
  const parsed = accessRequestIdSchema.safeParse(id);
  if (!parsed.success) return notFound();
  const view = await getAccessRequest(parsed.data);
  if (!view || !(await mayReadRequest(auth, view))) return notFound();
  return jsonResponse(view);
}
