/** An entry of the console's navigation (built per role by lib/auth/nav.ts). Client-safe. */
export interface NavItem {
  href: string;
  label: string;
  description: string;
  /** 'requests': a live count of pending requests this member may decide. */
  badge?: 'requests';
}
