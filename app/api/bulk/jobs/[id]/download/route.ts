import { csvCell, csvRow } from '@/lib/audit/csv';
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
 * GET /api/bulk/jobs/{id}/download?format=csv|json: the batch's tokens, once. The first request
 * takes them out of the server's memory; any later one gets 410 Gone. Owner only.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const staff = await getCurrentStaff();
  if (!staff) return Response.json({ code: 'UNAUTHENTICATED', message: 'Sign in again to download.' }, { status: 401, headers: noStore });
  const format = new URL(request.url).searchParams.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'json')
    return Response.json({ code: 'INVALID_INPUT', message: 'format is csv or json.' }, { status: 400, headers: noStore });
  const { id } = await params;
  const taken = await takeBulkTokens(staff.id, id);
  if (!taken.ok)
    return Response.json(
      {
        code: taken.status === 410 ? 'GONE' : taken.status === 409 ? 'RUNNING' : 'NOT_FOUND',
        message: taken.message,
        tokens: taken.tokens,
      },
      { status: taken.status, headers: noStore },
    );

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
