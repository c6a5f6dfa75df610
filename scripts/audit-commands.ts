/** The commands of `npm run audit` (./audit.ts wires them to the process); called in-process by ./staff.test.ts. */
import { verifyAuditChain } from '@/lib/audit/store';
import type { CliIo } from './cli-io';

const USAGE = `usage: npm run audit -- verify    check the audit log's hash chain`;

/** One command line; the exit code: 0 the chain holds, 1 broken or failed, 2 a usage error. */
export async function runAuditCommand(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    io.out(USAGE);
    return 0;
  }
  if (command !== 'verify' || rest.length > 0) {
    io.err(USAGE);
    return 2;
  }
  const result = await verifyAuditChain().catch((error: unknown) => error as Error);
  if (result instanceof Error) {
    io.err(`error: ${result.message}`);
    return 1;
  }
  if (result.ok) {
    io.out(`audit chain OK: ${result.rows} rows`);
    return 0;
  }
  io.out(`audit chain broken at seq ${result.seq}: ${result.problem}`);
  return 1;
}
