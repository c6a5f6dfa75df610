import { utf8ByteLength } from '@/lib/shared/text';

export interface AttributeRow {
  key: string;
  value: string;
}

/** Total UTF-8 bytes of every key and value, the way the 1 KB limit is counted. */
export function attributesByteSize(rows: readonly AttributeRow[]): number {
  let total = 0;
  for (const row of rows) total += utf8ByteLength(row.key) + utf8ByteLength(row.value);
  return total;
}

export function rowsToAttributes(rows: readonly AttributeRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of rows) out[row.key] = row.value;
  return out;
}

export function attributesToRows(attributes: Record<string, string> | null | undefined): AttributeRow[] {
  return Object.entries(attributes ?? {}).map(([key, value]) => ({ key, value }));
}
