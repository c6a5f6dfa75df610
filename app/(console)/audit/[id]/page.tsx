import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Alert, Stack } from '@mantine/core';
import { MintRecord, type OtherMint } from '@/components/audit/mint-record';
import { DisconnectUserButton } from '@/components/moderation/disconnect-user-button';
import { listOtherMintsFor } from '@/lib/audit/related';
import { getAuditRecord } from '@/lib/audit/store';
import { roleCan } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Token mint' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function MintDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const staff = await requireStaff(`/audit/${encodeURIComponent(id)}`);
  if (!roleCan(staff.role, 'audit.read')) {
    return (
      <Alert color="gray" title="No access">
        Your role ({staff.role}) may not read the audit log.
      </Alert>
    );
  }
  if (!UUID.test(id)) notFound();
  const record = await getAuditRecord(id);
  if (!record || record.action !== 'token.minted') notFound();
  const related = await listOtherMintsFor(record);

  // Only what the page shows crosses to the browser: not the free-form details or the chain hashes.
  const { details: _details, prevHash: _prevHash, completionHash: _completionHash, ...view } = record;
  const others: OtherMint[] = related.rows.map((o) => ({
    id: o.id,
    at: o.at,
    status: o.status,
    capabilities: o.capabilities,
    durationMinutes: o.durationMinutes,
    actorEmail: o.actorEmail,
  }));
  const mayDisconnect = roleCan(staff.role, 'users.disconnect') && record.roomArn !== null && record.userId !== null;
  return (
    <Stack gap="lg">
      <MintRecord record={view} others={others} moreOthers={related.more} />
      {mayDisconnect && <DisconnectUserButton roomArn={record.roomArn!} userId={record.userId!} />}
    </Stack>
  );
}
