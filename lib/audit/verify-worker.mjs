// A worker thread of `verify` (lib/audit/verify.ts). Worker threads do not inherit the parent's
// TypeScript loader, so this plain module loads the TypeScript worker through tsx's API.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.module, import.meta.url);
