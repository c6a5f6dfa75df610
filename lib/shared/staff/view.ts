import type { Role } from '@/lib/shared/policy/roles';

/** A staff member as the application sees it. The password hash never leaves this module. */
export interface Staff {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  hasPassword: boolean;
  /** A session cookie is valid only while it carries this number (lib/auth/session.ts). */
  sessionVersion: number;
  /** The password is one-time (printed or reset): every page, action and route refuses until a new one is set. */
  mustChangePassword: boolean;
  /** ISO-8601 UTC. */
  createdAt: string;
  /** ISO-8601 UTC. */
  updatedAt: string;
}
