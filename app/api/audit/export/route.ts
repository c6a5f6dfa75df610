import { auditExportStream } from '@/lib/audit/export';
import { roleCan } from '@/lib/auth/policy';
import { getCurrentStaff } from '@/lib/auth/session';
import { log } from '@/lib/log';
import { EXPORT_MAX_ROWS, parseAuditQuery } from '@/lib/shared/audit/filter';

export const dynamic = 'force-dynamic';

const problem = (status: number, message: string, extra: Record<string, unknown> = {}) =>
  Response.json({ error: message, ...extra }, { status, headers: { 'Cache-Control': 'no-store' } });

/**
 * GET /api/audit/export?format=csv|json plus the history's filters: the filtered mint history,
 * newest first, streamed page by page and capped at EXPORT_MAX_ROWS rows.
 */
export async function GET(request: Request): Promise<Response> {
  const staff = await getCurrentStaff();
  if (!staff) return problem(401, 'Sign in to export the audit log.');
  if (!roleCan(staff.role, 'audit.read')) return problem(403, `The ${staff.role} role may not read the audit log.`);

  const url = new URL(request.url);
  const format = url.searchParams.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'json') return problem(400, 'format is csv or json.');
  const query = parseAuditQuery(url.searchParams);
  if (!query.ok) return problem(400, 'Some filters are not valid.', { fieldErrors: query.fieldErrors });

  log.info({ event: 'audit.exported', actor: staff.email, format }, 'audit export');
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
