/**
 * Table-driven validation: every constrained member of every operation input in the model gets a
 * value just inside and just outside each bound, sent as signed HTTP. Cases are derived from the
 * model file itself (read here independently of the emulator's loader), so a model update
 * regenerates the table.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index';
import { validateInput } from '../validate';
import { signedFetch, start } from './helpers';

interface MemberRef {
  shape: string;
  location?: string;
  locationName?: string;
}
interface Shape {
  type: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  required?: string[];
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  union?: boolean;
}
interface Model {
  operations: Record<string, { http: { method: string; requestUri: string }; input?: { shape: string } }>;
  shapes: Record<string, Shape>;
}

const model = JSON.parse(readFileSync(new URL('../../model/ivschat-2020-07-14.service.json', import.meta.url), 'utf8')) as Model;

// Known model bug: `[a-z-]/` admits a one-letter resource type only (see model.ts); tests use the
// same correction so real ARNs count as "inside".
const patternOf = (shapeName: string): string | undefined => {
  const p = model.shapes[shapeName].pattern;
  return shapeName === 'ResourceArn' && p ? p.replace(':[a-z-]/', ':[a-z-]+/') : p;
};
const matches = (shapeName: string, v: string): boolean => {
  const p = patternOf(shapeName);
  return p === undefined || new RegExp(`^(?:${p})$`).test(v);
};
const cpLen = (s: string): number => [...s].length;

/** Seed values for patterned strings; only the shape of a valid value, never a limit. */
const EXAMPLES: Record<string, string> = {
  RoomIdentifier: 'arn:aws:ivschat:us-east-1:123456789012:room/AAAAAAAAAAAA',
  ResourceArn: 'arn:aws:ivschat:us-east-1:123456789012:room/AAAAAAAAAAAA',
  LoggingConfigurationIdentifier: 'arn:aws:ivschat:us-east-1:123456789012:logging-configuration/AAAAAAAAAAAA',
  LambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
};

function baseString(shapeName: string): string {
  const s = model.shapes[shapeName];
  if (s.enum) return s.enum[0];
  if (EXAMPLES[shapeName]) return EXAMPLES[shapeName];
  for (const c of ['A', 'a', '0', 'x']) {
    const v = c.repeat(Math.max(s.min ?? 1, 1));
    if (matches(shapeName, v)) return v;
  }
  throw new Error(`no example for ${shapeName}; add one to EXAMPLES`);
}

/** A pattern-valid string of exactly `len` code points, or undefined when none can be built. */
function stringOfLength(shapeName: string, len: number): string | undefined {
  const base = baseString(shapeName);
  let v: string | undefined;
  if (len <= cpLen(base)) v = [...base].slice(0, len).join('');
  else {
    for (const c of ['A', 'a', '0', 'x']) {
      const cand = base + c.repeat(len - cpLen(base));
      if (matches(shapeName, cand)) {
        v = cand;
        break;
      }
    }
  }
  return v !== undefined && matches(shapeName, v) && cpLen(v) === len ? v : undefined;
}

function validValue(shapeName: string): unknown {
  const s = model.shapes[shapeName];
  switch (s.type) {
    case 'string':
      return baseString(shapeName);
    case 'integer':
    case 'long':
      return s.min ?? 1;
    case 'boolean':
      return true;
    case 'list':
      return Array.from({ length: Math.max(s.min ?? 0, 1) }, () => validValue(s.member!.shape));
    case 'map':
      return Object.fromEntries(Array.from({ length: s.min ?? 0 }, (_, i) => [`k${i}`, validValue(s.value!.shape)]));
    case 'structure': {
      if (s.union) {
        const [first, ref] = Object.entries(s.members ?? {})[0];
        return { [first]: validValue(ref.shape) };
      }
      return Object.fromEntries((s.required ?? []).map((m) => [m, validValue(s.members![m].shape)]));
    }
    default:
      throw new Error(`no valid value for ${shapeName} (${s.type})`);
  }
}

type Input = Record<string, unknown>;
interface Case {
  op: string;
  field: string;
  desc: string;
  outside: boolean;
  build: () => Input;
  /** The member travels in the URI or query string, where some values cannot be expressed. */
  location?: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const [op, def] of Object.entries(model.operations).sort(([a], [b]) => a.localeCompare(b))) {
    if (!def.input) continue;
    const inputShape = model.shapes[def.input.shape];
    const base = (): Input => validValue(def.input!.shape) as Input;
    for (const req of inputShape.required ?? []) {
      out.push({
        op,
        field: req,
        desc: 'required member missing',
        outside: true,
        build: () => {
          const i = base();
          delete i[req];
          return i;
        },
        location: inputShape.members![req].location,
      });
    }
    for (const [m, ref] of Object.entries(inputShape.members ?? {})) {
      walk(op, ref.shape, m, (v) => ({ ...base(), [m]: v }), ref.location, out);
    }
  }
  // What the model cannot say: attributes are "1 KB total" (UTF-8 bytes of keys and values).
  for (const op of ['CreateChatToken', 'SendEvent']) {
    const base = validValue(model.operations[op].input!.shape) as Input;
    out.push({
      op,
      field: 'attributes',
      desc: '1024 bytes in total',
      outside: false,
      build: () => ({ ...base, attributes: { kk: 'é'.repeat(511) } }),
    });
    out.push({
      op,
      field: 'attributes',
      desc: '1025 bytes in total',
      outside: true,
      build: () => ({ ...base, attributes: { kkk: 'é'.repeat(511) } }),
    });
  }
  return out;
}

function walk(op: string, shapeName: string, field: string, place: (v: unknown) => Input, location: string | undefined, out: Case[]): void {
  const s = model.shapes[shapeName];
  const add = (desc: string, outside: boolean, v: unknown): void => {
    out.push({ op, field, desc: `${shapeName} ${desc}`, outside, build: () => place(v), location });
  };
  switch (s.type) {
    case 'string': {
      if (s.enum) {
        add(`enum value ${s.enum[0]}`, false, s.enum[0]);
        add('value outside the enum', true, 'NOT_IN_ENUM');
        return;
      }
      if (s.min !== undefined && s.min > 0) add(`length ${s.min - 1} (< min ${s.min})`, true, 'x'.repeat(s.min - 1));
      if (s.min !== undefined) {
        const v = stringOfLength(shapeName, s.min);
        if (v !== undefined) add(`length ${s.min} (= min)`, false, v);
      }
      if (s.max !== undefined) {
        const inside = stringOfLength(shapeName, s.max);
        if (inside !== undefined) add(`length ${s.max} (= max)`, false, inside);
        const outside = stringOfLength(shapeName, s.max + 1) ?? 'x'.repeat(s.max + 1);
        add(`length ${s.max + 1} (> max)`, true, outside);
      }
      if (s.pattern !== undefined) {
        const good = baseString(shapeName);
        add('matching the pattern', false, good);
        const bad = [`${good}!`, `!${good}`, '!'].find(
          (c) => !matches(shapeName, c) && (s.max === undefined || cpLen(c) <= s.max) && cpLen(c) >= (s.min ?? 0),
        );
        if (bad !== undefined) add('not matching the anchored pattern', true, bad);
      }
      if (s.min !== undefined || s.max !== undefined || s.pattern !== undefined) add('of the wrong JSON type', true, 12);
      return;
    }
    case 'integer':
    case 'long':
      if (s.min !== undefined) {
        add(`${s.min - 1} (< min)`, true, s.min - 1);
        add(`${s.min} (= min)`, false, s.min);
      }
      if (s.max !== undefined) {
        add(`${s.max} (= max)`, false, s.max);
        add(`${s.max + 1} (> max)`, true, s.max + 1);
      }
      if (s.min !== undefined || s.max !== undefined) {
        add('as a string', true, String(s.min ?? 1));
        add('not an integer', true, (s.min ?? 1) + 0.5);
      }
      return;
    case 'list': {
      const el = (n: number): unknown[] => Array.from({ length: n }, () => validValue(s.member!.shape));
      if (s.min !== undefined && s.min > 0) add(`with ${s.min - 1} items (< min)`, true, el(s.min - 1));
      if (s.min !== undefined) add(`with ${s.min} items (= min)`, false, el(s.min));
      if (s.max !== undefined) {
        add(`with ${s.max} items (= max)`, false, el(s.max));
        add(`with ${s.max + 1} items (> max)`, true, el(s.max + 1));
      }
      walk(op, s.member!.shape, field, (v) => place([v]), location, out);
      return;
    }
    case 'map': {
      const entries = (n: number): Record<string, unknown> =>
        Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, validValue(s.value!.shape)]));
      if (s.min !== undefined && s.min > 0) add(`with ${s.min - 1} entries (< min)`, true, entries(s.min - 1));
      if (s.max !== undefined) {
        add(`with ${s.max} entries (= max)`, false, entries(s.max));
        add(`with ${s.max + 1} entries (> max)`, true, entries(s.max + 1));
      }
      const keyCases: Case[] = [];
      walk(op, s.key!.shape, field, (k) => place({ [String(k)]: validValue(s.value!.shape) }), location, keyCases);
      // A JSON object key is always a string: type cases for keys cannot be expressed.
      out.push(...keyCases.filter((c) => !c.desc.includes('wrong JSON type')));
      walk(op, s.value!.shape, field, (v) => place({ k: v }), location, out);
      return;
    }
    case 'structure': {
      for (const req of s.required ?? []) {
        out.push({
          op,
          field: `${field}.${req}`,
          desc: 'required member missing',
          outside: true,
          build: () => {
            const v = validValue(shapeName) as Input;
            delete v[req];
            return place(v);
          },
          location,
        });
      }
      for (const [m, ref] of Object.entries(s.members ?? {})) {
        walk(op, ref.shape, `${field}.${m}`, (v) => place({ ...(s.union ? {} : (validValue(shapeName) as Input)), [m]: v }), location, out);
      }
      return;
    }
  }
}

/** Lays the input out on the wire as the model's locations say. */
function request(op: string, input: Input): { method: string; path: string; body?: string; query: Record<string, string[]> } | undefined {
  const def = model.operations[op];
  const members = model.shapes[def.input!.shape].members ?? {};
  let path = def.http.requestUri;
  const query: Record<string, string[]> = {};
  const body: Input = {};
  for (const [k, v] of Object.entries(input)) {
    const ref = members[k];
    if (ref?.location === 'uri') {
      if (typeof v !== 'string' || v === '') return undefined; // an empty or non-string label cannot be routed
      path = path.replace(`{${ref.locationName ?? k}}`, encodeURIComponent(v));
    } else if (ref?.location === 'querystring') {
      const list = Array.isArray(v) ? v : [v];
      if (list.length === 0 || !list.every((x) => typeof x === 'string')) return undefined; // not expressible in a query
      query[ref.locationName ?? k] = list as string[];
    } else body[k] = v;
  }
  if (/\{[^}]+\}/.test(path)) return undefined; // required label missing: not routable
  return { method: def.http.method, path, body: def.http.method === 'POST' ? JSON.stringify(body) : undefined, query };
}

const table = cases();

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await start({ seed: false, quota: false });
});
afterAll(async () => {
  await emu.close();
});

describe('model-driven validation table', () => {
  it('covers every operation that has a constrained input', () => {
    const ops = new Set(table.map((c) => c.op));
    for (const [name, def] of Object.entries(model.operations)) {
      const shape = def.input ? model.shapes[def.input.shape] : undefined;
      if (shape?.required?.length || Object.keys(shape?.members ?? {}).length) expect(ops, name).toContain(name);
    }
    expect(table.length).toBeGreaterThan(150);
  });

  it('the exported validator agrees with every case, including those not expressible on the wire', () => {
    const wrong = table.filter((c) => {
      const names = validateInput(c.op, c.build()).map((e) => e.name);
      return c.outside ? !names.includes(c.field) : names.includes(c.field) && c.field !== 'nextToken';
    });
    expect(wrong.map((c) => `${c.op} ${c.field}: ${c.desc}`)).toEqual([]);
  });

  const title = (c: Case): string => `${c.op} ${c.field}: ${c.desc} -> ${c.outside ? '400' : 'not 400'}`;
  const wire = table.map((c) => ({ c, req: request(c.op, c.build()) }));
  // Not expressible on the wire (an empty URI label is not routed; an empty query list is absent).
  for (const { c } of wire.filter((w) => !w.req)) it.skip(title(c), () => {});

  it.each(wire.filter((w) => w.req).map((w) => [title(w.c), w.c, w.req!] as const))('%s', async (_name, c, req) => {
    const res = await signedFetch(emu, req.method, req.path, req.body, { query: req.query });
    if (c.outside) {
      expect(res.status).toBe(400);
      expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
      expect(res.json.reason).toBe('FIELD_VALIDATION_FAILED');
      const names = (res.json.fieldList as { name: string }[]).map((f) => f.name);
      expect(names).toContain(c.field);
    } else if (c.field === 'nextToken' && res.status === 400) {
      // Within the model's bounds but not a token we issued: refused for what it says, not its size.
      expect((res.json.fieldList as { message: string }[])[0].message).toBe('Invalid pagination token');
    } else {
      expect(res.status, res.text).not.toBe(400);
    }
  });
});
