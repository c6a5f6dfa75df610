/**
 * `npm start`: the console on its embedded defaults, in one command.
 *  - the IVS Chat emulator in this process (unless IVSCHAT_ENDPOINT points at one already running),
 *  - a SQLite file under CONSOLE_DATA_DIR (default .data/) unless DATABASE_URL is set,
 *  - local email/password sign-in, with a first admin account created on the first run,
 *  - a production build of the console (built on first start, or when sources are newer),
 *    served by its standalone Node server on PORT (default 3000).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localSecrets } from './local-secrets';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = resolve(root, process.env.CONSOLE_DATA_DIR ?? '.data');
const publicUrl = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;
const distDir = process.env.NEXT_DIST_DIR || '.next';

function say(line = '') {
  process.stdout.write(`${line}\n`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function needsBuild(): boolean {
  if (args.has('--build')) return true;
  if (args.has('--no-build')) return false;
  const buildId = join(root, distDir, 'BUILD_ID');
  if (!existsSync(buildId) || !existsSync(join(root, distDir, 'standalone', 'server.js'))) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = ['app', 'components', 'lib'].map((d) => newestMtime(join(root, d)));
  const configs = ['next.config.mjs', 'package-lock.json', 'postcss.config.cjs', 'proxy.ts', 'instrumentation.ts'].map((f) =>
    existsSync(join(root, f)) ? statSync(join(root, f)).mtimeMs : 0,
  );
  return Math.max(...sources, ...configs) > built;
}

async function main() {
  // The data folder (the SQLite file and its -wal/-shm, secrets.json) is for this user only, whatever
  // the shell's umask; lib/db sets the files' modes itself.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const secrets = localSecrets(dataDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    CONSOLE_DATA_DIR: dataDir,
    // Absolute, because the standalone server runs from inside the build folder.
    POLICY_FILE: resolve(root, process.env.POLICY_FILE ?? 'config/policy.json'),
    NEXTAUTH_URL: publicUrl,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? secrets.NEXTAUTH_SECRET,
    FINGERPRINT_KEY: process.env.FINGERPRINT_KEY ?? secrets.FINGERPRINT_KEY,
    AUDIT_CHAIN_KEY: process.env.AUDIT_CHAIN_KEY ?? secrets.AUDIT_CHAIN_KEY,
  };

  let emulator: { endpoint: string; close(): Promise<void>; seededRooms: { region: string }[] } | null = null;
  if (process.env.IVSCHAT_ENDPOINT) {
    say(`IVS Chat endpoint: ${process.env.IVSCHAT_ENDPOINT} (already running)`);
  } else {
    const { startEmulator } = await import('../emulator/index');
    emulator = await startEmulator({ port: Number(process.env.EMULATOR_PORT ?? 4577), quota: process.env.EMULATOR_QUOTA !== 'off' });
    env.IVSCHAT_ENDPOINT = emulator.endpoint;
    env.IVSCHAT_ACCESS_KEY_ID ??= 'test';
    env.IVSCHAT_SECRET_ACCESS_KEY ??= 'test';
    env.IVSCHAT_REGIONS ??= [...new Set(emulator.seededRooms.map((r) => r.region))].join(',') || 'us-east-1';
    say(`IVS Chat emulator: ${emulator.endpoint} (chat WebSocket on the same port; credentials test/test)`);
  }

  // The console's modules read configuration from process.env once, at import: set it first.
  Object.assign(process.env, env);
  // A bad policy file stops the console here, naming the bad entry, before anything is served.
  const { getPolicy } = await import('../lib/auth/policy');
  try {
    getPolicy();
  } catch (err) {
    await emulator?.close();
    throw err;
  }
  const firstAdmin = await ensureFirstAdmin();
  // What the console will need, tried for real (npm run doctor does the same on demand).
  const { formatDoctor, runDoctor } = await import('../lib/ops/doctor');
  say(formatDoctor(await runDoctor()));

  if (needsBuild()) {
    say('Building the console (first start, or sources changed)…');
    // `next build` adds its build folder's type paths to tsconfig.json (for each NEXT_DIST_DIR the
    // tests use) and reformats it; the file in the repository stays as written.
    const tsconfig = join(root, 'tsconfig.json');
    const tsconfigText = readFileSync(tsconfig, 'utf8');
    const build = spawnSync(process.execPath, [join(root, 'node_modules/next/dist/bin/next'), 'build'], {
      cwd: root,
      env,
      stdio: 'inherit',
    });
    if (readFileSync(tsconfig, 'utf8') !== tsconfigText) writeFileSync(tsconfig, tsconfigText);
    if (build.status !== 0) {
      await emulator?.close();
      process.exit(build.status ?? 1);
    }
  }
  // The standalone server serves build assets from beside itself (Next leaves copying them to us).
  // Copied once per build: a second console started on the same build (the OIDC browser test) must
  // not empty the folder under a running one.
  const staticTarget = join(root, distDir, 'standalone', distDir, 'static');
  const buildId = readFileSync(join(root, distDir, 'BUILD_ID'), 'utf8');
  const copiedFor = join(staticTarget, '.build-id');
  if (!existsSync(copiedFor) || readFileSync(copiedFor, 'utf8') !== buildId) {
    rmSync(staticTarget, { recursive: true, force: true });
    cpSync(join(root, distDir, 'static'), staticTarget, { recursive: true });
    writeFileSync(copiedFor, buildId);
  }

  const server = spawn(process.execPath, [join(root, distDir, 'standalone', 'server.js')], {
    cwd: root,
    env: { ...env, NODE_ENV: 'production', PORT: String(port), HOSTNAME: host },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let announced = false;
  server.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (!announced && /Ready in|started server|Local:/i.test(chunk.toString())) {
      announced = true;
      say('');
      say(`Console: ${publicUrl}`);
      if (firstAdmin)
        say(
          `Sign in as ${firstAdmin.email} with the one-time password ${firstAdmin.password} (shown once; the first sign-in asks for a new one).`,
        );
      else say('Sign in with your staff account (add one with: npm run staff -- add <email> <role>).');
      say('');
    }
  });

  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    server.kill('SIGTERM');
    await emulator?.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  server.on('exit', (code) => void stop(code ?? 1));
}

/** On an empty staff table, an admin to sign in with, so the first start is usable. */
async function ensureFirstAdmin(): Promise<{ email: string; password: string } | null> {
  const { countStaff, createStaff } = await import('../lib/auth/staff-store');
  if ((await countStaff()) > 0) return null;
  const email = process.env.CONSOLE_ADMIN_EMAIL ?? 'admin@console.local';
  const password = randomBytes(12).toString('base64url');
  // Printed on the console's output, so one-time: the first sign-in must set a new password.
  await createStaff({ email, role: 'admin', name: 'First admin', password, oneTimePassword: true });
  return { email, password };
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
