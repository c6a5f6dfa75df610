import { Text } from '@mantine/core';
import type { BulkJobView } from '@/lib/shared/bulk/schema';
import { formatSpan } from '@/lib/shared/tokens/expiry';

/** A running job's measured rate (rows settled per second since it started), its share, and the time left. */
export function BulkRate({ job }: { job: Pick<BulkJobView, 'ratePerSecond' | 'etaSeconds' | 'shareRatePerSecond'> }) {
  const share = job.shareRatePerSecond !== null ? ` against a share of ${job.shareRatePerSecond}/s` : '';
  return (
    <Text size="sm" c="dimmed" data-testid="bulk-rate">
      {job.ratePerSecond === null || job.etaSeconds === null
        ? `Measuring the rate${share}…`
        : `${job.ratePerSecond.toFixed(1)} rows/s${share} · about ${formatSpan(job.etaSeconds * 1000)} left`}
    </Text>
  );
}
