import type { ReactNode } from 'react';
import { ConsoleShell, type NavItem } from '@/components/shell/console-shell';
import { roleCan, rolePolicy } from '@/lib/auth/policy';
import { requireStaffForRequest } from '@/lib/auth/session';
import { countDecidable, isApprover } from '@/lib/approvals/requests';
import { authorize } from '@/lib/contract/guard';

const NAV: NavItem[] = [
  { href: '/mint', label: 'Mint a token', description: 'Create a chat token' },
  { href: '/audit', label: 'History', description: 'Every mint, newest first' },
  { href: '/audit/lookup', label: 'Look up a token', description: 'Find who minted a token' },
];

const ADMIN_NAV: NavItem = { href: '/admin', label: 'Admin', description: 'Policy and staff' };
const MODERATION_NAV: NavItem = { href: '/moderation', label: 'Moderation', description: 'Disconnect, delete, events, deny list' };
const DENYLIST_NAV: NavItem = { href: '/moderation', label: 'Deny list', description: 'Who may not be minted for (read only)' };
const PRESETS_NAV: NavItem = { href: '/presets', label: 'Presets', description: 'Named mint settings' };
const ACTIVITY_NAV: NavItem = { href: '/activity', label: 'Activity', description: 'Every audit entry, refusals included' };
const REQUESTS_NAV: NavItem = { href: '/requests', label: 'Requests', description: 'Temporary grants: ask, approve', badge: 'requests' };
const BULK_NAV: NavItem = { href: '/bulk', label: 'Bulk mint', description: 'Many tokens at once, for QA' };

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // Redirects before anything streams (a real 307); pages and actions still check for themselves.
  const staff = await requireStaffForRequest();
  const approver = isApprover(staff.role);
  const mayRequest = rolePolicy(staff.role).requests !== undefined;
  let pendingRequests = 0;
  if (approver) {
    const auth = await authorize();
    pendingRequests = auth.ok ? await countDecidable(auth).catch(() => 0) : 0;
  }
  return (
    // Only shown to roles that may use it; the admin page and its actions check again.
    <ConsoleShell
      staff={{ email: staff.email, role: staff.role }}
      pendingRequests={pendingRequests}
      nav={[
        ...NAV,
        ...(approver ? [REQUESTS_NAV] : mayRequest || roleCan(staff.role, 'audit.read') ? [{ ...REQUESTS_NAV, badge: undefined }] : []),
        ...(roleCan(staff.role, 'audit.read') ? [ACTIVITY_NAV] : []),
        ...(roleCan(staff.role, 'mint') ? [BULK_NAV] : []),
        ...(roleCan(staff.role, 'moderate') || roleCan(staff.role, 'users.disconnect')
          ? [MODERATION_NAV]
          : roleCan(staff.role, 'audit.read')
            ? [DENYLIST_NAV]
            : []),
        ...(roleCan(staff.role, 'presets.manage') ? [PRESETS_NAV] : []),
        ...(roleCan(staff.role, 'staff.manage') ? [ADMIN_NAV] : []),
      ]}
    >
      {children}
    </ConsoleShell>
  );
}
