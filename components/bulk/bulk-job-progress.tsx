'use client';

import { BulkRate } from './bulk-rate';
import { useCallback, useEffect, useState, useTransition } from 'react';
import Link from 'next/link';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Pagination,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useRouter } from 'next/navigation';
import { cancelBulkJobAction } from '@/lib/actions/cancel-bulk-job-action';
import { bulkEndState, bulkRowErrorText } from '@/lib/shared/bulk/outcome';
import { BULK_ROWS_PAGE_SIZE, type BulkJobView, type BulkRowFilter, type BulkRowView } from '@/lib/shared/bulk/schema';

const POLL_MS = 500;

interface StatusResponse {
  job: BulkJobView;
  rows: BulkRowView[];
  rowsTotal: number;
}

const STATUS_COLOR: Record<string, string> = { issued: 'green', failed: 'red', skipped: 'gray', queued: 'blue', unknown: 'orange' };

/**
 * A bulk job's progress, polled from the server every 500 ms while it runs, so a reload (or another
 * tab) picks up where it is; per-row outcomes come from the database and never include a token.
 */
export function BulkJobProgress({ initialJob }: { initialJob: BulkJobView }) {
  const [job, setJob] = useState(initialJob);
  const [rows, setRows] = useState<BulkRowView[]>([]);
  const [rowsTotal, setRowsTotal] = useState(0);
  const [filter, setFilter] = useState<BulkRowFilter>('all');
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [downloadNote, setDownloadNote] = useState<string | null>(null);
  const [downloadRefusal, setDownloadRefusal] = useState<string | null>(null);
  const [cancelling, startCancel] = useTransition();
  const [retrying, startRetry] = useTransition();
  const [retryRefusal, setRetryRefusal] = useState<string | null>(null);
  const router = useRouter();

  const refresh = useCallback(async () => {
    try {
      const res = await fetch(`/api/bulk/jobs/${job.id}?filter=${filter}&page=${page}`, { cache: 'no-store' });
      if (!res.ok) {
        setError(((await res.json().catch(() => ({}))) as { message?: string }).message ?? `HTTP ${res.status}`);
        return;
      }
      const body = (await res.json()) as StatusResponse;
      setError(null);
      setJob(body.job);
      setRows(body.rows);
      setRowsTotal(body.rowsTotal);
    } catch {
      setError('The console could not be reached; retrying.');
    }
  }, [job.id, filter, page]);

  const running = job.status === 'running';
  useEffect(() => {
    // Polling the job on the server: its answer is the external state this effect syncs from.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void refresh();
    if (!running) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh, running]);

  const done = job.issued + job.failed;
  const percent = job.total ? Math.round((done / job.total) * 100) : 0;
  const end = bulkEndState(job);

  // A new job for exactly the failed rows, through the same route checks as any start (POST, same origin).
  const retry = () =>
    startRetry(async () => {
      setRetryRefusal(null);
      try {
        const res = await fetch(`/api/bulk/jobs/${job.id}/retry`, { method: 'POST', cache: 'no-store' });
        const body = (await res.json().catch(() => null)) as { id?: string; message?: string } | null;
        if (res.ok && body?.id) {
          router.push(`/bulk/${body.id}`);
          return;
        }
        setRetryRefusal(body?.message ?? `The retry was refused (HTTP ${res.status}).`);
      } catch {
        setRetryRefusal('The console could not be reached; nothing was started. Try again.');
      }
    });

  const download = async (format: 'csv' | 'json') => {
    // A POST (the route refuses GET): a link on another site must not be able to spend the one download.
    // The file is handed to the browser from memory; afterwards the server holds no tokens, which the next poll shows.
    setDownloadRefusal(null);
    let res: Response;
    try {
      res = await fetch(`/api/bulk/jobs/${job.id}/download?format=${format}`, { method: 'POST', cache: 'no-store' });
    } catch {
      setDownloadRefusal('The console could not be reached; nothing was downloaded. Try again.');
      return;
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { message?: string } | null;
      setDownloadRefusal(body?.message ?? `The download was refused (HTTP ${res.status}).`);
      void refresh();
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `bulk-${job.id}.${format}`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setDownloadNote(`Downloaded as ${format.toUpperCase()}. The server no longer keeps these tokens.`);
    setTimeout(() => void refresh(), 1000);
  };

  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          Bulk mint job
        </Title>
        <Text c="dimmed" size="sm">
          <Anchor component={Link} href="/bulk">
            Bulk mint
          </Anchor>{' '}
          · batch id <Code>{job.id}</Code> · room <Code>{job.roomArn}</Code> ·{' '}
          {job.capabilities.length ? job.capabilities.join(', ') : 'view only'} · {job.sessionDurationInMinutes} min
          {job.retryOf && (
            <>
              {' '}
              · retries the failed rows of{' '}
              <Anchor component={Link} href={`/bulk/${job.retryOf}`}>
                {job.retryOf.slice(0, 8)}
              </Anchor>
            </>
          )}
        </Text>
      </div>

      <Stack gap={6}>
        <Group justify="space-between">
          <Group gap="xs">
            <Text fw={600}>Status</Text>
            <Badge data-testid="bulk-status" data-status={job.status} color={end.color} tt="none" size="lg">
              {end.label}
            </Badge>
          </Group>
          <Text size="sm" aria-live="polite" data-testid="bulk-progress-text">
            {done.toLocaleString('en-US')} of {job.total.toLocaleString('en-US')} ({percent}%)
          </Text>
        </Group>
        <Progress value={percent} size="lg" aria-label="Bulk mint progress" animated={running} />
        {running ? <BulkRate job={job} /> : <BulkFinalRate job={job} />}
        <SimpleGrid cols={3}>
          <Stat label="Issued" value={job.issued} testId="bulk-issued" />
          <Stat label="Failed" value={job.failed} testId="bulk-failed" />
          <Stat label="Remaining" value={job.remaining} testId="bulk-remaining" />
        </SimpleGrid>
        {running && (
          <Group>
            <Button
              variant="default"
              size="xs"
              loading={cancelling}
              onClick={() =>
                startCancel(async () => {
                  const result = await cancelBulkJobAction(job.id);
                  if (!result.ok) setError(result.message);
                })
              }
            >
              Stop the run
            </Button>
          </Group>
        )}
      </Stack>

      {!running && job.failed > 0 && (
        <Alert
          color="orange"
          title={`${job.failed.toLocaleString('en-US')} ${job.failed === 1 ? 'row was' : 'rows were'} not issued`}
          data-testid="bulk-retry"
        >
          <Stack gap="xs">
            <Text size="sm">
              A retry is a new job for exactly these rows (same room, grants, reason and attributes), checked against your role as it is now
              and recorded in the audit log row by row. Rows whose outcome is unknown are not retried: a token may exist for them.
            </Text>
            <Group>
              <Button color="orange" onClick={retry} loading={retrying}>
                Retry the {job.failed.toLocaleString('en-US')} failed {job.failed === 1 ? 'row' : 'rows'}
              </Button>
            </Group>
            {retryRefusal && (
              <Text size="sm" c="red" role="alert" data-testid="bulk-retry-refused">
                {retryRefusal}
              </Text>
            )}
          </Stack>
        </Alert>
      )}
      {job.note && (
        <Alert color="orange" title={job.status === 'interrupted' ? 'Interrupted' : job.status === 'stopped' ? 'Stopped' : 'Note'}>
          {job.note}
        </Alert>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}

      <TokensPanel job={job} onDownload={download} note={downloadNote} refusal={downloadRefusal} />

      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4">
            Rows
          </Title>
          <SegmentedControl
            aria-label="Show rows"
            size="xs"
            value={filter}
            onChange={(v) => {
              setFilter(v as BulkRowFilter);
              setPage(1);
            }}
            data={[
              { value: 'all', label: 'All' },
              { value: 'issued', label: 'Issued' },
              { value: 'failed', label: 'Not issued' },
              { value: 'queued', label: 'Queued' },
            ]}
          />
        </Group>
        <Table striped withTableBorder data-testid="bulk-rows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Row</Table.Th>
              <Table.Th>userId</Table.Th>
              <Table.Th>Result</Table.Th>
              <Table.Th>Audit record</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.row}>
                <Table.Td>{row.row}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{row.userId}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[row.status]} variant="light">
                    {row.status}
                  </Badge>
                  {row.status !== 'issued' && row.status !== 'queued' && (
                    <Text size="xs" mt={4} data-testid="bulk-row-error">
                      {bulkRowErrorText(row)}
                    </Text>
                  )}
                  {row.attempts > 1 && (
                    <Text size="xs" c="dimmed">
                      {row.attempts} attempts
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {row.auditId ? (
                    <Anchor component={Link} href={`/audit/${row.auditId}`} size="xs">
                      {row.auditId.slice(0, 8)}
                    </Anchor>
                  ) : (
                    <Text size="xs" c="dimmed">
                      none
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {rowsTotal > BULK_ROWS_PAGE_SIZE && (
          <nav aria-label="Row pages">
            <Pagination
              total={Math.ceil(rowsTotal / BULK_ROWS_PAGE_SIZE)}
              value={page}
              onChange={setPage}
              size="sm"
              getControlProps={(control) => ({ 'aria-label': `${control[0].toUpperCase()}${control.slice(1)} page` })}
            />
          </nav>
        )}
      </Stack>
    </Stack>
  );
}

/** A finished job's rate, start to finish. */
function BulkFinalRate({ job }: { job: BulkJobView }) {
  if (job.ratePerSecond === null || !job.finishedAt) return null;
  const seconds = (Date.parse(job.finishedAt) - Date.parse(job.createdAt)) / 1000;
  return (
    <Text size="sm" c="dimmed" data-testid="bulk-rate">
      {`Ran ${seconds.toFixed(1)} s at ${job.ratePerSecond.toFixed(1)} rows/s${job.shareRatePerSecond !== null ? ` (share ${job.shareRatePerSecond}/s)` : ''}.`}
    </Text>
  );
}

function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" data-testid={testId}>
        {value.toLocaleString('en-US')}
      </Text>
    </Stack>
  );
}

function TokensPanel({
  job,
  onDownload,
  note,
  refusal,
}: {
  job: BulkJobView;
  onDownload: (format: 'csv' | 'json') => void;
  note: string | null;
  refusal: string | null;
}) {
  if (job.status === 'running') {
    return (
      <Alert color="blue" title="Tokens">
        The tokens are kept in the server&apos;s memory only, never in the database. They can be downloaded once, when the run has finished.
      </Alert>
    );
  }
  if (job.tokens === 'held' && !note) {
    return (
      <Alert color="yellow" title="Download the tokens — once" data-testid="bulk-tokens">
        <Stack gap="xs">
          <Text size="sm">
            Tokens are bearer credentials. They can be downloaded once (CSV or JSON, with per-row results) and are then dropped from the
            server; if nobody downloads them they are dropped
            {job.tokensExpireAt ? ` at ${job.tokensExpireAt.replace('T', ' ').slice(0, 19)} UTC` : ' after 15 minutes'}.
          </Text>
          <Group>
            <Button onClick={() => onDownload('csv')}>Download CSV</Button>
            <Button variant="default" onClick={() => onDownload('json')}>
              Download JSON
            </Button>
          </Group>
          {refusal && (
            <Text size="sm" c="red" role="alert" data-testid="bulk-download-refused">
              {refusal}
            </Text>
          )}
        </Stack>
      </Alert>
    );
  }
  const message =
    note ??
    (job.tokens === 'downloaded'
      ? `The tokens were downloaded${job.tokensDownloadedAt ? ` at ${job.tokensDownloadedAt.replace('T', ' ').slice(0, 19)} UTC` : ''} and are no longer kept.`
      : job.tokens === 'expired'
        ? 'The tokens were not downloaded within 15 minutes and are no longer kept.'
        : 'The tokens are not available: the console process that ran this job no longer holds them.');
  return (
    <Alert color="gray" title="Tokens are gone" data-testid="bulk-tokens">
      {message} The per-row results below (without tokens) and the audit log remain.
    </Alert>
  );
}
