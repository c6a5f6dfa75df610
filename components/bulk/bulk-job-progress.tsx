'use client';

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
import { cancelBulkJobAction } from '@/lib/actions/cancel-bulk-job-action';
import { BULK_ROWS_PAGE_SIZE, type BulkJobView, type BulkRowFilter, type BulkRowView } from '@/lib/shared/bulk/schema';

const POLL_MS = 500;

interface StatusResponse {
  job: BulkJobView;
  rows: BulkRowView[];
  rowsTotal: number;
}

const STATUS_COLOR: Record<string, string> = { issued: 'green', failed: 'red', skipped: 'gray', queued: 'blue' };

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
  const [cancelling, startCancel] = useTransition();

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

  const download = (format: 'csv' | 'json') => {
    // The browser downloads from the route; afterwards the server holds no tokens, which the next poll shows.
    const a = document.createElement('a');
    a.href = `/api/bulk/jobs/${job.id}/download?format=${format}`;
    a.download = '';
    document.body.appendChild(a);
    a.click();
    a.remove();
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
        </Text>
      </div>

      <Stack gap={6}>
        <Group justify="space-between">
          <Group gap="xs">
            <Text fw={600}>Status</Text>
            <Badge data-testid="bulk-status" color={job.status === 'completed' ? 'green' : job.status === 'running' ? 'blue' : 'orange'}>
              {job.status}
            </Badge>
          </Group>
          <Text size="sm" aria-live="polite" data-testid="bulk-progress-text">
            {done.toLocaleString('en-US')} of {job.total.toLocaleString('en-US')} ({percent}%)
          </Text>
        </Group>
        <Progress value={percent} size="lg" aria-label="Bulk mint progress" animated={running} />
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

      {job.note && (
        <Alert color="orange" title={job.status === 'interrupted' ? 'Interrupted' : 'Note'}>
          {job.note}
        </Alert>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}

      <TokensPanel job={job} onDownload={download} note={downloadNote} />

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
                    <Text size="xs" mt={4}>
                      {row.errorCode ? `${row.awsCode ?? row.errorCode}: ` : ''}
                      {row.errorMessage}
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

function TokensPanel({ job, onDownload, note }: { job: BulkJobView; onDownload: (format: 'csv' | 'json') => void; note: string | null }) {
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
