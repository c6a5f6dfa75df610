import type { BulkJobRequest, BulkRowError } from '@/lib/shared/bulk/schema';

/** What the bulk page needs to show when a run does not start. */
export interface BulkProblem {
  message: string;
  rowErrors?: BulkRowError[];
  invalidRows?: number;
  code?: string;
}

export type StartBulkJobResult = { ok: true; id: string } | { ok: false; problem: BulkProblem; fieldErrors: Record<string, string> };

/** POST /api/bulk/jobs: the server validates everything again and answers with the job id or why not. */
export async function startBulkJob(request: BulkJobRequest): Promise<StartBulkJobResult> {
  let response: Response;
  try {
    response = await fetch('/api/bulk/jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch {
    return { ok: false, problem: { message: 'The console could not be reached; nothing was started.' }, fieldErrors: {} };
  }
  const body = (await response.json().catch(() => ({}))) as {
    id?: string;
    message?: string;
    code?: string;
    fieldErrors?: Record<string, string>;
    rowErrors?: BulkRowError[];
    invalidRows?: number;
  };
  if (response.ok && body.id) return { ok: true, id: body.id };
  return {
    ok: false,
    fieldErrors: body.fieldErrors ?? {},
    problem: {
      message: body.message ?? `The bulk run could not start (HTTP ${response.status}).`,
      rowErrors: body.rowErrors,
      invalidRows: body.invalidRows,
      code: body.code,
    },
  };
}
