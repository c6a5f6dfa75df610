import 'server-only';
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { ChunkVerifier, postgresRun, sqliteRun, type ChainSource, type ChunkInput, type ChunkResult } from './verify-chunk';

/**
 * Checks the runs of seqs verify.ts sends, on its own read-only connection, and posts each result
 * back (its arrays transferred, not copied). Reads for PostgreSQL start as soon as a run arrives,
 * so the next run's rows are on their way while this one is hashed.
 */
const { source, keys } = workerData as { source: ChainSource; keys: [string, string][] };
const port = parentPort!;
const verifier = new ChunkVerifier(keys);
const transfer = (r: ChunkResult) => [r.kinds.buffer, r.refs.buffer, r.proj.buffer, r.projCompletion.buffer] as ArrayBuffer[];

async function main() {
  if (source.kind === 'sqlite') {
    const db = new SqliteDatabase(source.file, { readonly: true, fileMustExist: true });
    const read = sqliteRun(db);
    port.on('message', (msg: { chunk?: ChunkInput }) => {
      if (!msg.chunk) return;
      try {
        const { entries, mints } = read(msg.chunk.lo, msg.chunk.hi);
        const result = verifier.verify(msg.chunk, entries, mints);
        port.postMessage({ result }, transfer(result));
      } catch (err) {
        port.postMessage({ error: err instanceof Error ? err.message : String(err) });
      }
    });
    port.postMessage({ ready: true });
    return;
  }
  const client = new pg.Client({ connectionString: source.url, options: source.schema ? `-c search_path=${source.schema}` : undefined });
  await client.connect();
  const read = postgresRun(client);
  let queue = Promise.resolve();
  port.on('message', (msg: { chunk?: ChunkInput }) => {
    const chunk = msg.chunk;
    if (!chunk) return;
    const rows = read(chunk.lo, chunk.hi);
    rows.catch(() => {});
    queue = queue.then(async () => {
      try {
        const { entries, mints } = await rows;
        const result = verifier.verify(chunk, entries, mints);
        port.postMessage({ result }, transfer(result));
      } catch (err) {
        port.postMessage({ error: err instanceof Error ? err.message : String(err) });
      }
    });
  });
  port.postMessage({ ready: true });
}

main().catch((err) => port.postMessage({ error: err instanceof Error ? err.message : String(err) }));
