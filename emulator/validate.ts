import { anchoredPattern, getOperation, getShape, type Shape } from './model';

export interface FieldError {
  name: string;
  message: string;
}

/**
 * What the model cannot express: the docs say chat token and event attributes are "1 KB total".
 * We count UTF-8 bytes of every key and value, which is the strictest sensible reading.
 */
export const ATTRIBUTES_MAX_BYTES = 1024;
const ONE_KB_MEMBERS: Record<string, string[]> = {
  CreateChatToken: ['attributes'],
  SendEvent: ['attributes'],
};

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** AWS counts characters, not UTF-16 units: an emoji is one. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function attributesByteSize(attrs: Record<string, unknown>): number {
  let total = 0;
  for (const [k, v] of Object.entries(attrs)) {
    total += Buffer.byteLength(k, 'utf8');
    if (typeof v === 'string') total += Buffer.byteLength(v, 'utf8');
  }
  return total;
}

function check(value: unknown, shapeName: string, path: string, errors: FieldError[]): void {
  const shape: Shape = getShape(shapeName);
  const fail = (message: string): void => {
    errors.push({ name: path, message });
  };
  switch (shape.type) {
    case 'string': {
      if (typeof value !== 'string') return fail('Member must be a string');
      if (shape.enum && !shape.enum.includes(value)) {
        return fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      }
      const len = codePointLength(value);
      if (shape.min !== undefined && len < shape.min) {
        return fail(`Member must have length greater than or equal to ${shape.min}`);
      }
      if (shape.max !== undefined && len > shape.max) {
        return fail(`Member must have length less than or equal to ${shape.max}`);
      }
      if (shape.pattern !== undefined && !anchoredPattern(shape.pattern).test(value)) {
        return fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      return;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail('Member must be an integer');
      if (shape.min !== undefined && value < shape.min) {
        return fail(`Member must have value greater than or equal to ${shape.min}`);
      }
      if (shape.max !== undefined && value > shape.max) {
        return fail(`Member must have value less than or equal to ${shape.max}`);
      }
      return;
    }
    case 'double':
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('Member must be a number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') return fail('Member must be a boolean');
      return;
    case 'timestamp':
      if (typeof value !== 'string' && typeof value !== 'number') return fail('Member must be a timestamp');
      return;
    case 'blob':
      if (typeof value !== 'string') return fail('Member must be a base64 string');
      return;
    case 'list': {
      if (!Array.isArray(value)) return fail('Member must be a list');
      if (shape.min !== undefined && value.length < shape.min) {
        return fail(`Member must have length greater than or equal to ${shape.min}`);
      }
      if (shape.max !== undefined && value.length > shape.max) {
        return fail(`Member must have length less than or equal to ${shape.max}`);
      }
      // Element failures are reported against the list member, as AWS field lists do.
      const inner: FieldError[] = [];
      for (const item of value) check(item, shape.member!.shape, path, inner);
      if (inner.length > 0) errors.push(inner[0]);
      return;
    }
    case 'map': {
      if (!isPlainObject(value)) return fail('Member must be a map');
      const entries = Object.entries(value);
      if (shape.min !== undefined && entries.length < shape.min) {
        return fail(`Member must have length greater than or equal to ${shape.min}`);
      }
      if (shape.max !== undefined && entries.length > shape.max) {
        return fail(`Member must have length less than or equal to ${shape.max}`);
      }
      const inner: FieldError[] = [];
      for (const [k, v] of entries) {
        check(k, shape.key!.shape, path, inner);
        check(v, shape.value!.shape, path, inner);
      }
      if (inner.length > 0) errors.push(inner[0]);
      return;
    }
    case 'structure': {
      if (!isPlainObject(value)) return fail('Member must be a structure');
      const members = shape.members ?? {};
      for (const req of shape.required ?? []) {
        if (value[req] === undefined || value[req] === null) {
          errors.push({ name: join(path, req), message: 'Member must not be null' });
        }
      }
      const present = Object.keys(members).filter((m) => value[m] !== undefined && value[m] !== null);
      if (shape.union && present.length !== 1) {
        return fail(`Exactly one member of [${Object.keys(members).join(', ')}] must be set`);
      }
      for (const m of present) check(value[m], members[m].shape, join(path, m), errors);
      return;
    }
  }
}

function join(path: string, member: string): string {
  return path ? `${path}.${member}` : member;
}

/** Validates an operation's input (body, uri and querystring members merged) against the model. */
export function validateInput(operation: string, input: Record<string, unknown>): FieldError[] {
  const op = getOperation(operation);
  const errors: FieldError[] = [];
  if (!op.input) return errors;
  check(input, op.input.shape, '', errors);
  for (const member of ONE_KB_MEMBERS[operation] ?? []) {
    const attrs = input[member];
    if (isPlainObject(attrs) && attributesByteSize(attrs) > ATTRIBUTES_MAX_BYTES) {
      if (!errors.some((e) => e.name === member)) {
        errors.push({ name: member, message: `Member must have total size less than or equal to ${ATTRIBUTES_MAX_BYTES} bytes` });
      }
    }
  }
  return errors;
}

/** The message AWS builds from a field list (without echoing values, some are sensitive). */
export function validationMessage(errors: FieldError[]): string {
  const n = errors.length;
  const details = errors.map((e) => `Value at '${e.name}' failed to satisfy constraint: ${e.message}`).join('; ');
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${details}`;
}
