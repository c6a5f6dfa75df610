import 'server-only';
import pino from 'pino';
import { env } from '@/lib/env';

/**
 * Structured server log. Tokens, cookies, Authorization headers and attributes never reach it:
 * the paths below are censored wherever they appear in a logged object.
 */
export const log = pino({
  level: env.LOG_LEVEL,
  base: undefined,
  redact: {
    paths: [
      'token',
      '*.token',
      '*.*.token',
      'password',
      '*.password',
      'attributes',
      '*.attributes',
      '*.*.attributes',
      'authorization',
      'headers.authorization',
      'headers.cookie',
      '*.headers.authorization',
      '*.headers.cookie',
      'cookie',
      'apiKey',
      '*.apiKey',
    ],
    censor: '[redacted]',
  },
});
