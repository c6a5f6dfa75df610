/**
 * Child process of token-secrecy.test.ts: a console-like process that mints through the real mint
 * path against the emulator, with the real pino logger at trace level writing to this process's
 * stdout. Writes the tokens it received to $SECRECY_TOKENS_OUT (the only place they go), then
 * exits without closing the database so the SQLite -wal file stays on disk for inspection.
 * Run with: node --conditions=react-server --import tsx test/token-secrecy-child.ts
 */
import { writeFileSync } from 'node:fs';
import { startEmulator } from '../emulator/index';

async function main() {
  const emulator = await startEmulator({ port: 0, log: (line) => process.stdout.write(`emulator: ${line}\n`) });
  // lib/env.ts reads process.env once at import: configure before importing the console modules.
  process.env.IVSCHAT_ENDPOINT = emulator.endpoint;
  process.env.IVSCHAT_ACCESS_KEY_ID = 'test';
  process.env.IVSCHAT_SECRET_ACCESS_KEY = 'test';
  process.env.IVSCHAT_REGIONS = [...new Set(emulator.seededRooms.map((r) => r.region))].join(',');
  const { mintToken } = await import('@/lib/mint/mint-token');
  const { tokenFingerprint } = await import('@/lib/audit/fingerprint');
  const { findMintByFingerprint } = await import('@/lib/audit/store');

  const room = emulator.seededRooms[0].arn;
  const minted: { token: string; auditId: string; fingerprint: string; userId: string }[] = [];
  const vias = ['ui', 'api', 'bulk'] as const;
  for (const [i, via] of vias.entries()) {
    const userId = `secrecy-user-${i}`;
    const result = await mintToken(
      { staffId: 'staff-1', email: 'secrecy@example.com', role: 'admin', via, apiKeyName: via === 'api' ? 'ci-key' : null },
      {
        roomArn: room,
        userId,
        attributes: { displayName: `Secret Sam ${i}` },
        capabilities: ['SEND_MESSAGE'],
        sessionDurationInMinutes: 30,
        reason: 'secrecy test',
      },
    );
    if (!result.ok) throw new Error(`mint failed: ${result.code} ${result.message}`);
    const fingerprint = tokenFingerprint(result.data.token);
    // The lookup path: by fingerprint, as the lookup action does.
    const found = await findMintByFingerprint(fingerprint);
    if (found?.id !== result.data.auditId) throw new Error('lookup by fingerprint did not find the mint');
    minted.push({ token: result.data.token, auditId: result.data.auditId, fingerprint, userId });
  }
  // A failed mint too (no such room): its path logs an AWS error.
  const failed = await mintToken(
    { staffId: 'staff-1', email: 'secrecy@example.com', role: 'admin', via: 'ui' },
    { roomArn: room.replace(/room\/.*/, 'room/NoSuchRoom99'), userId: 'secrecy-failed' },
  );
  if (failed.ok) throw new Error('expected the mint into a missing room to fail');

  writeFileSync(process.env.SECRECY_TOKENS_OUT!, JSON.stringify(minted));
  await emulator.close();
  // Deliberately no database close: the -wal file stays as a crashed or running server leaves it.
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`child failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
