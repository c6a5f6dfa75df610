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

// Bidirectional controls reorder how the text around them is displayed (U+202E shows `evil-gpj.exe`
// as `evil-exe.jpg`), so a userId, reason or name holding one reads differently from what is stored.
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** The first bidirectional control character in the text, as `U+202E`, or null. */
export function bidiControlIn(text: string): string | null {
  const match = BIDI_CONTROL.exec(text);
  return match ? `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/** A sentence fragment for a field holding a bidi control ("contains ..."), or null. */
export function bidiProblem(text: string): string | null {
  const found = bidiControlIn(text);
  return found ? `contains a bidirectional control character (${found}) that changes the order the text is shown in` : null;
}

// What shows as nothing: white space, format characters (zero-width space, joiners, bidi marks),
// default-ignorable code points (the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, variation
// selectors, the combining grapheme joiner) and the braille blank U+2800, which renders as a space.
const INVISIBLE = /[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** Whether the text has at least one character a reader can see (a typed reason must). */
export function hasVisibleText(text: string): boolean {
  return text.replace(INVISIBLE, '').length > 0;
}

/**
 * The one check for a name people read back (preset names, service-account and staff names): no
 * control or bidi characters, and something visible. A sentence fragment ("contains ..."), or null.
 */
export function nameProblem(text: string): string | null {
  return textProblem(text) ?? bidiProblem(text) ?? (hasVisibleText(text) ? null : 'has no visible characters');
}
