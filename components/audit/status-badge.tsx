import { DenseBadge } from '@/components/ui/dense';

const LOOK: Record<string, { color: string; label: string; title: string }> = {
  issued: { color: 'green', label: 'issued', title: 'AWS issued the token.' },
  failed: { color: 'red', label: 'failed', title: 'AWS refused or the call failed; no token exists.' },
  pending: {
    color: 'yellow',
    label: 'pending (outcome unknown)',
    title: "AWS's answer never reached the record (it was lost, timed out, or the console stopped): a token may or may not exist.",
  },
};

/** A mint's recorded status. 'pending' is shown as what it means, never hidden. */
export function StatusBadge({ status }: { status: string }) {
  const look = LOOK[status] ?? { color: 'gray', label: status, title: status };
  return (
    // Never narrower than its words: a squeezed table column would otherwise cut "issued" to "issu…".
    <DenseBadge color={look.color} whole title={look.title} data-status={status}>
      {look.label}
    </DenseBadge>
  );
}
