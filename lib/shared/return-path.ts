/** A post-sign-in destination: only a path on this console (no scheme, no `//host`), else `/mint`. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/mint';
  if (value.startsWith('/api/') || value.startsWith('/signin')) return '/mint';
  return value;
}
