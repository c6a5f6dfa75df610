import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Alert, Stack } from '@mantine/core';
import { EntryRecord } from '@/components/audit/entry-record';
import { MintRecord, type OtherMint } from '@/components/audit/mint-record';
import { UserTimeline, type TimelineItem } from '@/components/audit/user-timeline';
import { DisconnectUserButton } from '@/components/moderation/disconnect-user-button';
import { toActivityEntry } from '@/lib/audit/activity';
import { listOtherMintsFor, listTimelineFor } from '@/lib/audit/related';
import { getAuditRecord, listAuditRecords } from '@/lib/audit/store';
import { loadTokenStateFacts } from '@/lib/audit/token-state-facts';
import { roleCan } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Audit entry' };

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
  if (!record) notFound();
  const timeline = record.userId !== null && record.roomArn !== null ? await listTimelineFor(record.userId, record.roomArn) : null;
  const timelineItems: TimelineItem[] = (timeline?.rows ?? []).map((e) => ({
    id: e.id,
    at: e.at,
    action: e.action,
    status: e.status,
    summary: e.summary,
    actorEmail: e.actorEmail,
    via: e.via,
    reason: e.reason,
    roomArn: e.roomArn,
  }));
  const timelineCard = timeline && (
    <UserTimeline userId={record.userId!} roomArn={record.roomArn!} items={timelineItems} more={timeline.more} currentId={record.id} />
  );
  if (record.action !== 'token.minted') {
    const entry = toActivityEntry(record);
    return (
      <Stack gap="lg">
        <EntryRecord
          record={{
            id: entry.id,
            seq: entry.seq,
            at: entry.at,
            action: entry.action,
            summary: entry.summary,
            actorEmail: entry.actorEmail,
            actorRole: entry.actorRole,
            actorId: entry.actorId,
            via: entry.via,
            apiKeyName: entry.apiKeyName,
            batchId: entry.batchId,
            roomArn: entry.roomArn,
            userId: entry.userId,
            reason: entry.reason,
            detailsJson: entry.details === null ? null : JSON.stringify(entry.details, null, 2),
          }}
        />
        {timelineCard}
      </Stack>
    );
  }
  // A userId stored with white space at its ends (before the schema refused it) is a different
  // user from the trimmed one: say so, rather than call this "the only mint" beside them.
  const trimmed = record.userId?.trim() ?? '';
  const [related, factsOf, near] = await Promise.all([
    listOtherMintsFor(record),
    loadTokenStateFacts([record]),
    record.userId !== null && record.roomArn !== null && trimmed !== '' && trimmed !== record.userId
      ? listAuditRecords({ action: 'token.minted', userId: trimmed, roomArn: record.roomArn }, { limit: 20 })
      : null,
  ]);
  const facts = factsOf(record.userId, record.roomArn);

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
      <MintRecord
        record={view}
        others={others}
        moreOthers={related.more}
        facts={{ denials: [...facts.denials], disconnects: [...facts.disconnects] }}
        nearMatches={near ? { userId: trimmed, count: near.rows.length, more: near.nextBefore !== null } : null}
      />
      {mayDisconnect && <DisconnectUserButton roomArn={record.roomArn!} userId={record.userId!} />}
      {timelineCard}
    </Stack>
  );
}
