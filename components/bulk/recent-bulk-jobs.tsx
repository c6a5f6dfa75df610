'use client';

import Link from 'next/link';
import { Anchor, Badge, Stack, Table, Title } from '@mantine/core';
import type { BulkJobView } from '@/lib/shared/bulk/schema';
import { Time } from '@/components/ui/time';

export function RecentBulkJobs({ jobs }: { jobs: BulkJobView[] }) {
  if (jobs.length === 0) return null;
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        Your recent bulk jobs
      </Title>
      <Table striped withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Started</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Issued</Table.Th>
            <Table.Th>Failed</Table.Th>
            <Table.Th>Rows</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {jobs.map((job) => (
            <Table.Tr key={job.id}>
              <Table.Td>
                <Anchor component={Link} href={`/bulk/${job.id}`}>
                  <Time iso={job.createdAt} layout="stack" />
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Badge variant="light">{job.status}</Badge>
              </Table.Td>
              <Table.Td>{job.issued}</Table.Td>
              <Table.Td>{job.failed}</Table.Td>
              <Table.Td>{job.total}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
