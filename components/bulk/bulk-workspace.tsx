'use client';

import { Alert, Stack, Text, Title } from '@mantine/core';
import { BULK_MAX_ROWS, type BulkJobView } from '@/lib/shared/bulk/schema';
import type { RolePolicy } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';
import type { RoomSummary } from '@/lib/shared/rooms/view';
import { BulkForm } from './bulk-form';
import { RecentBulkJobs } from './recent-bulk-jobs';

/** The bulk form and the member's recent jobs. The server validates everything again. */
export function BulkWorkspace({
  rooms,
  roomFailures,
  policy,
  role,
  recentJobs,
}: {
  rooms: RoomSummary[];
  roomFailures: { region: string; message: string }[];
  policy: RolePolicy;
  role: Role;
  recentJobs: BulkJobView[];
}) {
  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          Bulk mint
        </Title>
        <Text c="dimmed" size="sm">
          Many tokens for one room, one capability set and one duration, from a userId template or a CSV (up to{' '}
          {BULK_MAX_ROWS.toLocaleString('en-US')} rows). It runs on the server just under the account&apos;s CreateChatToken quota; every
          row is its own audit entry with the batch id. The tokens download once, when it is done.
        </Text>
      </div>
      {roomFailures.map((f) => (
        <Alert key={f.region} color="orange" title={`Rooms in ${f.region} could not be listed`}>
          {f.message} You can still paste a room ARN.
        </Alert>
      ))}
      <BulkForm rooms={rooms} policy={policy} role={role} />
      <RecentBulkJobs jobs={recentJobs} />
    </Stack>
  );
}
