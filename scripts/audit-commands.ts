import { verifyAuditChain } from '@/lib/audit/verify';
/** The commands of `npm run audit` (./audit.ts wires them to the process). */
import { parseArgs } from 'node:util';
import { writeCheckpoint } from '@/lib/audit/store';
import type { CliIo } from './cli-io';

const USAGE = `usage: npm run audit -- <command>

  verify [--json]     check the audit log's keyed hash chain, its projection and the checkpoints
  checkpoint          append the chain head (seq, hash, key id, time; HMAC'd) to the checkpoint file`;

/**
 * One command line; the exit code: 0 sound, 1 a problem was found (or an error), 2 a usage error.
 *   verify [--json]   walk the keyed chain, recompute the audit_mints projection and check the log
 *                     against every checkpoint in the sink
 *   checkpoint        write the current head to the checkpoint sink (cron it)
 */
export async function runAuditCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch {
    io.err(USAGE);
    return 2;
  }
  const { positionals, values } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (rest.length > 0 || (command !== 'verify' && command !== 'checkpoint')) {
    io.err(USAGE);
    return 2;
  }
  try {
    if (command === 'checkpoint') {
      const written = await writeCheckpoint();
      if (!written) {
        io.out('the audit log is empty: nothing to checkpoint');
        return 0;
      }
      const c = written.checkpoint;
      io.out(`checkpoint: seq ${c.seq} hash ${c.hash} key ${c.keyId} at ${c.at} -> ${written.file}`);
      return 0;
    }
    const result = await verifyAuditChain();
    if (values.json) {
      io.out(JSON.stringify(result, null, 2));
      return result.ok ? 0 : 1;
    }
    const segments = result.segments.map((s) => `${s.keyId} seq ${s.fromSeq}-${s.toSeq}`).join(', ');
    const cp = result.checkpoints;
    const checkpointLine = cp.file
      ? `${cp.valid} checkpoints in ${cp.file}, ${cp.matched} matched${cp.latest ? `; latest seq ${cp.latest.seq} at ${cp.latest.at}` : ''}`
      : 'no checkpoint file';
    if (result.ok) {
      io.out(
        `audit chain OK: ${result.rows} entries${segments ? ` (${segments})` : ''}; ${checkpointLine} (${(result.ms / 1000).toFixed(1)} s)`,
      );
    } else {
      io.out(`audit chain FAILED: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`);
      for (const p of result.problems) io.out(`  [${p.kind}]${p.seq !== undefined ? ` seq ${p.seq}:` : ''} ${p.problem}`);
      io.out(`checked ${result.rows} entries${segments ? ` (${segments})` : ''}; ${checkpointLine}`);
    }
    for (const w of result.warnings) io.out(`warning: ${w}`);
    return result.ok ? 0 : 1;
  } catch (error) {
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
