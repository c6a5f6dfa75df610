/**
 * Manage console staff on the server's shell: `npm run staff -- <command>` (the commands are in
 * ./staff-commands.ts). Uses the same database as the console (SQLite under CONSOLE_DATA_DIR, or
 * DATABASE_URL). Every change is audited with the actor `cli`.
 */
import './apply-local-secrets';
import { runCli } from './cli-io';
import { runStaffCommand } from './staff-commands';

await runCli(runStaffCommand);
