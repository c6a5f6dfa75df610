import type { ReactNode } from 'react';
import { ConsoleShell } from '@/components/shell/console-shell';
import { consoleNav } from '@/lib/auth/nav';
import { requireStaffForRequest } from '@/lib/auth/session';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // Redirects before anything streams (a real 307); pages and actions still check for themselves.
  const staff = await requireStaffForRequest();
  return (
    // Only the pages the role may use (lib/auth/nav.ts); each page and its actions check again.
    <ConsoleShell staff={{ email: staff.email, role: staff.role }} nav={consoleNav(staff.role)}>
      {children}
    </ConsoleShell>
  );
}
