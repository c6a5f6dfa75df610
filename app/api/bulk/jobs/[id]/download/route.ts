import { isSameOrigin } from '@/lib/api/origin';
import { csvCell, csvRow } from '@/lib/audit/csv';
import { fail } from '@/lib/contract/result';
import { getCurrentStaff } from '@/lib/auth/session';
import { takeBulkTokens } from '@/lib/bulk/runner';

export const dynamic = 'force-dynamic';

const noStore = { 'Cache-Control': 'no-store' };

const CSV_COLUMNS = [
  'row',
  'userId',
  'status',
  'token',
  'tokenExpirationTime',
  'sessionExpirationTime',
  'auditId',
  'errorCode',
  'error',
] as const;

// The token is written without the formula guard (which would corrupt a base64url token that starts
// with '-'): it comes from IVS, not from a user, and is only quoted if it ever needed to be.
const tokenCell = (token: string | null) => (token === null ? '' : /[",\r\n]/.test(token) ? `"${token.replace(/"/g, '""')}"` : token);

/**
 * POST /api/bulk/jobs/{id}/download?format=csv|json: the batch's tokens, once. The first request
 * takes them out of the server's memory; any later one gets 410 Gone. Owner only, and only while
 * the owner may still mint the job's grants. A POST from this console's own pages (Origin checked):
 * a GET could be spent by a link or an image on another site (the session cookie is SameSite=Lax),
 * using up the owner's only download. GET answers 405.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  if (!isSameOrigin(request, { required: true }))
    return Response.json(fail('FORBIDDEN', 'Cross-site requests are refused: download from the bulk job page.'), {
      status: 403,
      headers: noStore,
    });
  const staff = await getCurrentStaff();
  if (!staff) return Response.json(fail('UNAUTHENTICATED', 'Sign in again to download.'), { status: 401, headers: noStore });
  const format = new URL(request.url).searchParams.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'json')
    return Response.json(fail('INVALID_INPUT', 'format is csv or json.', { fieldErrors: { format: 'csv or json.' } }), {
      status: 400,
      headers: noStore,
    });
  const { id } = await params;
  const taken = await takeBulkTokens(staff.id, id);
  if (!taken.ok) {
    const { status, ...failure } = taken;
    return Response.json(failure, { status, headers: noStore });
  }

  const rows = taken.rows.map((r) => ({
    row: r.row,
    userId: r.userId,
    status: r.status,
    token: r.token ?? null,
    tokenExpirationTime: r.tokenExpirationTime ?? null,
    sessionExpirationTime: r.sessionExpirationTime ?? null,
    auditId: r.auditId,
    errorCode: r.errorCode,
    error: r.status === 'issued' ? null : r.errorMessage,
  }));
  let body: string;
  if (format === 'json') {
    body = JSON.stringify({ job: taken.job, rows }, null, 2);
  } else {
    const parts = [csvRow(CSV_COLUMNS)];
    for (const r of rows) {
      parts.push(
        `${[csvCell(r.row), csvCell(r.userId), csvCell(r.status), tokenCell(r.token), csvCell(r.tokenExpirationTime), csvCell(r.sessionExpirationTime), csvCell(r.auditId), csvCell(r.errorCode), csvCell(r.error)].join(',')}\r\n`,
      );
    }
    body = parts.join('');
  }
  return new Response(body, {
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="bulk-${id}.${format}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
