/**
 * Audit log tools: `npm run audit -- verify` walks the hash chain and reports the first row where
 * it breaks (an edited, deleted or reordered row). Same database as the console.
 */
import './apply-local-secrets';
import { runAuditCommand } from './audit-commands';
import { runCli } from './cli-io';

await runCli(runAuditCommand);
