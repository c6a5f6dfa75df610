import type { BulkJobView, BulkRowView } from '@/lib/shared/bulk/schema';

/** How a job's state reads: the words, and a colour that is green only when every row was issued. */
export interface BulkEndState {
  label: string;
  color: 'green' | 'blue' | 'orange' | 'red' | 'gray';
  /** True when the run is over and some rows were not issued. */
  partial: boolean;
}

const n = (v: number) => v.toLocaleString('en-US');

/**
 * The true end state of a run: "Finished: 480 issued, 20 failed" rather than a green "completed"
 * for a run with failures. Rows that were never attempted (stopped, cancelled, interrupted) are
 * counted as such.
 */
export function bulkEndState(job: Pick<BulkJobView, 'status' | 'total' | 'issued' | 'failed'>): BulkEndState {
  const notAttempted = job.total - job.issued - job.failed;
  const counts = [
    `${n(job.issued)} issued`,
    job.failed ? `${n(job.failed)} failed` : null,
    notAttempted > 0 ? `${n(notAttempted)} not attempted` : null,
  ]
    .filter(Boolean)
    .join(', ');
  switch (job.status) {
    case 'running':
      return { label: `Running: ${counts}`, color: 'blue', partial: false };
    case 'completed':
      if (job.issued === 0 && job.total > 0)
        return { label: `Finished: none issued, ${n(job.failed)} failed`, color: 'red', partial: true };
      return job.failed || notAttempted > 0
        ? { label: `Finished: ${counts}`, color: 'orange', partial: true }
        : { label: `Finished: all ${n(job.issued)} issued`, color: 'green', partial: false };
    case 'cancelled':
      return { label: `Cancelled: ${counts}`, color: 'orange', partial: true };
    case 'stopped':
      return { label: `Stopped: ${counts}`, color: 'orange', partial: true };
    case 'interrupted':
      return { label: `Interrupted: ${counts}`, color: 'red', partial: true };
  }
}

/**
 * A row's error without saying its exception twice: the console's messages already name the AWS
 * exception ("… (IAM action ivschat:CreateChatToken, AccessDeniedException)"), so the code is
 * put in front only when the message does not carry it.
 */
export function bulkRowErrorText(row: Pick<BulkRowView, 'errorCode' | 'awsCode' | 'errorMessage'>): string {
  const message = row.errorMessage ?? '';
  const code = row.awsCode ?? row.errorCode;
  if (!code || message.includes(code)) return message;
  return message ? `${message} (${code})` : code;
}
