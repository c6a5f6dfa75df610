import { readJsonBody } from '@/lib/api/http';
import { isSameOrigin } from '@/lib/api/origin';
import { getCurrentStaff } from '@/lib/auth/session';
import { startBulkJob } from '@/lib/bulk/runner';
import { log } from '@/lib/log';
import { BULK_CSV_MAX_CHARS } from '@/lib/shared/bulk/schema';

export const dynamic = 'force-dynamic';

// A CSV of BULK_CSV_MAX_CHARS characters is at most 4 bytes per character in UTF-8, plus the JSON around it.
const MAX_BODY_BYTES = BULK_CSV_MAX_CHARS * 4 + 64 * 1024;

const problem = (status: number, body: Record<string, unknown>) =>
  Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });

/**
 * POST /api/bulk/jobs: starts a bulk mint job and answers at once with its id. A route handler
 * rather than a server action because a 10,000-row CSV is far over the actions' 64 KB body limit
 * (next.config.mjs), which stays small for every other action. Cookie-authenticated, so it refuses
 * cross-site requests itself: JSON only (a cross-site form cannot send it without a CORS
 * preflight, which is never granted) and, when the browser sends one, a same-host Origin.
 */
export async function POST(request: Request): Promise<Response> {
  const staff = await getCurrentStaff();
  if (!staff) return problem(401, { code: 'UNAUTHENTICATED', message: 'Your session has ended. Sign in again to start a bulk run.' });
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) {
    return problem(415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the bulk request as application/json.' });
  }
  if (!isSameOrigin(request)) return problem(403, { code: 'FORBIDDEN', message: 'Cross-site requests are refused.' });
  // Counted as it streams and decoded strictly: invalid UTF-8 is a 400, never repaired into other userIds.
  const read = await readJsonBody(request, { maxBytes: MAX_BODY_BYTES });
  if (!read.ok) return read.response;
  const body = read.body;
  try {
    const result = await startBulkJob({ id: staff.id, email: staff.email, role: staff.role }, body);
    if (!result.ok) {
      const { status, ...rest } = result;
      const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
      if (result.retryAfterSeconds) headers['Retry-After'] = String(result.retryAfterSeconds);
      return Response.json(rest, { status, headers });
    }
    return Response.json(result, { status: 202, headers: { 'Cache-Control': 'no-store', Location: `/bulk/${result.id}` } });
  } catch (err) {
    log.error({ event: 'bulk.start_failed', err: err instanceof Error ? err.message : String(err) }, 'bulk job could not start');
    return problem(503, {
      code: 'UNAVAILABLE',
      message: 'The bulk job could not be started (the console database may be unavailable). Nothing was minted.',
    });
  }
}
