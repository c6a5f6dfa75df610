import type { Metadata } from 'next';
import { Alert, Stack, Text, Title } from '@mantine/core';
import { ActivityTable, type ActivityRow } from '@/components/audit/activity-table';
import { FilterForm } from '@/components/audit/filter-form';
import { RecordList } from '@/components/audit/record-list';
import { listActivity } from '@/lib/audit/activity';
import { roleCan } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { activityQueryString, parseActivityQuery } from '@/lib/shared/audit/activity';
import { EXPORT_MAX_ROWS } from '@/lib/shared/audit/filter';
import { listSummary } from '@/lib/shared/audit/paging';

export const metadata: Metadata = { title: 'Activity' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ActivityPage({ searchParams }: { searchParams: SearchParams }) {
  const sp = await searchParams;
  const parsed = parseActivityQuery(sp);
  const here = activityQueryString(
    parsed.values,
    parsed.ok ? { page: parsed.page > 1 ? parsed.page : undefined, before: parsed.before } : {},
  );
  const staff = await requireStaff(here ? `/activity?${here}` : '/activity');
  if (!roleCan(staff.role, 'audit.read')) {
    return (
      <Alert color="gray" title="No access">
        Your role ({staff.role}) may not read the audit log.
      </Alert>
    );
  }

  const result = parsed.ok ? await listActivity(parsed.query, { page: parsed.page, before: parsed.before }) : null;
  const rows: ActivityRow[] = (result?.rows ?? []).map((r) => ({
    id: r.id,
    seq: r.seq,
    at: r.at,
    action: r.action,
    status: r.status,
    summary: r.summary,
    actorEmail: r.actorEmail,
    actorRole: r.actorRole,
    via: r.via,
    apiKeyName: r.apiKeyName,
    userId: r.userId,
    roomArn: r.roomArn,
    batchId: r.batchId,
    reason: r.reason,
  }));
  const filters = activityQueryString(parsed.values);
  const exportHref = (format: 'csv' | 'json') => `/api/audit/activity/export?${activityQueryString(parsed.values, { format })}`;

  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          Activity
        </Title>
        <Text c="dimmed" size="sm">
          Every entry in the audit log, newest first: mints and refused mints, disconnects, deleted messages, events, deny-list changes,
          staff and API key changes, presets. Open a row for the whole entry.
        </Text>
      </div>
      <FilterForm key={filters} list="activity" initial={parsed.values} serverErrors={parsed.ok ? undefined : parsed.fieldErrors} />
      {!parsed.ok && (
        <Alert color="red" role="alert" title="Some filters are not valid">
          Correct the fields marked above.
        </Alert>
      )}
      {result && parsed.ok && (
        <RecordList
          summary={listSummary(
            { ...result, shown: rows.length },
            {
              one: 'entry',
              many: 'entries',
              filtered: filters !== '',
              older: parsed.before !== undefined,
              emptyUnfiltered: 'The audit log is empty.',
            },
          )}
          summaryTestId="activity-summary"
          exportHref={exportHref}
          result={result}
          path="/activity"
          filters={filters}
          before={parsed.before}
          footnote={`Exports hold the filtered entries, newest first, up to ${EXPORT_MAX_ROWS.toLocaleString('en-US')} rows; narrow the time range for more. Pipelines can follow the whole log with GET /api/v1/audit/events.`}
        >
          {rows.length > 0 && <ActivityTable rows={rows} label="Audit entries, newest first" />}
        </RecordList>
      )}
    </Stack>
  );
}
