/**
 * Audit log tools, on the same database and keys as the console:
 *   npm run audit -- verify [--json]   walk the keyed chain, recompute the audit_mints projection and
 *                                      check the log against every checkpoint in the sink
 *   npm run audit -- checkpoint        write the current head to the checkpoint sink (cron it)
 * Exit codes: 0 sound, 1 a problem was found (or an error), 2 usage.
 */
import './apply-local-secrets';
import { parseArgs } from 'node:util';
import { verifyAuditChain, writeCheckpoint } from '@/lib/audit/store';
import { closeDatabase } from '@/lib/db';

const USAGE = `usage: npm run audit -- <command>

  verify [--json]     check the audit log's keyed hash chain, its projection and the checkpoints
  checkpoint          append the chain head (seq, hash, key id, time; HMAC'd) to the checkpoint file`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (rest.length > 0 || (command !== 'verify' && command !== 'checkpoint')) {
    console.error(USAGE);
    return 2;
  }
  if (command === 'checkpoint') {
    const written = await writeCheckpoint();
    if (!written) {
      console.log('the audit log is empty: nothing to checkpoint');
      return 0;
    }
    const c = written.checkpoint;
    console.log(`checkpoint: seq ${c.seq} hash ${c.hash} key ${c.keyId} at ${c.at} -> ${written.file}`);
    return 0;
  }
  const result = await verifyAuditChain();
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return result.ok ? 0 : 1;
  }
  const segments = result.segments.map((s) => `${s.keyId} seq ${s.fromSeq}-${s.toSeq}`).join(', ');
  const cp = result.checkpoints;
  const checkpointLine = cp.file
    ? `${cp.valid} checkpoints in ${cp.file}, ${cp.matched} matched${cp.latest ? `; latest seq ${cp.latest.seq} at ${cp.latest.at}` : ''}`
    : 'no checkpoint file';
  if (result.ok) {
    console.log(
      `audit chain OK: ${result.rows} entries${segments ? ` (${segments})` : ''}; ${checkpointLine} (${(result.ms / 1000).toFixed(1)} s)`,
    );
  } else {
    console.log(`audit chain FAILED: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`);
    for (const p of result.problems) console.log(`  [${p.kind}]${p.seq !== undefined ? ` seq ${p.seq}:` : ''} ${p.problem}`);
    console.log(`checked ${result.rows} entries${segments ? ` (${segments})` : ''}; ${checkpointLine}`);
  }
  for (const w of result.warnings) console.log(`warning: ${w}`);
  return result.ok ? 0 : 1;
}

let code: number;
try {
  code = await main(process.argv.slice(2));
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  code = 1;
} finally {
  await closeDatabase().catch(() => {});
}
process.exitCode = code!;
