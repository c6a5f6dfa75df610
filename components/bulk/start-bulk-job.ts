import { isFailure, type Failure } from '@/lib/contract/result';
import type { BulkJobRequest, BulkRowError } from '@/lib/shared/bulk/schema';

/** What the bulk page needs to show when a run does not start. */
export interface BulkProblem {
  message: string;
  rowErrors?: BulkRowError[];
  invalidRows?: number;
  code?: string;
}

/** The one failure body, with the bulk route's row problems. */
export type BulkJobFailure = Failure & { rowErrors?: BulkRowError[]; invalidRows?: number };

export type StartBulkJobResult = { ok: true; id: string } | { ok: false; problem: BulkProblem; failure?: BulkJobFailure };

/** POST /api/bulk/jobs: the server validates everything again and answers with the job id or the one failure shape. */
export async function startBulkJob(request: BulkJobRequest): Promise<StartBulkJobResult> {
  let response: Response;
  try {
    response = await fetch('/api/bulk/jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch {
    return { ok: false, problem: { message: 'The console could not be reached; nothing was started.' } };
  }
  const body: unknown = await response.json().catch(() => ({}));
  if (response.ok && typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string') {
    return { ok: true, id: body.id };
  }
  if (!isFailure(body)) return { ok: false, problem: { message: `The bulk run could not start (HTTP ${response.status}).` } };
  const failure = body as BulkJobFailure;
  return {
    ok: false,
    failure,
    problem: { message: failure.message, rowErrors: failure.rowErrors, invalidRows: failure.invalidRows, code: failure.code },
  };
}
