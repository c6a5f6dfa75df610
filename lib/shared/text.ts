const encoder = new TextEncoder();

/** UTF-8 byte length; lone surrogates would be replaced by U+FFFD (3 bytes), but the schema refuses them first. */
export function utf8ByteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Length in Unicode code points, as the service counts string lengths. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

// Lone (unpaired) UTF-16 surrogates cannot be encoded as UTF-8; control characters are invisible
// in every place staff read a userId back (history, CSV, chat clients).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

export function textProblem(text: string): string | null {
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired surrogate (not valid UTF-8 text)';
  if (CONTROL.test(text)) return 'contains a control character';
  return null;
}
