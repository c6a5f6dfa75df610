import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { BulkJobProgress } from '@/components/bulk/bulk-job-progress';
import { requireStaff } from '@/lib/auth/session';
import { getBulkJobForStaff } from '@/lib/bulk/runner';

export const metadata: Metadata = { title: 'Bulk mint job' };

export default async function BulkJobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const staff = await requireStaff(`/bulk/${encodeURIComponent(id)}`);
  // Owner only: someone else's job is "not found", not "forbidden".
  const job = await getBulkJobForStaff(staff.id, id);
  if (!job) notFound();
  return <BulkJobProgress initialJob={job} />;
}
