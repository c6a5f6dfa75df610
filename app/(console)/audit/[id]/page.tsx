import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Alert } from '@mantine/core';
import { MintRecord, type MintRecordView, type OtherMint } from '@/components/audit/mint-record';
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

  const view: MintRecordView = {
    id: record.id,
    seq: record.seq,
    at: record.at,
    action: record.action,
    actorId: record.actorId,
    actorEmail: record.actorEmail,
    actorRole: record.actorRole,
    via: record.via,
    apiKeyName: record.apiKeyName,
    batchId: record.batchId,
    roomArn: record.roomArn,
    region: record.region,
    userId: record.userId,
    attributes: record.attributes,
    capabilities: record.capabilities,
    durationMinutes: record.durationMinutes,
    reason: record.reason,
    status: record.status,
    fingerprint: record.fingerprint,
    tokenExpiresAt: record.tokenExpiresAt,
    sessionExpiresAt: record.sessionExpiresAt,
    requestId: record.requestId,
    errorCode: record.errorCode,
    errorMessage: record.errorMessage,
    completedAt: record.completedAt,
    hash: record.hash,
  };
  const others: OtherMint[] = related.rows.map((o) => ({
    id: o.id,
    at: o.at,
    status: o.status,
    capabilities: o.capabilities,
    durationMinutes: o.durationMinutes,
    actorEmail: o.actorEmail,
  }));
  return <MintRecord record={view} others={others} moreOthers={related.more} />;
}
