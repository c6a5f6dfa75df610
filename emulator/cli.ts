import { parseArgs } from 'node:util';
import { DEFAULT_PORT, startEmulator, type EmulatorOptions } from './index';

const USAGE = `Usage: npm run emulator -- [options]
  --port <n>            listen port (default ${DEFAULT_PORT}; 0 = any free port)
  --host <addr>         listen address (default 127.0.0.1)
  --seed <file>         seed JSON (default emulator/seed.json)
  --no-seed             start with no rooms
  --no-quota            disable the CreateChatToken 200/s quota
  --token-ttl <sec>     chat token lifetime before use (default 3600)
  --access-key <id>     accepted access key id (default test)
  --secret-key <key>    its secret (default test)
  --account-id <12d>    account id in ARNs (default 123456789012)
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
  const faults = (values.fault ?? []).map((f) => {
    try {
      return JSON.parse(f) as unknown;
    } catch {
      return fail(`--fault expects JSON, got ${f}`);
    }
  });
  const accessKeyId = values['access-key'] ?? 'test';
  const secretAccessKey = values['secret-key'] ?? 'test';
  const opts: EmulatorOptions = {
    port: parseNumber('--port', values.port),
    host: values.host,
    seed: values['no-seed'] ? false : values.seed,
    quota: !values['no-quota'],
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
    `  quota:       CreateChatToken 200/s ${opts.quota ? 'on' : 'off'}`,
    `  rooms:       ${emu.seededRooms.length === 0 ? '(none)' : ''}`,
    ...emu.seededRooms.map((r) => `    ${r.name.padEnd(16)} ${r.region.padEnd(10)} ${r.arn}  tags=${JSON.stringify(r.tags)}`),
    `  control:     ${emu.endpoint}/_emulator/stats | /faults | /quota | /reset`,
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
