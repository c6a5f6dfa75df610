import { describe, expect, it } from 'vitest';
import { needsRoomListing, resolveRoom } from '@/lib/shared/rooms/resolve';
import type { RoomSummary } from '@/lib/shared/rooms/view';

const room = (id: string, name: string, region = 'us-east-1', accountLabel = 'default'): RoomSummary => ({
  arn: `arn:aws:ivschat:${region}:123456789012:room/${id}`,
  id,
  name,
  region,
  accountLabel,
  tags: {},
  updateTime: null,
});
const rooms = [
  room('QaSandbox001', 'qa-sandbox'),
  room('MainStage001', 'main-stage'),
  room('EuStage00001', 'stage', 'eu-west-1'),
  room('UsStage00001', 'stage'),
];

describe('resolveRoom', () => {
  it('takes an ARN as typed (trimmed), listed or not', () => {
    expect(resolveRoom(` ${rooms[0].arn} `, rooms)).toMatchObject({ kind: 'arn', arn: rooms[0].arn, room: rooms[0] });
    const unlisted = 'arn:aws:ivschat:us-east-1:123456789012:room/NoSuchRoom01';
    expect(resolveRoom(unlisted, rooms)).toMatchObject({ kind: 'arn', arn: unlisted, room: null });
  });
  it('resolves a bare room id or an exact name to the ARN', () => {
    expect(resolveRoom('QaSandbox001', rooms)).toMatchObject({ kind: 'resolved', arn: rooms[0].arn, by: 'id' });
    expect(resolveRoom('main-stage', rooms)).toMatchObject({ kind: 'resolved', arn: rooms[1].arn, by: 'name' });
    // Exact: case and partial names do not resolve.
    expect(resolveRoom('Main-Stage', rooms).kind).toBe('unknown');
    expect(resolveRoom('main', rooms).kind).toBe('unknown');
  });
  it('refuses a name two rooms share, naming both', () => {
    const r = resolveRoom('stage', rooms);
    expect(r).toMatchObject({ kind: 'ambiguous' });
    expect(r.kind === 'ambiguous' && r.message).toBe(
      '2 rooms are called "stage" (EuStage00001 in eu-west-1, UsStage00001 in us-east-1). Choose one from the list or paste its ARN.',
    );
  });
  it('says when nothing matches', () => {
    expect(resolveRoom('NoSuchRoom99', rooms)).toMatchObject({
      kind: 'unknown',
      message: expect.stringMatching(/^No room has the id or name "NoSuchRoom99"/),
    });
    expect(resolveRoom('arn:aws:ivschat:nope', rooms)).toMatchObject({
      kind: 'unknown',
      message: expect.stringMatching(/^Not a room ARN/),
    });
    expect(resolveRoom('  ', rooms)).toEqual({ kind: 'empty' });
  });
  it('needs the listing only for an id or a name', () => {
    expect(needsRoomListing(rooms[0].arn)).toBe(false);
    expect(needsRoomListing('')).toBe(false);
    expect(needsRoomListing('qa-sandbox')).toBe(true);
  });
});
