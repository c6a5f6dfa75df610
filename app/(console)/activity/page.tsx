import type { Metadata } from 'next';
import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { ActivityFilterForm } from '@/components/audit/activity-filter-form';
import { ActivityTable, type ActivityRow } from '@/components/audit/activity-table';
import { NavAnchor } from '@/components/audit/nav-anchor';
import { PageLinks } from '@/components/audit/page-links';
import { listActivity } from '@/lib/audit/activity';
import { roleCan } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { ACTIVITY_COUNT_CAP, activityQueryString, parseActivityQuery, rangeText } from '@/lib/shared/audit/activity';
import { EXPORT_MAX_ROWS } from '@/lib/shared/audit/filter';

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
  const filtersAndCursor = activityQueryString(parsed.values, { before: parsed.ok ? parsed.before : undefined });
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
      <ActivityFilterForm key={filters} initial={parsed.values} serverErrors={parsed.ok ? undefined : parsed.fieldErrors} />
      {!parsed.ok && (
        <Alert color="red" role="alert" title="Some filters are not valid">
          Correct the fields marked above.
        </Alert>
      )}
      {result && (
        <>
          <Group justify="space-between">
            <Text size="sm" aria-live="polite" data-testid="activity-summary">
              {result.total === 0
                ? filters
                  ? 'No entries match these filters.'
                  : 'The audit log is empty.'
                : `${parsed.ok && parsed.before ? 'Older entries: ' : ''}${rangeText(result.firstRow, rows.length, result.total, result.capped)}${filters ? ' matching the filters' : ''}`}
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
          {result.capped && (
            <Text size="xs" c="dimmed" data-testid="activity-capped">
              Counting stops at {ACTIVITY_COUNT_CAP.toLocaleString('en-US')} entries, so the total is not shown exactly. Narrow the filters
              or the time range, or read on with “Older entries”.
            </Text>
          )}
          {rows.length > 0 && <ActivityTable rows={rows} label="Audit entries, newest first" />}
          <Group justify="space-between">
            <PageLinks page={result.page} pages={result.pages} path="/activity" query={filtersAndCursor} />
            <Group gap="md">
              {parsed.ok && parsed.before !== undefined && (
                <NavAnchor href={filters ? `/activity?${filters}` : '/activity'}>← Newest</NavAnchor>
              )}
              {result.capped && result.page === result.pages && result.nextBefore !== null && (
                <NavAnchor href={`/activity?${activityQueryString(parsed.values, { before: result.nextBefore })}`}>
                  Older entries →
                </NavAnchor>
              )}
            </Group>
          </Group>
          <Text size="xs" c="dimmed">
            Exports hold the filtered entries, newest first, up to {EXPORT_MAX_ROWS.toLocaleString('en-US')} rows; narrow the time range for
            more. Pipelines can follow the whole log with GET /api/v1/audit/events.
          </Text>
        </>
      )}
    </Stack>
  );
}
