// Brings a value of a model shape to one canonical form, so that what a codec decoded and what the SDK built can be
// compared with toEqual: only the shape's members, blobs as plain Uint8Array, no -0, and what the protocol cannot
// carry (empty collections it omits, strings it trims) folded away on both sides alike.
import type { MemberModel, ServiceModel } from '../../models/types.js';

export interface NormaliseOptions {
  /** Empty lists count as absent: for protocols (and SDK parsers) that cannot tell the two apart. */
  readonly emptyListsAbsent?: boolean;
  /** Empty maps count as absent (awsQuery requests carry no trace of an empty map). */
  readonly emptyMapsAbsent?: boolean;
  /** Empty flattened lists and maps count as absent: XML writes no element at all for them. */
  readonly emptyFlattenedAbsent?: boolean;
  /** Empty structures count as absent: an XML element with no children may read back as nothing. */
  readonly emptyStructuresAbsent?: boolean;
  /** Empty strings count as absent. */
  readonly emptyStringsAbsent?: boolean;
  /**
   * Text of only whitespace with a line break reads as '' (the SDK's XML parser takes it for indentation, whatever
   * the escaping).
   */
  readonly blankLinesEmpty?: boolean;
}

/** The canonical form of `value`, a value of the shape `shapeName` (a structure, or any shape or scalar name). */
export function normalise(
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  options: NormaliseOptions = {},
): unknown {
  return normaliseMember(model, { shape: shapeName }, value, options);
}

function normaliseMember(model: ServiceModel, m: MemberModel, value: unknown, o: NormaliseOptions): unknown {
  if (value === null || value === undefined) return undefined;
  switch (m.shape) {
    case 'string':
      if (o.blankLinesEmpty && typeof value === 'string' && value.includes('\n') && value.trim() === '') return '';
      return o.emptyStringsAbsent && value === '' ? undefined : value;
    case 'boolean':
    case 'bigInteger':
    case 'bigDecimal':
      return value;
    case 'number':
      return Object.is(value, -0) ? 0 : value;
    case 'blob':
      if (typeof value === 'string') return new TextEncoder().encode(value);
      if (value instanceof Uint8Array) return Uint8Array.from(value);
      return value;
    case 'timestamp':
      return value instanceof Date ? new Date(value.getTime()) : value;
    case 'document':
      return JSON.parse(JSON.stringify(value)) as unknown;
  }
  const shape = model.shapes[m.shape];
  if (!shape) throw new Error(`${model.name}: no shape ${m.shape}`);
  if (shape.type === 'list') {
    if (!Array.isArray(value)) return value;
    const out: unknown[] = [];
    for (const item of value) {
      const v = normaliseMember(model, shape.member, item, o);
      if (v !== undefined || shape.sparse) out.push(v ?? null);
    }
    // A list whose items all count as absent was not on the wire either.
    if (out.length === 0 && (o.emptyListsAbsent || value.length > 0)) return undefined;
    return out;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (shape.type === 'map') {
    let n = 0;
    for (const raw of Object.keys(obj)) {
      const v = normaliseMember(model, shape.value, obj[raw], o);
      if (v === undefined && !shape.sparse) continue;
      // Map keys are XML text too: a blank line reads as ''.
      const key = o.blankLinesEmpty && raw.includes('\n') && raw.trim() === '' ? '' : raw;
      Object.defineProperty(out, key, { value: v ?? null, enumerable: true, writable: true, configurable: true });
      n++;
    }
    if (n === 0 && (o.emptyMapsAbsent || Object.keys(obj).length > 0)) return undefined;
    return out;
  }
  let n = 0;
  for (const name in shape.members) {
    const member = shape.members[name] as MemberModel;
    const v = normaliseMember(model, member, obj[name], o);
    if (v === undefined || (o.emptyFlattenedAbsent && member.xmlFlattened && isEmptyCollection(v))) continue;
    out[name] = v;
    n++;
  }
  return o.emptyStructuresAbsent && n === 0 ? undefined : out;
}

function isEmptyCollection(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : typeof v === 'object' && v !== null && Object.keys(v).length === 0;
}
