import 'server-only';
import { isApprover } from '@/lib/approvals/requests';
import { roleCan, rolePolicy } from '@/lib/auth/policy';
import type { Role } from '@/lib/shared/policy/roles';
import type { NavItem } from '@/lib/shared/nav';

const MINT_NAV: NavItem = { href: '/mint', label: 'Mint a token', description: 'Create a chat token' };
const HISTORY_NAV: NavItem = { href: '/audit', label: 'History', description: 'Every mint, newest first' };
const LOOKUP_NAV: NavItem = { href: '/audit/lookup', label: 'Look up a token', description: 'Find who minted a token' };
const ADMIN_NAV: NavItem = { href: '/admin', label: 'Admin', description: 'Policy and staff' };
const MODERATION_NAV: NavItem = { href: '/moderation', label: 'Moderation', description: 'Disconnect, delete, events, deny list' };
const DENYLIST_NAV: NavItem = { href: '/moderation', label: 'Deny list', description: 'Who may not be minted for (read only)' };
const PRESETS_NAV: NavItem = { href: '/presets', label: 'Presets', description: 'Named mint settings' };
const ACTIVITY_NAV: NavItem = { href: '/activity', label: 'Activity', description: 'Every audit entry, refusals included' };
const REQUESTS_NAV: NavItem = { href: '/requests', label: 'Requests', description: 'Temporary grants: ask, approve', badge: 'requests' };
const BULK_NAV: NavItem = { href: '/bulk', label: 'Bulk mint', description: 'Many tokens at once, for QA' };

/**
 * The navigation of a role: only the pages it can act on (a role that may not mint gets no mint
 * entry: a form it can only look at is not a place to go). The pages and their actions check again.
 */
export function consoleNav(role: Role): NavItem[] {
  return [
    ...(roleCan(role, 'mint') ? [MINT_NAV] : []),
    HISTORY_NAV,
    LOOKUP_NAV,
    // Approvers get the inbox badge; requesters and readers of the log see the list without it.
    ...(isApprover(role)
      ? [REQUESTS_NAV]
      : rolePolicy(role).requests !== undefined || roleCan(role, 'audit.read')
        ? [{ ...REQUESTS_NAV, badge: undefined }]
        : []),
    ...(roleCan(role, 'audit.read') ? [ACTIVITY_NAV] : []),
    ...(roleCan(role, 'mint') ? [BULK_NAV] : []),
    ...(roleCan(role, 'moderate') || roleCan(role, 'users.disconnect')
      ? [MODERATION_NAV]
      : roleCan(role, 'audit.read')
        ? [DENYLIST_NAV]
        : []),
    ...(roleCan(role, 'presets.manage') ? [PRESETS_NAV] : []),
    ...(roleCan(role, 'staff.manage') ? [ADMIN_NAV] : []),
  ];
}

/** Where a role lands after sign-in and at `/`: the first page where it can act. */
export function landingPath(role: Role): string {
  if (roleCan(role, 'mint')) return MINT_NAV.href;
  if (roleCan(role, 'audit.read')) return HISTORY_NAV.href;
  return LOOKUP_NAV.href;
}
