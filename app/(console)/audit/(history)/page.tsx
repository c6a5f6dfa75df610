import type { Metadata } from 'next';
import { Alert, Stack, Text, Title } from '@mantine/core';
import { FilterForm } from '@/components/audit/filter-form';
import { HistoryTable, type HistoryRow } from '@/components/audit/history-table';
import { RecordList } from '@/components/audit/record-list';
import { listAuditPage } from '@/lib/audit/store';
import { loadTokenStateFacts } from '@/lib/audit/token-state-facts';
import { roleCan } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { auditQueryString, EXPORT_MAX_ROWS, HISTORY_PAGE_SIZE, parseAuditQuery } from '@/lib/shared/audit/filter';
import { listSummary } from '@/lib/shared/audit/paging';

export const metadata: Metadata = { title: 'History' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function HistoryPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const query = parseAuditQuery(sp);
  const here = auditQueryString(query.values, query.ok ? { page: query.page > 1 ? query.page : undefined, before: query.before } : {});
  const staff = await requireStaff(here ? `/audit?${here}` : '/audit');
  if (!roleCan(staff.role, 'audit.read')) {
    return (
      <Alert color="gray" title="No access">
        Your role ({staff.role}) may not read the audit log.
      </Alert>
    );
  }

  const result = query.ok
    ? await listAuditPage(query.filter, { page: query.page, before: query.before, pageSize: HISTORY_PAGE_SIZE })
    : null;
  // Two indexed queries for the whole page (deny list, disconnects): the State column's facts.
  const factsOf = await loadTokenStateFacts(result?.rows ?? []);
  const rows: HistoryRow[] = (result?.rows ?? []).map((r) => ({
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
      <FilterForm key={filters} list="history" initial={query.values} serverErrors={query.ok ? undefined : query.fieldErrors} />
      {!query.ok && (
        <Alert color="red" role="alert" title="Some filters are not valid">
          Correct the fields marked above.
        </Alert>
      )}
      {result && query.ok && (
        <RecordList
          summary={listSummary(
            { ...result, shown: rows.length },
            {
              one: 'mint',
              many: 'mints',
              filtered: filters !== '',
              older: query.before !== undefined,
              emptyUnfiltered: 'No tokens have been minted yet.',
            },
          )}
          summaryTestId="history-summary"
          exportHref={exportHref}
          result={result}
          path="/audit"
          filters={filters}
          before={query.before}
          footnote={`Exports hold the filtered history, newest first, up to ${EXPORT_MAX_ROWS.toLocaleString('en-US')} rows; narrow the time range for more.`}
        >
          {rows.length > 0 && <HistoryTable rows={rows} mayDisconnect={roleCan(staff.role, 'users.disconnect')} />}
        </RecordList>
      )}
    </Stack>
  );
}
