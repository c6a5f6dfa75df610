/**
 * A console process running a bulk job, to be killed mid-run by lib/bulk/crash.test.ts. Uses the
 * environment it is given (the parent's emulator and SQLite file); prints the job id, then waits.
 */
const { startBulkJob } = await import('@/lib/bulk/runner');
const { createStaff } = await import('@/lib/auth/staff-store');
// A real member: every row re-reads its owner from the staff table.
const owner = await createStaff({ email: 'qa-crash@example.com', role: 'qa' });
const started = await startBulkJob(
  { id: owner.id, email: owner.email, role: 'qa' },
  {
    roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001',
    capabilities: ['SEND_MESSAGE'],
    sessionDurationInMinutes: 30,
    reason: 'crash test',
    source: { kind: 'template', template: 'crash-{n}', start: 1, count: 40 },
  },
);
process.stdout.write(`${JSON.stringify(started)}\n`);
setInterval(() => {}, 1000);
export {};
