import { activityExportStream } from '@/lib/audit/activity-export';
import { authorize } from '@/lib/contract/guard';
import { failureResponse as failure } from '@/lib/contract/http';
import { fail } from '@/lib/contract/result';
import { log } from '@/lib/log';
import { parseActivityQuery } from '@/lib/shared/audit/activity';
import { EXPORT_MAX_ROWS } from '@/lib/shared/audit/filter';

export const dynamic = 'force-dynamic';

/**
 * GET /api/audit/activity/export?format=csv|json plus the Activity view's filters: every kind of
 * entry, newest first, streamed page by page and capped at EXPORT_MAX_ROWS rows.
 */
export async function GET(request: Request): Promise<Response> {
  const auth = await authorize({ permission: 'audit.read' });
  if (!auth.ok) return failure(auth);
  const url = new URL(request.url);
  const format = url.searchParams.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'json')
    return failure(fail('INVALID_INPUT', 'format is csv or json.', { fieldErrors: { format: 'csv or json' } }));
  const parsed = parseActivityQuery(url.searchParams);
  if (!parsed.ok) return failure(fail('INVALID_INPUT', 'Some filters are not valid.', { fieldErrors: parsed.fieldErrors }));

  log.info({ event: 'audit.activity_exported', actor: auth.actor.email, format }, 'activity export');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return new Response(activityExportStream(format, parsed.query, EXPORT_MAX_ROWS), {
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-activity-${stamp}.${format}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Export-Row-Limit': String(EXPORT_MAX_ROWS),
    },
  });
}
