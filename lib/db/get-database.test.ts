import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('getDatabase', () => {
  let dir: string;
  const saved = { CONSOLE_DATA_DIR: process.env.CONSOLE_DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'console-getdb-'));
    process.env.CONSOLE_DATA_DIR = path.join(dir, 'data');
    delete process.env.DATABASE_URL;
  });
  afterAll(async () => {
    const { closeDatabase } = await import('./index');
    await closeDatabase();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('opens one SQLite file from the environment, once per process', async () => {
    const { getDatabase, closeDatabase, databaseConfigFromEnv } = await import('./index');
    expect(databaseConfigFromEnv()).toEqual({ kind: 'sqlite', path: path.join(dir, 'data', 'console.db') });
    const a = getDatabase();
    const b = getDatabase();
    expect(a).toBe(b);
    const handle = await a;
    expect(handle.kind).toBe('sqlite');
    expect((await stat(path.join(dir, 'data', 'console.db'))).isFile()).toBe(true);
    await closeDatabase();
    const reopened = await getDatabase();
    expect(reopened).not.toBe(handle);
  });
});
