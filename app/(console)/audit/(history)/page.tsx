import type { Metadata } from 'next';
import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { AuditFilterForm } from '@/components/audit/audit-filter-form';
import { HistoryTable, type HistoryRow } from '@/components/audit/history-table';
import { NavAnchor } from '@/components/audit/nav-anchor';
import { listAuditRecords } from '@/lib/audit/store';
import { loadTokenStateFacts } from '@/lib/audit/token-state-facts';
import { roleCan } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { auditQueryString, EXPORT_MAX_ROWS, HISTORY_PAGE_SIZE, parseAuditQuery } from '@/lib/shared/audit/filter';

export const metadata: Metadata = { title: 'History' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function HistoryPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const query = parseAuditQuery(sp);
  const here = auditQueryString(query.values, { before: query.ok ? query.before : undefined });
  const staff = await requireStaff(here ? `/audit?${here}` : '/audit');
  if (!roleCan(staff.role, 'audit.read')) {
    return (
      <Alert color="gray" title="No access">
        Your role ({staff.role}) may not read the audit log.
      </Alert>
    );
  }

  const page = query.ok ? await listAuditRecords(query.filter, { limit: HISTORY_PAGE_SIZE, before: query.before }) : null;
  // Two indexed queries for the whole page (deny list, disconnects): the State column's facts.
  const factsOf = await loadTokenStateFacts(page?.rows ?? []);
  const rows: HistoryRow[] = (page?.rows ?? []).map((r) => ({
    id: r.id,
    seq: r.seq,
    at: r.at,
    actorEmail: r.actorEmail,
    via: r.via,
    apiKeyName: r.apiKeyName,
    roomArn: r.roomArn,
    region: r.region,
    userId: r.userId,
    capabilities: r.capabilities,
    durationMinutes: r.durationMinutes,
    status: r.status,
    state: {
      status: r.status,
      at: r.at,
      tokenExpiresAt: r.tokenExpiresAt,
      sessionExpiresAt: r.sessionExpiresAt,
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
      ...factsOf(r.userId, r.roomArn),
    },
  }));
  const filters = auditQueryString(query.values);
  const filtered = filters !== '';
  const exportHref = (format: 'csv' | 'json') => `/api/audit/export?${auditQueryString(query.values, { format })}`;

  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          History
        </Title>
        <Text c="dimmed" size="sm">
          Every token mint, newest first, from the form, the API and bulk runs. Open a row for the whole record.
        </Text>
      </div>
      <AuditFilterForm key={filters} initial={query.values} serverErrors={query.ok ? undefined : query.fieldErrors} />
      {!query.ok && (
        <Alert color="red" role="alert" title="Some filters are not valid">
          Correct the fields marked above.
        </Alert>
      )}
      {query.ok && (
        <>
          <Group justify="space-between">
            <Text size="sm" aria-live="polite" data-testid="history-summary">
              {rows.length === 0
                ? filtered
                  ? 'No mints match these filters.'
                  : 'No tokens have been minted yet.'
                : `Showing ${rows.length} mint${rows.length === 1 ? '' : 's'}${query.before ? ' (older page)' : ''}${filtered ? ' matching the filters' : ''}.`}
            </Text>
            <Group gap="xs">
              <Button component="a" href={exportHref('csv')} variant="default" size="xs" download>
                Export CSV
              </Button>
              <Button component="a" href={exportHref('json')} variant="default" size="xs" download>
                Export JSON
              </Button>
            </Group>
          </Group>
          <Text size="xs" c="dimmed">
            Exports hold the filtered history, newest first, up to {EXPORT_MAX_ROWS.toLocaleString('en-US')} rows; narrow the time range for
            more.
          </Text>
          {rows.length > 0 && <HistoryTable rows={rows} mayDisconnect={roleCan(staff.role, 'users.disconnect')} />}
          <Group gap="md">
            {query.before !== undefined && <NavAnchor href={filters ? `/audit?${filters}` : '/audit'}>← Newest</NavAnchor>}
            {page?.nextBefore != null && (
              <NavAnchor href={`/audit?${auditQueryString(query.values, { before: page.nextBefore })}`} rel="next">
                Older →
              </NavAnchor>
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}
