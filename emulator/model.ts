import { readFileSync } from 'node:fs';

/**
 * The botocore-style API model is the single source of truth for routes, status codes and
 * constraints; nothing in the emulator retypes a limit by hand.
 */

export interface MemberRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
}

export interface Shape {
  type: 'structure' | 'string' | 'integer' | 'long' | 'boolean' | 'list' | 'map' | 'timestamp' | 'double' | 'float' | 'blob';
  required?: string[];
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  union?: boolean;
  sensitive?: boolean;
  error?: { httpStatusCode: number; senderFault?: boolean };
  exception?: boolean;
  fault?: boolean;
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
}

interface RawModel {
  metadata: Record<string, unknown>;
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

const MODEL_URL = new URL('../model/ivschat-2020-07-14.service.json', import.meta.url);

function load(): RawModel {
  const parsed = JSON.parse(readFileSync(MODEL_URL, 'utf8')) as RawModel;
  // The model's ResourceArn pattern `[a-z-]/` only admits a one-character resource type, so no
  // real room or logging-configuration ARN would pass; AWS clearly accepts them on the tag
  // routes, so widen exactly that character class to `[a-z-]+`.
  const arn = parsed.shapes.ResourceArn;
  if (arn?.pattern?.includes(':[a-z-]/')) arn.pattern = arn.pattern.replace(':[a-z-]/', ':[a-z-]+/');
  return parsed;
}

export const model: RawModel = load();

export function getShape(name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`shape ${name} missing from the model`);
  return shape;
}

export const operationNames: string[] = Object.keys(model.operations).sort();

export function getOperation(name: string): Operation {
  const op = model.operations[name];
  if (!op) throw new Error(`operation ${name} missing from the model`);
  return op;
}

const patternCache = new Map<string, RegExp>();

/** Model patterns are unanchored Java-style regexes; AWS matches them against the whole value. */
export function anchoredPattern(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    patternCache.set(pattern, re);
  }
  return re;
}

/** Status code of an error shape, e.g. 402 for ServiceQuotaExceededException. */
export function errorStatus(name: string): number | undefined {
  const shape = model.shapes[name];
  return shape?.exception ? (shape.error?.httpStatusCode ?? (shape.fault ? 500 : 400)) : undefined;
}

export function isErrorShape(name: string): boolean {
  return model.shapes[name]?.exception === true;
}

/** Route table: method + first path segment pattern -> operation name. */
export interface Route {
  operation: string;
  method: string;
  /** Literal path, or a prefix when the URI has a single trailing {label}. */
  literal?: string;
  prefix?: string;
  label?: string;
}

export const routes: Route[] = operationNames.map((name) => {
  const op = getOperation(name);
  const uri = op.http.requestUri;
  const m = /^(.*\/)\{([^}+]+)\+?\}$/.exec(uri);
  return m
    ? { operation: name, method: op.http.method, prefix: m[1], label: m[2] }
    : { operation: name, method: op.http.method, literal: uri };
});
