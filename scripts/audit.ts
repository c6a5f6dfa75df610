/**
 * Audit log tools: `npm run audit -- verify` walks the hash chain and reports the first row where
 * it breaks (an edited, deleted or reordered row). Same database as the console.
 */
import { verifyAuditChain } from '@/lib/audit/store';
import { closeDatabase } from '@/lib/db';

const USAGE = `usage: npm run audit -- verify    check the audit log's hash chain`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    console.log(USAGE);
    return 0;
  }
  if (command !== 'verify' || rest.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const result = await verifyAuditChain();
  if (result.ok) {
    console.log(`audit chain OK: ${result.rows} rows`);
    return 0;
  }
  console.log(`audit chain broken at seq ${result.seq}: ${result.problem}`);
  return 1;
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
