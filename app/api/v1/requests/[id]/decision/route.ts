import { readJsonBody } from '@/lib/api/http';
import { decideAccessRequest } from '@/lib/approvals/requests';
import { authorize } from '@/lib/contract/guard';
import { failureResponse, jsonResponse } from '@/lib/contract/http';

export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/requests/{id}/decision `{"decision":"approve"|"deny","comment":"..."}`: a key whose
 * role may approve; never the requester's identity (a key cannot decide its owner's request).
 */
export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authorize({ apiKeyFrom: request });
  if (!auth.ok) return failureResponse(auth, { bearer: request });
  const { id } = await ctx.params;
  const body = await readJsonBody(request);
  if (!body.ok) return failureResponse(body);
  const result = await decideAccessRequest(auth, id, body.body);
  if (!result.ok) return failureResponse(result);
  return jsonResponse(result.data);
}
