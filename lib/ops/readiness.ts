import 'server-only';
import { getDatabase } from '@/lib/db';
import { accounts, type Account } from '@/lib/ivschat/accounts';
import { listOneRoom } from '@/lib/ivschat/probe';
import { describeIvschatError } from '@/lib/ivschat/errors';

/**
 * GET /api/ready: what a load balancer needs before it sends traffic here. The database takes a
 * write (a mint writes its audit entry before calling AWS, so a read-only database serves no
 * mint), and IVS Chat answers ListRooms in every configured account and region. IVS Chat answers
 * are kept IVS_CHECK_TTL_MS, so a probe every few seconds costs at most one ListRooms per region
 * in that time (the room operations' quota is 5 a second per account and region).
 */
export interface ReadinessCheck {
  name: string;
  ok: boolean;
  /** What failed, in words an operator can act on. */
  detail?: string;
  checkedAt: string;
}

const IVS_CHECK_TTL_MS = 10_000;
const ivsChecks = new Map<string, { at: number; check: Promise<ReadinessCheck> }>();

async function checkDatabase(): Promise<ReadinessCheck> {
  const checkedAt = new Date().toISOString();
  try {
    const { db } = await getDatabase();
    await db
      .insertInto('health_probe')
      .values({ id: 1, checked_at: checkedAt })
      .onConflict((oc) => oc.column('id').doUpdateSet({ checked_at: checkedAt }))
      .execute();
    return { name: 'database', ok: true, checkedAt };
  } catch (err) {
    return {
      name: 'database',
      ok: false,
      checkedAt,
      detail: `The console database does not take writes (${err instanceof Error ? err.message : String(err)}): no token can be minted without its audit entry.`,
    };
  }
}

function checkRegion(account: Account, region: string): Promise<ReadinessCheck> {
  const key = `${account.id}|${region}`;
  const hit = ivsChecks.get(key);
  if (hit && Date.now() - hit.at < IVS_CHECK_TTL_MS) return hit.check;
  const check = (async (): Promise<ReadinessCheck> => {
    const name = `ivschat:${account.label}:${region}`;
    const answer = await listOneRoom(account, region);
    return answer.ok
      ? { name, ok: true, checkedAt: new Date().toISOString() }
      : { name, ok: false, checkedAt: new Date().toISOString(), detail: describeIvschatError(answer.error, 'ListRooms').message };
  })();
  ivsChecks.set(key, { at: Date.now(), check });
  return check;
}

export async function checkReadiness(): Promise<{ ready: boolean; checks: ReadinessCheck[] }> {
  const checks = await Promise.all([checkDatabase(), ...accounts().flatMap((a) => a.regions.map((r) => checkRegion(a, r)))]);
  return { ready: checks.every((c) => c.ok), checks };
}
