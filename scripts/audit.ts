/**
 * Audit log tools: `npm run audit -- verify | checkpoint` (the commands are in ./audit-commands.ts).
 * Same database and keys as the console (the local secrets file of `npm start` when the environment
 * does not set them).
 */
import './apply-local-secrets';
import { runAuditCommand } from './audit-commands';
import { runCli } from './cli-io';

await runCli(runAuditCommand);
