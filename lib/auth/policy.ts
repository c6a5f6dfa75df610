import 'server-only';
import type { Role } from '@/lib/tokens/roles';
import type { MintTokenRequest } from '@/lib/tokens/schema';

export type Permission = 'mint' | 'audit.read' | 'staff.manage';

/** Which role may do what. Refined per capability, duration and room by the policy file later. */
const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ['audit.read'],
  support: ['mint', 'audit.read'],
  moderator: ['mint', 'audit.read'],
  qa: ['mint', 'audit.read'],
  admin: ['mint', 'audit.read', 'staff.manage'],
};

export function roleCan(role: Role, permission: Permission): boolean {
  return GRANTS[role]?.includes(permission) ?? false;
}

export type PolicyDecision = { allowed: true } | { allowed: false; rule: string; message: string };

export function checkMintPolicy(role: Role, _request: MintTokenRequest): PolicyDecision {
  if (!roleCan(role, 'mint')) {
    return { allowed: false, rule: `roles.${role}.mint`, message: `The ${role} role may not mint tokens.` };
  }
  return { allowed: true };
}
