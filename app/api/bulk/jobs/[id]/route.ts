import { getBulkJobForStaff } from '@/lib/bulk/runner';
import { listBulkRows } from '@/lib/bulk/store';
import { authorize } from '@/lib/contract/guard';
import { failureResponse, jsonResponse } from '@/lib/contract/http';
import { fail } from '@/lib/contract/result';
import type { BulkRowFilter } from '@/lib/shared/bulk/schema';

export const dynamic = 'force-dynamic';

const FILTERS: readonly BulkRowFilter[] = ['all', 'issued', 'failed', 'queued'];

/** GET /api/bulk/jobs/{id}?filter=&page=: the job's progress and one page of its rows (never a token). Owner only. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authorize();
  if (!auth.ok) return failureResponse(auth);
  const { id } = await params;
  const job = await getBulkJobForStaff(auth.actor.staffId, id);
  if (!job) return failureResponse(fail('NOT_FOUND', 'No such bulk job.'));
  const url = new URL(request.url);
  const filterParam = url.searchParams.get('filter') ?? 'all';
  const filter = (FILTERS as readonly string[]).includes(filterParam) ? (filterParam as BulkRowFilter) : 'all';
  const page = Math.min(100_000, Math.max(1, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1));
  const rows = await listBulkRows(id, filter, page);
  return jsonResponse({ job, rows: rows.rows, rowsTotal: rows.total, page, filter });
}
