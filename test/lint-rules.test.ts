import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The design rules of eslint.config.mjs fire: each offending snippet, linted with the repository's
 * own configuration at a path inside the folder the rule guards, gets that rule's error; the clean
 * twin gets none. Removing or loosening a rule fails this test.
 */
const root = path.resolve(import.meta.dirname, '..');
let eslint: ESLint;

beforeAll(async () => {
  // import/no-cycle reads the module graph from disk; its strongly-connected-components shortcut
  // cannot see a snippet that is not on disk, so the snippets run with the same rule and options
  // minus that shortcut. Taken from the repository's config, so removing the rule still fails here.
  const asConfigured = await new ESLint({ cwd: root }).calculateConfigForFile(path.join(root, 'lib/shared/policy/rules.ts'));
  const [severity, options] = (asConfigured.rules['import/no-cycle'] ?? [0, {}]) as [Linter.Severity, object];
  eslint = new ESLint({
    cwd: root,
    // The snippets are not files on disk, so the type-aware rules (not what this test is about) cannot
    // run on them; everything else is the configuration `npm run lint` uses.
    overrideConfig: [
      {
        files: ['**/*.{ts,tsx}'],
        languageOptions: { parserOptions: { projectService: false, project: null } },
        rules: {
          '@typescript-eslint/no-floating-promises': 'off',
          '@typescript-eslint/no-misused-promises': 'off',
          '@typescript-eslint/await-thenable': 'off',
        },
      },
      ...(severity
        ? [
            {
              files: ['**/*.{js,mjs,ts,tsx}'],
              rules: { 'import/no-cycle': [severity, { ...options, disableScc: true }] as Linter.RuleEntry },
            },
          ]
        : []),
    ],
  });
});

/** The errors (severity 2) of one rule for `code` linted as if it were the file at `file`. */
async function errors(file: string, code: string, rule: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  const fatal = result.messages.filter((m) => m.fatal);
  expect(fatal, 'the snippet parses').toEqual([]);
  return result.messages.filter((m) => m.ruleId === rule && m.severity === 2).map((m) => m.message);
}

describe('lint: @aws-sdk/client-ivschat only under lib/ivschat/', () => {
  const sdk = `import { IvschatClient } from '@aws-sdk/client-ivschat';\nexport const client = new IvschatClient({});\n`;
  it('is an error in the mint path, in components and in app', async () => {
    expect(await errors('lib/mint/probe.ts', sdk, 'no-restricted-imports')).toEqual([expect.stringContaining('Only lib/ivschat/')]);
    expect(await errors('components/token/probe.tsx', sdk, 'no-restricted-imports')).toHaveLength(1);
    expect(
      await errors(
        'app/api/probe/route.ts',
        `import type { Room } from '@aws-sdk/client-ivschat';\nexport type R = Room;\n`,
        'no-restricted-imports',
      ),
    ).toHaveLength(1);
  });
  it('is allowed in lib/ivschat/', async () => {
    expect(await errors('lib/ivschat/probe.ts', sdk, 'no-restricted-imports')).toEqual([]);
  });
});

describe('lint: the CreateChatToken wrapper only from the mint path', () => {
  const wrapper = `import { createChatToken } from '@/lib/ivschat/tokens';\nexport const call = createChatToken;\n`;
  it('is an error from an action, a route, the bulk runner and relative paths', async () => {
    expect(await errors('lib/actions/probe-action.ts', wrapper, 'import/no-restricted-paths')).toEqual([
      expect.stringContaining('only by the one mint path'),
    ]);
    expect(await errors('app/api/v1/probe/route.ts', wrapper, 'import/no-restricted-paths')).toHaveLength(1);
    expect(
      await errors(
        'lib/bulk/probe.ts',
        `import { createChatToken } from '../ivschat/tokens';\nexport const c = createChatToken;\n`,
        'import/no-restricted-paths',
      ),
    ).toHaveLength(1);
  });
  it('is allowed in lib/mint/', async () => {
    expect(await errors('lib/mint/probe.ts', wrapper, 'import/no-restricted-paths')).toEqual([]);
  });
});

describe('lint: client components import server modules as types only', () => {
  const rule = 'console/client-imports-types-only';
  it('is an error for a value import of a server module under components/', async () => {
    const code = `import { getPolicy } from '@/lib/auth/policy';\nexport const p = getPolicy;\n`;
    expect(await errors('components/mint/probe.tsx', code, rule)).toEqual([
      expect.stringContaining("'@/lib/auth/policy' is a server module"),
    ]);
  });
  it("is an error in any 'use client' file, for re-exports and dynamic imports too", async () => {
    const value = `'use client';\nimport { env } from '@/lib/env';\nexport const e = env;\n`;
    expect(await errors('app/(console)/probe/error.tsx', value, rule)).toHaveLength(1);
    expect(
      await errors('app/(console)/probe/error.tsx', `'use client';\nexport { getPolicy } from '@/lib/auth/policy';\n`, rule),
    ).toHaveLength(1);
    expect(await errors('components/probe.ts', `export const load = () => import('@/lib/audit/store');\n`, rule)).toHaveLength(1);
    expect(await errors('components/mint/probe.tsx', `import 'server-only';\n`, rule)).toHaveLength(1);
  });
  it('allows types, lib/shared, the result contract, server actions, and server components', async () => {
    const clean = [
      `import type { RoomSummary } from '@/lib/ivschat/rooms';`,
      `import { type RoomDetail } from '@/lib/ivschat/rooms';`,
      `import { mintTokenSchema } from '@/lib/shared/tokens/schema';`,
      `import { ok } from '@/lib/contract/result';`,
      `import { getRoomAction } from '@/lib/actions/get-room-action';`,
      `export const all = [mintTokenSchema, ok, getRoomAction];`,
    ].join('\n');
    expect(await errors('components/mint/probe.tsx', `'use client';\n${clean}\n`, rule)).toEqual([]);
    const server = `import { getPolicy } from '@/lib/auth/policy';\nexport const p = getPolicy;\n`;
    expect(await errors('app/(console)/probe/page.tsx', server, rule)).toEqual([]);
  });
});

describe('lint: only lib/env.ts reads process.env', () => {
  const rule = 'no-restricted-properties';
  it('is an error in lib/, app/, components/ and proxy.ts, destructured too', async () => {
    expect(await errors('lib/mint/probe.ts', `export const url = process.env.DATABASE_URL;\n`, rule)).toEqual([
      expect.stringContaining('Only lib/env.ts reads the environment'),
    ]);
    expect(await errors('app/api/probe/route.ts', `const { env } = process;\nexport const e = env;\n`, rule)).toHaveLength(1);
    expect(await errors('components/probe.tsx', `export const d = process.env.NODE_ENV;\n`, rule)).toHaveLength(1);
    expect(await errors('proxy.ts', `export const p = process.env.NODE_ENV;\n`, rule)).toHaveLength(1);
  });
  it('is allowed in lib/env.ts, the env schema, tests and scripts', async () => {
    const read = `export const url = process.env.DATABASE_URL;\n`;
    for (const file of [
      'lib/env.ts',
      'lib/env-schema.mjs',
      'lib/mint/probe.test.ts',
      'scripts/probe.ts',
      'e2e/probe.spec.ts',
      'bench/probe.ts',
    ]) {
      expect(await errors(file, read, rule), file).toEqual([]);
    }
  });
});

describe('lint: no import cycles', () => {
  it('is an error when the policy rules import the mint schema that imports them', async () => {
    const code = `import { mintTokenSchema } from '@/lib/shared/tokens/schema';\nexport const s = mintTokenSchema;\n`;
    expect(await errors('lib/shared/policy/rules.ts', code, 'import/no-cycle')).toEqual([expect.stringContaining('Dependency cycle')]);
  });
  it('is an error when the room dropdown imports the picker that loads it', async () => {
    const code = `import { RoomPicker } from './room-picker';\nexport const P = RoomPicker;\n`;
    expect(await errors('components/mint/room-autocomplete.tsx', code, 'import/no-cycle')).toEqual([
      expect.stringContaining('Dependency cycle'),
    ]);
  });
  it('passes for the modules as they are', async () => {
    const code = `import { roomPickerText } from './room-picker-shared';\nexport const t = roomPickerText;\n`;
    expect(await errors('components/mint/room-autocomplete.tsx', code, 'import/no-cycle')).toEqual([]);
  });
});
