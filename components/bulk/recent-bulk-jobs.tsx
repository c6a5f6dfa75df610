'use client';

import Link from 'next/link';
import { Anchor, Badge, Stack, Table, Text, Title } from '@mantine/core';
import { bulkEndState } from '@/lib/shared/bulk/outcome';
import type { BulkJobView } from '@/lib/shared/bulk/schema';
import { Time } from '@/components/ui/time';

const roomId = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** Where each job's tokens are: the one that still holds undownloaded tokens says so, with when they are dropped. */
function tokensText(job: BulkJobView): { text: string; held: boolean } {
  switch (job.tokens) {
    case 'held':
      return {
        text: `${job.issued.toLocaleString('en-US')} not downloaded${job.tokensExpireAt ? `, dropped at ${job.tokensExpireAt.slice(11, 16)} UTC` : ''}`,
        held: true,
      };
    case 'downloaded':
      return { text: 'downloaded', held: false };
    case 'expired':
      return { text: 'not downloaded in time; dropped', held: false };
    default:
      return { text: job.status === 'running' ? 'running' : 'not held', held: false };
  }
}

export function RecentBulkJobs({ jobs }: { jobs: BulkJobView[] }) {
  if (jobs.length === 0) return null;
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        Your recent bulk jobs
      </Title>
      <Table striped withTableBorder aria-label="Your recent bulk jobs" data-testid="recent-bulk-jobs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Started</Table.Th>
            <Table.Th>Room</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Issued</Table.Th>
            <Table.Th>Failed</Table.Th>
            <Table.Th>Rows</Table.Th>
            <Table.Th>Tokens</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {jobs.map((job) => {
            const end = bulkEndState(job);
            const tokens = tokensText(job);
            return (
              <Table.Tr key={job.id} data-job-id={job.id}>
                <Table.Td>
                  <Anchor component={Link} href={`/bulk/${job.id}`}>
                    <Time iso={job.createdAt} layout="stack" />
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" title={job.roomArn} style={{ wordBreak: 'break-all' }}>
                    {roomId(job.roomArn)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={end.color} tt="none">
                    {end.label}
                  </Badge>
                </Table.Td>
                <Table.Td>{job.issued}</Table.Td>
                <Table.Td>{job.failed}</Table.Td>
                <Table.Td>{job.total}</Table.Td>
                <Table.Td>
                  {tokens.held ? (
                    <Badge color="yellow" variant="light" tt="none" data-testid="recent-job-tokens-held">
                      {tokens.text}
                    </Badge>
                  ) : (
                    <Text size="xs" c="dimmed">
                      {tokens.text}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
