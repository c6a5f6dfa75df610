import type { Role } from '@/lib/shared/policy/roles';

/** A staff member as the application sees it. The password hash never leaves this module. */
export interface Staff {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  hasPassword: boolean;
  /** ISO-8601 UTC. */
  createdAt: string;
  /** ISO-8601 UTC. */
  updatedAt: string;
}
