// fast-check arbitraries built from our generated service tables: any shape of any model, as a provider or an SDK
// caller would hold it (Date timestamps, Uint8Array blobs, plain JSON documents). Every member of a structure is
// optional, unions get exactly one member, and recursion is cut off at a depth limit.
import fc from 'fast-check';
import type { MemberModel, ServiceModel, Shape } from '../../models/types.js';
import { isScalar } from '../../models/types.js';

export interface ArbitraryOptions {
  /** Aggregates deeper than this are left out (default 4), so recursive shapes stay finite. */
  readonly maxDepth?: number;
  /** Most items in a list or entries in a map (default 3). */
  readonly maxItems?: number;
  /** 'xml' leaves out the characters XML 1.0 cannot carry (C0 controls except tab/LF/CR, U+FFFE, U+FFFF). */
  readonly strings?: 'unicode' | 'xml';
  /** Members (by name, at any depth) left out of generated structures: SDK-only switches such as EndpointId. */
  readonly omitMembers?: readonly string[];
  /**
   * Map keys include `__proto__` (default true). The SDK's JSON parser keeps such a key only for scalar values, so
   * response-direction tests of maps of structures turn it off.
   */
  readonly protoKeys?: boolean;
}

/** Strings that have broken codecs before: markup, entity look-alikes, line breaks, surrogate pairs, padding. */
const TRICKY_STRINGS = [
  '',
  ' ',
  '<a href="x">&amp;</a>',
  "it's \"quoted\"",
  ']]>',
  'a\r\nb\rc\nd',
  '\ttab',
  '  padded  ',
  'é ü ß 中文 العربية',
  '😀👍🏽',
  '&#x41;&lt;',
  '%20+=&?#',
  'a.b.member.1',
  '\u0085\u2028\u2029',
];

const MAP_KEYS = ['key', 'Name', 'with space', 'a&b<c>', 'ключ', 'constructor', 'toString'];

/** An arbitrary for the structure (or any shape) named `shapeName` in `model`. */
export function shapeArbitrary(
  model: ServiceModel,
  shapeName: string,
  options: ArbitraryOptions = {},
): fc.Arbitrary<Record<string, unknown>> {
  return new ArbitraryBuilder(model, options).member({ shape: shapeName }, 0) as fc.Arbitrary<Record<string, unknown>>;
}

/** An arbitrary for a value of one member of `model`. */
export function memberArbitrary(
  model: ServiceModel,
  member: MemberModel,
  options: ArbitraryOptions = {},
): fc.Arbitrary<unknown> {
  return new ArbitraryBuilder(model, options).member(member, 0);
}

/** Strings as the protocol allows them: a mix of tricky fixed strings, ASCII and full Unicode. */
export function stringArbitrary(kind: 'unicode' | 'xml' = 'unicode'): fc.Arbitrary<string> {
  const any = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...TRICKY_STRINGS) },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 20 }) },
    { weight: 3, arbitrary: fc.string({ unit: codePoint, maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  );
  return kind === 'xml' ? any.map(stripNonXml) : any;
}

/** Any Unicode scalar value (no lone surrogates); fast-check's own 'binary' unit takes seconds to build. */
const codePoint: fc.Arbitrary<string> = fc
  .oneof(fc.integer({ min: 0, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff }))
  .map((c) => String.fromCodePoint(c));

function stripNonXml(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) continue;
    out += ch;
  }
  return out;
}

class ArbitraryBuilder {
  private readonly maxDepth: number;
  private readonly maxItems: number;
  private readonly strings: fc.Arbitrary<string>;
  private readonly omit: ReadonlySet<string>;
  private readonly mapKeys: readonly string[];

  constructor(
    private readonly model: ServiceModel,
    options: ArbitraryOptions,
  ) {
    this.maxDepth = options.maxDepth ?? 4;
    this.maxItems = options.maxItems ?? 3;
    this.strings = stringArbitrary(options.strings ?? 'unicode');
    this.omit = new Set(options.omitMembers ?? []);
    this.mapKeys = options.protoKeys === false ? MAP_KEYS : [...MAP_KEYS, '__proto__'];
  }

  member(m: MemberModel, depth: number): fc.Arbitrary<unknown> {
    switch (m.shape) {
      case 'string':
        return this.strings;
      case 'boolean':
        return fc.boolean();
      case 'number':
        return m.location ? finiteNumber : numberArbitrary;
      case 'bigInteger':
        return fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String);
      case 'bigDecimal':
        return fc.integer().map((n) => `${n}.5`);
      case 'blob':
        return fc.uint8Array({ maxLength: 24 });
      case 'timestamp':
        return m.timestampFormat === 'http-date' ? wholeSecondDate : millisecondDate;
      case 'document':
        return documentArbitrary;
    }
    const shape = this.model.shapes[m.shape];
    if (!shape) throw new Error(`${this.model.name}: no shape ${m.shape}`);
    return this.aggregate(shape, depth);
  }

  private aggregate(shape: Shape, depth: number): fc.Arbitrary<unknown> {
    const next = depth + 1;
    if (shape.type === 'list') {
      return fc.array(this.member(shape.member, next), { maxLength: this.maxItems });
    }
    if (shape.type === 'map') {
      const key = shape.key.shape === 'string' ? fc.oneof(fc.constantFrom(...this.mapKeys), this.strings) : fc.string();
      return fc
        .uniqueArray(fc.tuple(key, this.member(shape.value, next)), {
          maxLength: this.maxItems,
          selector: ([k]) => k,
        })
        .map(toRecord);
    }
    const fields: Record<string, fc.Arbitrary<unknown>> = {};
    for (const name in shape.members) {
      const m = shape.members[name] as MemberModel;
      if (this.omit.has(name)) continue;
      if (depth >= this.maxDepth && !isScalar(m.shape)) continue;
      fields[name] = this.member(m, next);
    }
    if (shape.type === 'union') {
      const names = Object.keys(fields);
      if (names.length === 0) return fc.constant({});
      return fc.oneof(...names.map((n) => (fields[n] as fc.Arbitrary<unknown>).map((v) => ({ [n]: v }))));
    }
    return fc.record(fields, { requiredKeys: [] });
  }
}

/** Entries to a plain record; own data properties, so keys such as `__proto__` stay keys. */
function toRecord(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Integers and doubles alike: the tables do not tell them apart, and neither does the SDK's serializer. Magnitudes
 * stay below 2^53: on Node 21 and later the SDK's JSON reviver reads larger integers as BigInt (its big-number path),
 * which no integer or double member of these services carries.
 */
const finiteNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.maxSafeInteger() },
  {
    weight: 3,
    arbitrary: fc
      .double({ noNaN: true, noDefaultInfinity: true, min: -(2 ** 53) + 1, max: 2 ** 53 - 1 })
      .map((n) => (Object.is(n, -0) ? 0 : n)),
  },
);
/** Body numbers also take NaN and the infinities; HTTP-bound ones (status codes, headers, labels) stay finite. */
const numberArbitrary: fc.Arbitrary<number> = fc.oneof(
  { weight: 9, arbitrary: finiteNumber },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
);

const MIN_DATE = Date.UTC(1970, 0, 1);
const MAX_DATE = Date.UTC(2199, 11, 31);

const wholeSecondDate: fc.Arbitrary<Date> = fc
  .integer({ min: MIN_DATE / 1000, max: MAX_DATE / 1000 })
  .map((s) => new Date(s * 1000));
/** Both precisions: whole seconds are written without a fraction by some formats, so they get their own share. */
const millisecondDate: fc.Arbitrary<Date> = fc.oneof(
  wholeSecondDate,
  fc.integer({ min: MIN_DATE, max: MAX_DATE }).map((ms) => new Date(ms)),
);

const documentArbitrary: fc.Arbitrary<unknown> = fc
  .jsonValue({ maxDepth: 2 })
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown);
