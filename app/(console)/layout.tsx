import type { ReactNode } from 'react';
import { ConsoleShell } from '@/components/shell/console-shell';
import { consoleNav } from '@/lib/auth/nav';
import { requireStaffForRequest } from '@/lib/auth/session';
import { countDecidable, isApprover } from '@/lib/approvals/requests';
import { authorize } from '@/lib/contract/guard';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // Redirects before anything streams (a real 307); pages and actions still check for themselves.
  const staff = await requireStaffForRequest();
  const approver = isApprover(staff.role);
  let pendingRequests = 0;
  if (approver) {
    const auth = await authorize();
    pendingRequests = auth.ok ? await countDecidable(auth).catch(() => 0) : 0;
  }
  return (
    // Only the pages the role may use (lib/auth/nav.ts); each page and its actions check again.
    <ConsoleShell staff={{ email: staff.email, role: staff.role }} pendingRequests={pendingRequests} nav={consoleNav(staff.role)}>
      {children}
    </ConsoleShell>
  );
}
