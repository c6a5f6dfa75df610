import { getCurrentStaff } from '@/lib/auth/session';
import { getBulkJobForStaff } from '@/lib/bulk/runner';
import { listBulkRows } from '@/lib/bulk/store';
import type { BulkRowFilter } from '@/lib/shared/bulk/schema';

export const dynamic = 'force-dynamic';

const FILTERS: readonly BulkRowFilter[] = ['all', 'issued', 'failed', 'queued'];
const noStore = { 'Cache-Control': 'no-store' };

/** GET /api/bulk/jobs/{id}?filter=&page=: the job's progress and one page of its rows (never a token). Owner only. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const staff = await getCurrentStaff();
  if (!staff) return Response.json({ code: 'UNAUTHENTICATED', message: 'Sign in again.' }, { status: 401, headers: noStore });
  const { id } = await params;
  const job = await getBulkJobForStaff(staff.id, id);
  if (!job) return Response.json({ code: 'NOT_FOUND', message: 'No such bulk job.' }, { status: 404, headers: noStore });
  const url = new URL(request.url);
  const filterParam = url.searchParams.get('filter') ?? 'all';
  const filter = (FILTERS as readonly string[]).includes(filterParam) ? (filterParam as BulkRowFilter) : 'all';
  const page = Math.min(100_000, Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1));
  const rows = await listBulkRows(id, filter, page);
  return Response.json({ job, rows: rows.rows, rowsTotal: rows.total, page, filter }, { headers: noStore });
}
