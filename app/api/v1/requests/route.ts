import { readJsonBody } from '@/lib/api/http';
import { createAccessRequest, listAccessRequests } from '@/lib/approvals/requests';
import { authorize } from '@/lib/contract/guard';
import { failureResponse, jsonResponse } from '@/lib/contract/http';

export const dynamic = 'force-dynamic';

/** GET /api/v1/requests?state=pending&limit=50: requests the key may see (all for approvers and audit readers, else its owner's). */
export async function GET(request: Request): Promise<Response> {
  const auth = await authorize({ apiKeyFrom: request });
  if (!auth.ok) return failureResponse(auth, { bearer: request });
  const sp = new URL(request.url).searchParams;
  const result = await listAccessRequests(auth, {
    ...(sp.has('state') ? { state: sp.get('state') } : {}),
    ...(sp.has('limit') ? { limit: sp.get('limit') } : {}),
  });
  if (!result.ok) return failureResponse(result);
  return jsonResponse({ requests: result.data });
}

/** POST /api/v1/requests: ask for a temporary grant with a key whose role may request (201, Location: the request). */
export async function POST(request: Request): Promise<Response> {
  const auth = await authorize({ apiKeyFrom: request });
  if (!auth.ok) return failureResponse(auth, { bearer: request });
  const body = await readJsonBody(request);
  if (!body.ok) return failureResponse(body);
  const result = await createAccessRequest(auth, body.body);
  if (!result.ok) return failureResponse(result);
  return jsonResponse(result.data, 201, { Location: `/api/v1/requests/${result.data.id}` });
}
