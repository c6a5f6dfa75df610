import { csvCell, csvRow } from '@/lib/audit/csv';
import { takeBulkTokens } from '@/lib/bulk/runner';
import { authorize } from '@/lib/contract/guard';
import { failureResponse } from '@/lib/contract/http';
import { fail } from '@/lib/contract/result';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

const CSV_COLUMNS = [
  'row',
  'userId',
  'status',
  'token',
  'tokenExpirationTime',
  'sessionExpirationTime',
  'auditId',
  'errorCode',
  'awsCode',
  'error',
] as const;

// The token is written without the formula guard (which would corrupt a base64url token that starts
// with '-'): it comes from IVS, not from a user, and is only quoted if it ever needed to be.
const tokenCell = (token: string | null) => (token === null ? '' : /[",\r\n]/.test(token) ? `"${token.replace(/"/g, '""')}"` : token);

/**
 * GET /api/bulk/jobs/{id}/download?format=csv|json: the batch's tokens, once. The first request
 * takes them out of the server's memory; any later one gets 410 Gone. Owner only, and only while
 * the owner may still mint: the file holds bearer credentials.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authorize({ permission: 'mint' });
  if (!auth.ok) return failureResponse(auth);
  const format = new URL(request.url).searchParams.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'json') {
    return failureResponse(fail('INVALID_INPUT', 'format is csv or json.', { fieldErrors: { format: 'csv or json.' } }));
  }
  const { id } = await params;
  let taken;
  try {
    taken = await takeBulkTokens(auth.actor.staffId, id);
  } catch (err) {
    log.error({ event: 'bulk.download_failed', err: err instanceof Error ? err.message : String(err) }, 'bulk download failed');
    return failureResponse(
      fail('AUDIT_UNAVAILABLE', 'The job could not be read from the console database; the tokens are still held. Try again shortly.', {
        retryable: true,
      }),
    );
  }
  if (!taken.ok) return failureResponse(taken);

  const rows = taken.rows.map((r) => ({
    row: r.row,
    userId: r.userId,
    status: r.status,
    token: r.token ?? null,
    tokenExpirationTime: r.tokenExpirationTime ?? null,
    sessionExpirationTime: r.sessionExpirationTime ?? null,
    auditId: r.auditId,
    errorCode: r.errorCode,
    awsCode: r.awsCode,
    error: r.status === 'issued' ? null : r.errorMessage,
  }));
  let body: string;
  if (format === 'json') {
    body = JSON.stringify({ job: taken.job, rows }, null, 2);
  } else {
    const parts = [csvRow(CSV_COLUMNS)];
    for (const r of rows) {
      parts.push(
        `${[csvCell(r.row), csvCell(r.userId), csvCell(r.status), tokenCell(r.token), csvCell(r.tokenExpirationTime), csvCell(r.sessionExpirationTime), csvCell(r.auditId), csvCell(r.errorCode), csvCell(r.awsCode), csvCell(r.error)].join(',')}\r\n`,
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
