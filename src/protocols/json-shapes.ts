// Shape-directed conversion between JSON documents and provider values, shared by awsJson and restJson1:
// timestamps are epoch seconds unless the member says otherwise, blobs are base64, documents pass through.
import { CommonErrors } from '../core/errors.js';
import type { MemberModel, ServiceModel, Shape, TimestampFormat } from '../models/types.js';
import { formatTimestamp, parseTimestamp } from './timestamps.js';

export interface JsonOptions {
  /** restJson1 honours jsonName; awsJson does not. */
  readonly useJsonName: boolean;
}

/** Converts a parsed JSON value of the given member's shape into the value a provider sees. */
export function readJsonValue(model: ServiceModel, member: MemberModel, value: unknown, opts: JsonOptions): unknown {
  if (value === null || value === undefined) return undefined;
  const name = member.shape;
  switch (name) {
    case 'string':
      if (typeof value !== 'string') throw typeMismatch('string', value);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw typeMismatch('boolean', value);
      return value;
    case 'number':
      if (typeof value === 'number') return value;
      if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
      throw typeMismatch('number', value);
    case 'bigInteger':
    case 'bigDecimal':
      if (typeof value !== 'number' && typeof value !== 'string') throw typeMismatch('number', value);
      return value;
    case 'blob':
      if (typeof value !== 'string') throw typeMismatch('blob', value);
      return Buffer.from(value, 'base64');
    case 'timestamp':
      return readTimestamp(value, member.timestampFormat ?? 'epoch-seconds');
    case 'document':
      return value;
    default:
      return readAggregate(model, shapeOf(model, name), value, opts);
  }
}

export function readJsonStructure(
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  opts: JsonOptions,
): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  return readAggregate(model, shapeOf(model, shapeName), value, opts) as Record<string, unknown>;
}

function readAggregate(model: ServiceModel, shape: Shape, value: unknown, opts: JsonOptions): unknown {
  if (shape.type === 'list') {
    if (!Array.isArray(value)) throw typeMismatch('list', value);
    const out: unknown[] = [];
    for (const item of value) {
      if (item === null) {
        if (shape.sparse) out.push(null);
        continue;
      }
      out.push(readJsonValue(model, shape.member, item, opts));
    }
    return out;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw typeMismatch(shape.type, value);
  const obj = value as Record<string, unknown>;
  if (shape.type === 'map') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      if (v === null) {
        if (shape.sparse) setEntry(out, key, null);
        continue;
      }
      setEntry(out, key, readJsonValue(model, shape.value, v, opts));
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const memberName in shape.members) {
    const m = shape.members[memberName] as MemberModel;
    if (m.location) continue;
    const wireName = opts.useJsonName && m.jsonName ? m.jsonName : memberName;
    const v = obj[wireName];
    if (v === undefined || v === null) continue;
    const converted = readJsonValue(model, m, v, opts);
    if (converted !== undefined) out[memberName] = converted;
  }
  if (shape.type === 'union' && obj.__type !== undefined) delete out.__type;
  return out;
}

/** Converts a provider value of the given member's shape into a JSON-ready value. */
export function writeJsonValue(model: ServiceModel, member: MemberModel, value: unknown, opts: JsonOptions): unknown {
  if (value === null || value === undefined) return undefined;
  const name = member.shape;
  switch (name) {
    case 'string':
    case 'boolean':
    case 'bigInteger':
    case 'bigDecimal':
      return value;
    case 'number':
      if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
      return value;
    case 'blob':
      return toBase64(value);
    case 'timestamp':
      return formatTimestamp(value as Date | number | string, member.timestampFormat ?? 'epoch-seconds');
    case 'document':
      return value;
    default:
      return writeAggregate(model, shapeOf(model, name), value, opts);
  }
}

export function writeJsonStructure(
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  opts: JsonOptions,
): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  return writeAggregate(model, shapeOf(model, shapeName), value, opts) as Record<string, unknown>;
}

function writeAggregate(model: ServiceModel, shape: Shape, value: unknown, opts: JsonOptions): unknown {
  if (shape.type === 'list') {
    const out: unknown[] = [];
    for (const item of value as Iterable<unknown>) {
      const v = writeJsonValue(model, shape.member, item, opts);
      if (v !== undefined) out.push(v);
      else if (shape.sparse) out.push(null);
    }
    return out;
  }
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (shape.type === 'map') {
    for (const key of Object.keys(obj)) {
      const v = writeJsonValue(model, shape.value, obj[key], opts);
      if (v !== undefined) setEntry(out, key, v);
      else if (shape.sparse) setEntry(out, key, null);
    }
    return out;
  }
  for (const memberName in shape.members) {
    const v = obj[memberName];
    if (v === undefined || v === null) continue;
    const m = shape.members[memberName] as MemberModel;
    if (m.location) continue;
    const converted = writeJsonValue(model, m, v, opts);
    if (converted !== undefined) out[opts.useJsonName && m.jsonName ? m.jsonName : memberName] = converted;
  }
  return out;
}

/** Sets a map entry; `__proto__` is a key like any other (plain assignment would replace the prototype). */
export function setEntry(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  } else out[key] = value;
}

export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`${model.name}: no shape ${name}`);
  return shape;
}

function readTimestamp(value: unknown, format: TimestampFormat): Date {
  const d = parseTimestamp(value, format);
  if (!d) throw typeMismatch('timestamp', value);
  return d;
}

export function toBase64(value: unknown): string {
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('base64');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  throw new TypeError('blob value must be a string or Uint8Array');
}

function typeMismatch(expected: string, value: unknown): Error {
  const got = Array.isArray(value) ? 'array' : typeof value;
  return CommonErrors.serialization(`Expected ${expected} but found ${got}.`);
}
