import { beforeAll, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/lib/db';
import { describeEachDatabase } from '@/test/pg';
import { auditExportStream, CSV_COLUMNS, iterateAuditRecords } from './export';
import { listOtherMintsFor } from './related';
import { recordAction, recordMintIssued, recordMintRequested, type AuditActor, type MintRequest } from './store';

const ROOM_1 = 'arn:aws:ivschat:us-east-1:123456789012:room/abcdEFGH1234';
const ROOM_2 = 'arn:aws:ivschat:eu-west-1:123456789012:room/zyxwVUTS9876';
const actor: AuditActor = { staffId: 's-1', email: 'ann@example.com', role: 'support', via: 'ui' };

const mint = (over: Partial<MintRequest> = {}): MintRequest => ({
  actor,
  roomArn: ROOM_1,
  region: 'us-east-1',
  userId: 'user-1',
  attributes: {},
  capabilities: ['SEND_MESSAGE'],
  durationMinutes: 60,
  ...over,
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  // ignoreBOM keeps the BOM in the text, so the test can see it.
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}

describeEachDatabase('audit export and related mints', ({ fresh }) => {
  let db: DatabaseHandle;
  const ids: string[] = [];
  beforeAll(async () => {
    db = (await fresh()).handle;
    for (let i = 0; i < 23; i++) {
      const { id } = await recordMintRequested(
        mint({ userId: i % 2 ? 'odd' : 'even', roomArn: i % 3 ? ROOM_1 : ROOM_2, reason: i === 4 ? '=HYPERLINK("x")' : null }),
        db,
      );
      ids.push(id);
      if (i % 5 !== 0) {
        await recordMintIssued(
          id,
          { fingerprint: `fp-${i}`, tokenExpiresAt: new Date('2030-01-01T00:00:00Z'), sessionExpiresAt: new Date('2030-01-01T01:00:00Z') },
          db,
        );
      }
    }
    await recordAction({ actor, action: 'staff.created', details: { resource: { type: 'staff', id: 'x' } } }, db);
  });

  it('iterates every matching row newest first across pages, and stops at the cap', async () => {
    const all = [];
    for await (const r of iterateAuditRecords({ action: 'token.minted' }, { maxRows: 1000, batchSize: 4 }, db)) all.push(r);
    expect(all.map((r) => r.id)).toEqual([...ids].reverse());
    const capped = [];
    for await (const r of iterateAuditRecords({ action: 'token.minted' }, { maxRows: 10, batchSize: 4 }, db)) capped.push(r);
    expect(capped).toHaveLength(10);
    const odd = [];
    for await (const r of iterateAuditRecords({ action: 'token.minted', userId: 'odd' }, { maxRows: 1000, batchSize: 3 }, db)) odd.push(r);
    expect(odd).toHaveLength(11);
  });

  it('streams CSV: BOM, header, one CRLF line per row, formulas neutralized', async () => {
    const text = await readAll(auditExportStream('csv', { action: 'token.minted' }, 1000, db));
    expect(text.startsWith('\uFEFFseq,id,at,')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(1 + 23 + 1);
    expect(lines[0].split(',')).toEqual(CSV_COLUMNS.map(([n]) => n));
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(text).not.toContain(',=HYPERLINK');
  });

  it('streams JSON as one array of records', async () => {
    const rows = JSON.parse(await readAll(auditExportStream('json', { action: 'token.minted', status: 'pending' }, 1000, db)));
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatchObject({ action: 'token.minted', status: 'pending' });
    expect(JSON.parse(await readAll(auditExportStream('json', { userId: 'nobody' }, 1000, db)))).toEqual([]);
  });

  it('lists the other mints for the same userId in the same room, without the record itself', async () => {
    const records = [];
    for await (const r of iterateAuditRecords({ action: 'token.minted', userId: 'even', roomArn: ROOM_2 }, { maxRows: 100 }, db))
      records.push(r);
    expect(records.length).toBeGreaterThan(2);
    const [newest] = records;
    const others = await listOtherMintsFor(newest, 20, db);
    expect(others.rows.map((r) => r.id)).toEqual(records.slice(1).map((r) => r.id));
    expect(others.more).toBe(false);
    const few = await listOtherMintsFor(newest, 1, db);
    expect(few.rows).toHaveLength(1);
    expect(few.more).toBe(true);
    expect((await listOtherMintsFor({ id: 'x', userId: null, roomArn: null }, 5, db)).rows).toEqual([]);
  });
});
