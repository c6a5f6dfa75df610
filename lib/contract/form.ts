/**
 * The browser side of the one contract: a Failure's field errors onto a react-hook-form form, each
 * at the field where it was typed, and its message as the form's root error. Client-safe.
 */
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import type { Failure } from './result';

export interface ServerErrorOptions {
  /** The form's field for a server path (`source.csv` -> `csv`), or null to leave it to the message. */
  field?: (path: string) => string | null;
  /** Also set `root.server` to the failure's message (default true). */
  root?: boolean;
}

export function setServerErrors<T extends FieldValues>(
  setError: UseFormSetError<T>,
  failure: Failure,
  options: ServerErrorOptions = {},
): void {
  for (const [path, message] of Object.entries(failure.fieldErrors ?? {})) {
    const field = options.field ? options.field(path) : path;
    if (field) setError(field as Path<T>, { type: 'server', message });
  }
  if (options.root !== false) setError('root.server' as Path<T>, { type: failure.code, message: failure.message });
}
