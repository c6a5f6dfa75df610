import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';
import jsxA11y from 'eslint-plugin-jsx-a11y';

/**
 * Lint for the console: Next's own rules (with React, react-hooks and the import plugin),
 * typescript-eslint, jsx-a11y, and the rules that hold docs/ARCHITECTURE.md in place (the last blocks below).
 * `npm run lint` fails on any finding, warnings included; test/lint-rules.test.ts proves that each
 * design rule fires.
 */
const root = path.dirname(fileURLToPath(import.meta.url));

/** Where the design rules do not apply: code that drives the console and the emulator from outside. */
const harness = [
  '**/*.test.ts',
  '**/*.test.tsx',
  'test/**',
  'e2e/**',
  'bench/**',
  'scripts/**',
  'emulator/**',
  'playwright.config.ts',
  'vitest.config.ts',
  'eslint.config.mjs',
];

/**
 * A server module, for client code: anything under lib/ except what browser and server share
 * (lib/shared/, the result contract and its form helper) and the server actions, which client components call by design.
 */
function isServerModule(file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (!rel.startsWith('lib/')) return false;
  return !(rel.startsWith('lib/shared/') || rel.startsWith('lib/actions/') || /^lib\/contract\/(result|form)(\.tsx?)?$/.test(rel));
}

/**
 * A client component (a `'use client'` file, or anything under components/) may import a server
 * module for its types only. No existing rule can select files by their directive, hence this one.
 */
const clientImportsTypesOnly = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Client components import server modules (lib/ outside lib/shared, lib/contract/result and form, and lib/actions) as types only',
    },
    schema: [],
    messages: {
      server:
        "'{{source}}' is a server module: a client component may import its types only (`import type`). Move what the browser needs under lib/shared/, or call a server action.",
    },
  },
  create(context) {
    const filename = context.filename;
    const rel = path.relative(root, filename).split(path.sep).join('/');
    let client = rel.startsWith('components/');
    const check = (node, source, typeOnly) => {
      if (typeOnly || typeof source !== 'string') return;
      let target = null;
      if (source === 'server-only') target = 'server-only';
      else if (source.startsWith('@/')) target = path.join(root, source.slice(2));
      else if (source.startsWith('.')) target = path.resolve(path.dirname(filename), source);
      if (target === 'server-only' || (target && isServerModule(target))) context.report({ node, messageId: 'server', data: { source } });
    };
    const checks = [];
    return {
      Program(program) {
        client ||= program.body.some((s) => s.type === 'ExpressionStatement' && s.directive === 'use client');
      },
      ImportDeclaration(node) {
        const typeOnly =
          node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
        checks.push(() => check(node, node.source.value, typeOnly));
      },
      'ExportNamedDeclaration[source], ExportAllDeclaration'(node) {
        const typeOnly =
          node.exportKind === 'type' || (node.specifiers?.length > 0 && node.specifiers.every((s) => s.exportKind === 'type'));
        checks.push(() => check(node, node.source.value, typeOnly));
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') checks.push(() => check(node, node.source.value, false));
      },
      'Program:exit'() {
        if (client) for (const run of checks) run();
      },
    };
  },
};

const consolePlugin = { meta: { name: 'console' }, rules: { 'client-imports-types-only': clientImportsTypesOnly } };

export default defineConfig([
  globalIgnores([
    '.next/**',
    '.next-*/**',
    '.data/**',
    'node_modules/**',
    'test-results/**',
    'playwright-report/**',
    'bench/results/**',
    'next-env.d.ts',
  ]),
  ...nextVitals,
  ...nextTypescript,
  {
    files: ['**/*.{js,jsx,mjs,ts,tsx,mts,cts}'],
    settings: {
      // import/no-cycle follows only our own modules; parsing every package's typings made lint take minutes.
      'import/ignore': ['node_modules'],
    },
    rules: {
      ...jsxA11y.flatConfigs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'import/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Type-aware rules where a mistake costs most: an unawaited promise in the console itself.
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'lib/**/*.{ts,tsx}', 'proxy.ts'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },

  // The design, as rules (docs/ARCHITECTURE.md "The one mint path" and "Layers").
  {
    files: ['**/*.{js,jsx,mjs,ts,tsx,mts,cts}'],
    ignores: ['lib/ivschat/**', ...harness],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@aws-sdk/client-ivschat',
              message: 'Only lib/ivschat/ talks to the IVS Chat SDK: use its typed wrappers, which return plain objects.',
            },
          ],
          patterns: [{ group: ['@aws-sdk/client-ivschat/*'], message: 'Only lib/ivschat/ talks to the IVS Chat SDK.' }],
        },
      ],
    },
  },
  {
    files: ['**/*.{js,jsx,mjs,ts,tsx,mts,cts}'],
    ignores: ['lib/mint/**', 'lib/ivschat/tokens.ts', ...harness],
    rules: {
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './',
              from: './lib/ivschat/tokens.ts',
              message: 'CreateChatToken is called only by the one mint path: go through mintToken (lib/mint/).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.{js,jsx,mjs,ts,tsx,mts,cts}'],
    plugins: { console: consolePlugin },
    rules: { 'console/client-imports-types-only': 'error' },
  },
  {
    files: ['**/*.{js,jsx,mjs,ts,tsx,mts,cts}'],
    ignores: ['lib/env.ts', 'lib/env-schema.mjs', ...harness],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only lib/env.ts reads the environment (proxy.ts and next.config.mjs through lib/env-schema.mjs): import `env` from it.',
        },
      ],
    },
  },
]);
