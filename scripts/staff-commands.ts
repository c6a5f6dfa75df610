/**
 * The commands of `npm run staff` (./staff.ts wires them to the process): same database as the
 * console (SQLite under CONSOLE_DATA_DIR, or DATABASE_URL), every change audited with the actor `cli`.
 * Called in-process by ./staff.test.ts.
 */
import { parseArgs } from 'node:util';
import {
  ApiKeyError,
  createApiKey,
  createServiceAccount,
  getApiKeyByName,
  getServiceAccountByName,
  listApiKeys,
  listServiceAccounts,
  revokeApiKey,
  setServiceAccountDisabled,
  type ApiKey,
  type OwnerRef,
} from '@/lib/api-keys/store';
import { CLI_ACTOR } from '@/lib/audit/store';
import { generatePassword } from '@/lib/auth/password';
import {
  createStaff,
  endStaffSessions,
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

  add <email> <role> [--name <name>] [--password <pw> | --password-stdin] [--one-time]
                                   create a staff member; without a password option
                                   a strong one is generated and printed once, and is
                                   one-time (the first sign-in must set a new one)
  list [--json]                    list staff
  disable <email>                  block sign-in (and end every session)
  enable <email>                   allow sign-in again
  set-role <email> <role>          change the role
  set-password <email> [--password <pw> | --password-stdin] [--one-time]
                                   set a new password (generated, printed and one-time
                                   when omitted); ends every session of the member
  sign-out-everywhere <email>      end every session of the member at once
  api-key create <name> <role> [--owner <email> | --service <account>] [--json]
                                   create an API key for /api/v1 acting with <role>; the
                                   key is printed once and only its hash is stored. It
                                   belongs to the member or service account named (default:
                                   the service account 'cli'); disabling the owner suspends it
  api-key list [--json]            list API keys (owner, prefix, role, state, last used)
  api-key revoke <name>            revoke a key; its next request is refused
  service-account create <name>    a named owner for keys that is not a person
  service-account list [--json]
  service-account disable <name>   suspend every key it owns (enable: resume them)
  service-account enable <name>

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

async function serviceAccountCommand(io: CliIo, args: string[], json: boolean): Promise<number> {
  const [sub, ...rest] = args;
  const arity: Record<string, number> = { create: 1, list: 0, disable: 1, enable: 1 };
  if (!sub || !(sub in arity)) throw new UsageError(`service-account needs one of: ${Object.keys(arity).join(', ')}`);
  if (rest.length !== arity[sub]) throw new UsageError(`'service-account ${sub}' takes ${arity[sub]} argument(s), got ${rest.length}`);
  if (sub === 'create') {
    const account = await createServiceAccount(rest[0], CLI_ACTOR);
    io.out(json ? JSON.stringify(account, null, 2) : `created service account ${account.name}`);
    return 0;
  }
  if (sub === 'list') {
    const accounts = await listServiceAccounts();
    if (json) io.out(JSON.stringify(accounts, null, 2));
    else
      printRows(
        io,
        ['NAME', 'STATE', 'CREATED', 'BY'],
        accounts.map((a) => [a.name, a.disabled ? 'disabled' : 'active', a.createdAt, a.createdBy]),
      );
    return 0;
  }
  const found = await getServiceAccountByName(rest[0]);
  if (!found) throw new ApiKeyError('not_found', `No service account named ${rest[0]}`);
  const updated = await setServiceAccountDisabled(found.id, sub === 'disable', CLI_ACTOR);
  io.out(`${updated.name} is ${updated.disabled ? 'disabled (its keys are suspended)' : 'enabled'}`);
  return 0;
}

async function apiKeyCommand(io: CliIo, args: string[], json: boolean, owner: OwnerRef | undefined): Promise<number> {
  const [sub, ...rest] = args;
  const arity: Record<string, number> = { create: 2, list: 0, revoke: 1 };
  if (!sub || !(sub in arity)) throw new UsageError(`api-key needs one of: ${Object.keys(arity).join(', ')}`);
  if (rest.length !== arity[sub]) throw new UsageError(`'api-key ${sub}' takes ${arity[sub]} argument(s), got ${rest.length}`);
  switch (sub) {
    case 'create': {
      const { apiKey, key } = await createApiKey({ name: rest[0], role: rest[1], owner }, CLI_ACTOR);
      if (json) io.out(JSON.stringify({ ...apiKey, key }, null, 2));
      else {
        io.out(`created API key ${apiKey.name} (${apiKey.role}), owned by ${apiKey.owner?.kind} ${apiKey.owner?.name}`);
        io.out(`key (shown once): ${key}`);
      }
      return 0;
    }
    case 'list': {
      const keys = await listApiKeys();
      if (json) io.out(JSON.stringify(keys, null, 2));
      else if (keys.length === 0) io.out('no API keys yet: npm run staff -- api-key create <name> <role>');
      else {
        const state = (k: ApiKey) =>
          k.state === 'revoked' ? `revoked ${k.revokedAt}` : k.state === 'suspended' ? 'suspended (owner disabled)' : 'active';
        printRows(
          io,
          ['NAME', 'ROLE', 'OWNER', 'PREFIX', 'STATE', 'CREATED', 'LAST USED'],
          keys.map((k) => [k.name, k.role, k.owner?.name ?? '(none)', `${k.prefix}…`, state(k), k.createdAt, k.lastUsedAt ?? 'never']),
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
      'one-time': { type: 'boolean' },
      name: { type: 'string' },
      json: { type: 'boolean' },
      owner: { type: 'string' },
      service: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!command) throw new UsageError('missing <command>');
  if (command === 'api-key') {
    if (values.owner !== undefined && values.service !== undefined) throw new UsageError('use --owner or --service, not both');
    const owner: OwnerRef | undefined =
      values.owner !== undefined
        ? { kind: 'staff', email: values.owner }
        : values.service !== undefined
          ? { kind: 'service', name: values.service }
          : undefined;
    return apiKeyCommand(io, args, values.json === true, owner);
  }
  if (command === 'service-account') return serviceAccountCommand(io, args, values.json === true);
  const arity: Record<string, number> = {
    add: 2,
    list: 0,
    disable: 1,
    enable: 1,
    'set-role': 2,
    'set-password': 1,
    'sign-out-everywhere': 1,
  };
  if (!(command in arity)) throw new UsageError(`unknown command '${command}'`);
  if (args.length !== arity[command]) throw new UsageError(`'${command}' takes ${arity[command]} argument(s), got ${args.length}`);

  switch (command) {
    case 'add': {
      const [email, role] = args;
      const { password, generated } = await passwordOption(io, values);
      // A printed (generated) password is one-time; so is any with --one-time.
      const oneTimePassword = generated || values['one-time'] === true;
      const staff = await createStaff({ email, role, name: values.name, password, oneTimePassword }, CLI_ACTOR);
      io.out(`added ${staff.email} (${staff.role})`);
      if (generated) io.out(`one-time password (shown once): ${password} (the first sign-in must replace it)`);
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
    case 'sign-out-everywhere': {
      const staff = await requireStaff(args[0]);
      await endStaffSessions(staff.id, CLI_ACTOR);
      io.out(`every session of ${staff.email} has ended`);
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
      await setStaffPassword(staff.id, password, CLI_ACTOR, undefined, { oneTime: generated || values['one-time'] === true });
      io.out(`password set for ${staff.email}; every session of theirs has ended`);
      if (generated) io.out(`one-time password (shown once): ${password} (the first sign-in must replace it)`);
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
