import { zodResolver } from '@hookform/resolvers/zod';
import type { Resolver } from 'react-hook-form';
import type { RolePolicy } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';
import { mintSchemaForRole, type MintTokenRequest } from '@/lib/shared/tokens/schema';

/**
 * The mint form's resolver: the shared mint schema (the one the server action and the API parse
 * with) plus the role's policy. Its own module so the form can load it, and zod with it, on demand.
 */
export function mintResolver(role: Role, policy: RolePolicy, reasonTemplates: readonly string[] = []): Resolver<MintTokenRequest> {
  return zodResolver(mintSchemaForRole(role, policy, reasonTemplates)) as unknown as Resolver<MintTokenRequest>;
}
