/** Imported first by CLIs that write the audit log: the local secrets, before lib/env.ts reads the environment. */
import { applyLocalSecrets } from './local-secrets';

applyLocalSecrets();
