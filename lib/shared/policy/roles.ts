export const ROLES = ['viewer', 'support', 'moderator', 'qa', 'admin'] as const;
export type Role = (typeof ROLES)[number];
