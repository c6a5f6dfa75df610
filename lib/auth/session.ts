import 'server-only';
import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { authOptions } from '@/lib/auth/options';
import { createStaffCache } from '@/lib/auth/staff-cache';
import { getStaffById, type Staff } from '@/lib/auth/staff-store';
import { env } from '@/lib/env';

// Role and state are re-read from the staff store on every request (cached STAFF_CACHE_MS, two
// seconds by default), so a disabled or demoted member loses the power at the next request, not
// when the cookie expires.
const loadStaff = createStaffCache(getStaffById, { ttlMs: env.STAFF_CACHE_MS });

/** The signed-in, active staff member, or null. Every page, action and route handler calls this. */
export async function getCurrentStaff(): Promise<Staff | null> {
  const session = await getServerSession(authOptions);
  if (!session?.staffId) return null;
  const staff = await loadStaff(session.staffId);
  return staff && !staff.disabled ? staff : null;
}

/** For pages: the staff member, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireStaff(returnTo: string): Promise<Staff> {
  const staff = await getCurrentStaff();
  if (!staff) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return staff;
}

/** For layouts: like requireStaff, returning to the path the proxy recorded for this request. */
export async function requireStaffForRequest(fallback = '/mint'): Promise<Staff> {
  const path = (await headers()).get('x-console-path') ?? fallback;
  return requireStaff(path.startsWith('/') && !path.startsWith('//') ? path : fallback);
}
