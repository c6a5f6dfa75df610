import { redirect } from 'next/navigation';
import { landingPath } from '@/lib/auth/nav';
import { requireStaff } from '@/lib/auth/session';

/** The start page (and sign-in's default return path): where the member's role can act. */
export default async function Home() {
  const staff = await requireStaff('/');
  redirect(landingPath(staff.role));
}
