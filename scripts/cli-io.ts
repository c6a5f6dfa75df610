import { closeDatabase } from '@/lib/db';

/** Where a CLI command writes and reads: the process's streams, or a test's buffers. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The whole of standard input (read only by the commands that take a password from it). */
  stdin(): Promise<string>;
}

export const processIo: CliIo = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  async stdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** Runs a command with the process's arguments and streams, closes the database, sets the exit code. */
export async function runCli(run: (argv: string[], io: CliIo) => Promise<number>): Promise<void> {
  try {
    process.exitCode = await run(process.argv.slice(2), processIo);
  } finally {
    await closeDatabase().catch(() => {});
  }
}
