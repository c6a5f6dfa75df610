/**
 * The commands of `npm run staff` (./staff.ts wires them to the process): same database as the
 * console (SQLite under CONSOLE_DATA_DIR, or DATABASE_URL), every change audited with the actor `cli`.
 * Called in-process by ./staff.test.ts.
 */
import { parseArgs } from 'node:util';
import { ApiKeyError, createApiKey, getApiKeyByName, listApiKeys, revokeApiKey, type ApiKey } from '@/lib/api-keys/store';
import { CLI_ACTOR } from '@/lib/audit/store';
import { generatePassword } from '@/lib/auth/password';
import {
  createStaff,
  getStaffByEmail,
  listStaff,
  ROLES,
  setStaffDisabled,
  setStaffPassword,
  setStaffRole,
  StaffError,
  type Staff,
} from '@/lib/auth/staff-store';
import type { CliIo } from './cli-io';

const USAGE = `usage: npm run staff -- <command> [options]

  add <email> <role> [--name <name>] [--password <pw> | --password-stdin]
                                   create a staff member; without a password option
                                   a strong one is generated and printed once
  list [--json]                    list staff
  disable <email>                  block sign-in
  enable <email>                   allow sign-in again
  set-role <email> <role>          change the role
  set-password <email> [--password <pw> | --password-stdin]
                                   set a new password (generated and printed when omitted)
  api-key create <name> <role> [--json]
                                   create an API key for /api/v1 acting with <role>; the
                                   key is printed once and only its hash is stored
  api-key list [--json]            list API keys (prefix, role, created, last used, revoked)
  api-key revoke <name>            revoke a key; its next request is refused

roles: ${ROLES.join(', ')}`;

export class UsageError extends Error {}

async function passwordOption(
  io: CliIo,
  values: {
    password?: string;
    'password-stdin'?: boolean;
  },
): Promise<{ password: string; generated: boolean }> {
  if (values.password !== undefined && values['password-stdin']) throw new UsageError('use --password or --password-stdin, not both');
  if (values.password !== undefined) return { password: values.password, generated: false };
  if (values['password-stdin']) return { password: (await io.stdin()).split(/\r?\n/)[0] ?? '', generated: false };
  return { password: generatePassword(), generated: true };
}

async function requireStaff(email: string | undefined): Promise<Staff> {
  if (!email) throw new UsageError('missing <email>');
  const staff = await getStaffByEmail(email);
  if (!staff) throw new StaffError('not_found', `No staff member with email ${email.trim().toLowerCase()}`);
  return staff;
}

function printRows(io: CliIo, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows])
    io.out(
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
}

async function apiKeyCommand(io: CliIo, args: string[], json: boolean): Promise<number> {
  const [sub, ...rest] = args;
  const arity: Record<string, number> = { create: 2, list: 0, revoke: 1 };
  if (!sub || !(sub in arity)) throw new UsageError(`api-key needs one of: ${Object.keys(arity).join(', ')}`);
  if (rest.length !== arity[sub]) throw new UsageError(`'api-key ${sub}' takes ${arity[sub]} argument(s), got ${rest.length}`);
  switch (sub) {
    case 'create': {
      const { apiKey, key } = await createApiKey({ name: rest[0], role: rest[1] }, CLI_ACTOR);
      if (json) io.out(JSON.stringify({ ...apiKey, key }, null, 2));
      else {
        io.out(`created API key ${apiKey.name} (${apiKey.role})`);
        io.out(`key (shown once): ${key}`);
      }
      return 0;
    }
    case 'list': {
      const keys = await listApiKeys();
      if (json) io.out(JSON.stringify(keys, null, 2));
      else if (keys.length === 0) io.out('no API keys yet: npm run staff -- api-key create <name> <role>');
      else {
        const state = (k: ApiKey) => (k.revokedAt ? `revoked ${k.revokedAt}` : 'active');
        printRows(
          io,
          ['NAME', 'ROLE', 'PREFIX', 'STATE', 'CREATED', 'LAST USED'],
          keys.map((k) => [k.name, k.role, `${k.prefix}…`, state(k), k.createdAt, k.lastUsedAt ?? 'never']),
        );
      }
      return 0;
    }
    case 'revoke': {
      const found = await getApiKeyByName(rest[0]);
      if (!found) throw new ApiKeyError('not_found', `No API key named ${rest[0]}`);
      const revoked = await revokeApiKey(found.id, CLI_ACTOR);
      io.out(`${revoked.name} is revoked (since ${revoked.revokedAt})`);
      return 0;
    }
  }
  return 2;
}

function printTable(io: CliIo, staff: Staff[]): void {
  const header = ['EMAIL', 'ROLE', 'STATUS', 'PASSWORD', 'NAME', 'CREATED'];
  const rows = staff.map((s) => [
    s.email,
    s.role,
    s.disabled ? 'disabled' : 'active',
    s.hasPassword ? 'yes' : 'no',
    s.name ?? '',
    s.createdAt,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows])
    io.out(
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
}

async function main(io: CliIo, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      name: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!command) throw new UsageError('missing <command>');
  if (command === 'api-key') return apiKeyCommand(io, args, values.json === true);
  const arity: Record<string, number> = { add: 2, list: 0, disable: 1, enable: 1, 'set-role': 2, 'set-password': 1 };
  if (!(command in arity)) throw new UsageError(`unknown command '${command}'`);
  if (args.length !== arity[command]) throw new UsageError(`'${command}' takes ${arity[command]} argument(s), got ${args.length}`);

  switch (command) {
    case 'add': {
      const [email, role] = args;
      const { password, generated } = await passwordOption(io, values);
      const staff = await createStaff({ email, role, name: values.name, password }, CLI_ACTOR);
      io.out(`added ${staff.email} (${staff.role})`);
      if (generated) io.out(`password (shown once): ${password}`);
      return 0;
    }
    case 'list': {
      const staff = await listStaff();
      if (values.json) io.out(JSON.stringify(staff, null, 2));
      else if (staff.length === 0) io.out('no staff yet: npm run staff -- add <email> <role>');
      else printTable(io, staff);
      return 0;
    }
    case 'disable':
    case 'enable': {
      const staff = await requireStaff(args[0]);
      const updated = await setStaffDisabled(staff.id, command === 'disable', CLI_ACTOR);
      io.out(`${updated.email} is ${updated.disabled ? 'disabled' : 'enabled'}`);
      return 0;
    }
    case 'set-role': {
      const staff = await requireStaff(args[0]);
      const updated = await setStaffRole(staff.id, args[1], CLI_ACTOR);
      io.out(`${updated.email} is now ${updated.role}`);
      return 0;
    }
    case 'set-password': {
      const staff = await requireStaff(args[0]);
      const { password, generated } = await passwordOption(io, values);
      await setStaffPassword(staff.id, password, CLI_ACTOR);
      io.out(`password set for ${staff.email}`);
      if (generated) io.out(`password (shown once): ${password}`);
      return 0;
    }
  }
  return 2;
}

/** Runs one command line; the exit code: 0 done, 1 refused or failed, 2 a usage error. */
export async function runStaffCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    return await main(io, argv);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      io.err(`error: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
