import type { Metadata } from 'next';
import { Alert } from '@mantine/core';
import { BulkWorkspace } from '@/components/bulk/bulk-workspace';
import { rolePolicy, roleCan } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { listBulkJobRecords } from '@/lib/bulk/store';
import { toBulkJobView } from '@/lib/bulk/runner';
import { listAllRooms } from '@/lib/ivschat/rooms';
import { roomInScope } from '@/lib/shared/policy/rules';

export const metadata: Metadata = { title: 'Bulk mint' };

export default async function BulkPage() {
  const staff = await requireStaff('/bulk');
  if (!roleCan(staff.role, 'mint')) {
    return (
      <Alert color="gray" title="Read-only role">
        Your role ({staff.role}) may not mint tokens (roles.{staff.role}.mayMint).
      </Alert>
    );
  }
  const [listing, jobs] = await Promise.all([listAllRooms(), listBulkJobRecords(staff.id, 10)]);
  const policy = rolePolicy(staff.role);
  return (
    <BulkWorkspace
      // Only the rooms this role may mint for; a pasted ARN outside them is refused before the run.
      rooms={listing.rooms.filter((room) => roomInScope(staff.role, policy, room))}
      roomFailures={listing.failures}
      policy={policy}
      role={staff.role}
      recentJobs={jobs.map(toBulkJobView)}
    />
  );
}
