import { auditExportStream } from '@/lib/audit/export';
import { authorize } from '@/lib/contract/guard';
import { failureResponse } from '@/lib/contract/http';
import { fail } from '@/lib/contract/result';
import { log } from '@/lib/log';
import { EXPORT_MAX_ROWS, parseAuditQuery } from '@/lib/shared/audit/filter';

export const dynamic = 'force-dynamic';

/**
 * GET /api/audit/export?format=csv|json plus the history's filters: the filtered mint history,
 * newest first, streamed page by page and capped at EXPORT_MAX_ROWS rows.
 */
export async function GET(request: Request): Promise<Response> {
  const auth = await authorize({ permission: 'audit.read' });
  if (!auth.ok) return failureResponse(auth);

  const url = new URL(request.url);
  const format = url.searchParams.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'json') {
    return failureResponse(fail('INVALID_INPUT', 'format is csv or json.', { fieldErrors: { format: 'csv or json.' } }));
  }
  const query = parseAuditQuery(url.searchParams);
  if (!query.ok) return failureResponse(fail('INVALID_INPUT', 'Some filters are not valid.', { fieldErrors: query.fieldErrors }));

  log.info({ event: 'audit.exported', actor: auth.actor.email, format }, 'audit export');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return new Response(auditExportStream(format, query.filter, EXPORT_MAX_ROWS), {
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="token-mints-${stamp}.${format}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Export-Row-Limit': String(EXPORT_MAX_ROWS),
    },
  });
}
