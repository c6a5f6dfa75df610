import { parseArgs } from 'node:util';
import { DEFAULT_PORT, startEmulator, type EmulatorOptions } from './index';

const USAGE = `Usage: npm run emulator -- [options]
  --port <n>            listen port (default ${DEFAULT_PORT}; 0 = any free port)
  --host <addr>         listen address (default 127.0.0.1)
  --seed <file>         seed JSON (default emulator/seed.json)
  --no-seed             start with no rooms
  --no-quota            disable every operation's rate quota (CreateChatToken 200/s, rooms 5/s, ...)
  --quota <json>        a quota rule, e.g. '{"account":"234567890123","operation":"CreateChatToken","rate":50}'; repeatable
  --quota-window <ms>   length of the quota window (default 1000; the rate is counted per window)
  --token-ttl <sec>     chat token lifetime before use (default 3600)
  --access-key <id>     accepted access key id (default test)
  --secret-key <key>    its secret (default test)
  --account-id <12d>    the default account's id (default 123456789012)
  --account <json>      another account: {"id","label","accessKeys":[...],"roles":[...],"rooms":[...],"quotas":[...]}; repeatable
  --fault <json>        arm a fault at start (body of POST /_emulator/faults); repeatable
  --quiet               do not log requests
  -h, --help`;

function fail(msg: string): never {
  process.stderr.write(`${msg}\n\n${USAGE}\n`);
  process.exit(2);
}

function parseNumber(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) fail(`${flag} expects a non-negative number, got ${v}`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        'no-seed': { type: 'boolean' },
        'no-quota': { type: 'boolean' },
        'token-ttl': { type: 'string' },
        'access-key': { type: 'string' },
        'secret-key': { type: 'string' },
        'account-id': { type: 'string' },
        account: { type: 'string', multiple: true },
        quota: { type: 'string', multiple: true },
        'quota-window': { type: 'string' },
        fault: { type: 'string', multiple: true },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if ((values['access-key'] === undefined) !== (values['secret-key'] === undefined)) {
    fail('--access-key and --secret-key go together');
  }
  const json = (flag: string) => (f: string) => {
    try {
      return JSON.parse(f) as never;
    } catch {
      return fail(`${flag} expects JSON, got ${f}`);
    }
  };
  const faults = (values.fault ?? []).map(json('--fault')) as unknown[];
  const accessKeyId = values['access-key'] ?? 'test';
  const secretAccessKey = values['secret-key'] ?? 'test';
  const opts: EmulatorOptions = {
    port: parseNumber('--port', values.port),
    host: values.host,
    seed: values['no-seed'] ? false : values.seed,
    quota: !values['no-quota'],
    quotaRules: (values.quota ?? []).map(json('--quota')),
    quotaWindowMs: parseNumber('--quota-window', values['quota-window']),
    accounts: (values.account ?? []).map(json('--account')),
    tokenTtlSeconds: parseNumber('--token-ttl', values['token-ttl']),
    credentials: [{ accessKeyId, secretAccessKey }],
    accountId: values['account-id'],
    faults,
    log: values.quiet ? undefined : (line) => process.stdout.write(`[ivschat] ${line}\n`),
  };
  let emu;
  try {
    emu = await startEmulator(opts);
  } catch (err) {
    process.stderr.write(`emulator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const lines = [
    `IVS Chat emulator listening`,
    `  endpoint:    ${emu.endpoint}`,
    `  chat URL:    ${emu.chatUrl}`,
    `  credentials: access key "${accessKeyId}", secret "${secretAccessKey}" (any region)`,
    `  STS:         ${emu.endpoint} (AssumeRole, GetCallerIdentity)`,
    `  quota:       every operation per account and region (CreateChatToken 200/s, messaging 100/s, rooms 5/s, logging 3/s, tags 10/s) ${opts.quota ? 'on' : 'off'}`,
    `  rooms:       ${emu.seededRooms.length === 0 ? '(none)' : ''}`,
    ...emu.seededRooms.map((r) => `    ${r.name.padEnd(16)} ${r.region.padEnd(10)} ${r.arn}  tags=${JSON.stringify(r.tags)}`),
    `  accounts:`,
    ...emu.accounts.flatMap((a) => [
      `    ${a.id} ${a.label || '(no label)'}  keys: ${a.accessKeyIds.join(', ') || '(none)'}`,
      ...a.roles.map((r) => `      role ${r.arn}${r.externalId ? ` (ExternalId ${r.externalId})` : ''}`),
      ...(a.id === emu.accounts[0]?.id ? [] : a.rooms.map((r) => `      ${r.name.padEnd(16)} ${r.region.padEnd(10)} ${r.arn}`)),
    ]),
    `  control:     ${emu.endpoint}/_emulator/stats | /faults | /quota | /accounts | /reset (JSON POSTs, no cross-site requests)`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`received ${signal}, stopping\n`);
    emu
      .close()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
