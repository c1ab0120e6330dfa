// The HTTP bindings that restJson1 and restXml share (https://smithy.io/2.0/spec/http-bindings.html): labels, query
// strings, headers, prefix headers, the status code and the payload member. Each codec adds only its body format.
// Binding defaults: timestamps are http-date in headers and date-time in labels and query strings; header lists are
// comma-separated with quoting; a JSON-valued (mediaType) header string is base64.
import { CommonErrors } from '../core/errors.js';
import type { ServiceError } from '../core/errors.js';
import type { ListShape, MapShape, MemberModel, OperationModel, ServiceModel, StructureShape } from '../models/types.js';
import { isScalar } from '../models/types.js';
import type { Codec, DecodedRequest } from './codec.js';
import type { HttpRequest, HttpResponse } from './http.js';
import { header } from './http.js';
import { shapeOf, toBase64 } from './json-shapes.js';
import type { QueryParams } from './rest-routing.js';
import { matchRoute, parseQuery, unknownOperation } from './rest-routing.js';
import { formatTimestamp } from './timestamps.js';

type HttpLocation = 'label' | 'query' | 'header';

export interface EncodedPayload {
  readonly body: string | Buffer;
  readonly contentType: string;
}

/** A REST protocol: HTTP bindings here, the body format in the subclass. */
export abstract class RestCodec implements Codec {
  /** The content type of a body or structure payload. */
  protected abstract readonly contentType: string;

  /** Reads the members of the input structure that travel in the body. */
  protected abstract readBody(model: ServiceModel, shapeName: string, body: Buffer): Record<string, unknown>;
  /** Reads a structure, union or document payload member. */
  protected abstract readShapePayload(model: ServiceModel, member: MemberModel, body: Buffer): unknown;
  /** Writes the body members of an output structure. */
  protected abstract writeBody(model: ServiceModel, shapeName: string, value: Record<string, unknown>): string;
  /** Writes a structure, union or document payload member. */
  protected abstract writeShapePayload(model: ServiceModel, member: MemberModel, value: unknown): string;

  abstract encodeError(model: ServiceModel, error: ServiceError, requestId: string, operation?: OperationModel): HttpResponse;

  operationName(req: HttpRequest, model: ServiceModel): string | undefined {
    return matchRoute(model, req.method, req.path, parseQuery(req.rawQuery))?.operation.name;
  }

  decode(req: HttpRequest, model: ServiceModel): DecodedRequest {
    const query = parseQuery(req.rawQuery);
    const match = matchRoute(model, req.method, req.path, query);
    if (!match) throw unknownOperation(req.method, req.path);
    const operation = match.operation;
    if (!operation.input) return { operation, input: {} };
    const shape = structureOf(model, operation.input);
    const input: Record<string, unknown> = {};
    let payload: string | undefined;
    let hasBody = false;
    let queryParams: string | undefined;
    for (const name in shape.members) {
      const m = shape.members[name] as MemberModel;
      let v: unknown;
      switch (m.location) {
        case 'label': {
          const text = match.labels[name];
          if (text !== undefined) v = readHttpValue(model, m, text, 'label');
          break;
        }
        case 'query': {
          const values = query.get(m.locationName ?? name);
          if (values) v = readQueryValue(model, m, values);
          break;
        }
        case 'queryParams':
          queryParams = name;
          break;
        case 'header': {
          const text = header(req, (m.locationName ?? name).toLowerCase());
          if (text !== undefined) v = readHttpValue(model, m, text, 'header');
          break;
        }
        case 'headers':
          v = readPrefixHeaders(model, m, req);
          break;
        case 'payload':
          payload = name;
          break;
        case 'statusCode':
          break;
        default:
          hasBody = true;
      }
      if (v !== undefined) input[name] = v;
    }
    if (queryParams !== undefined) {
      const v = readQueryParams(model, shape, shape.members[queryParams] as MemberModel, query, match.literalQueryKeys);
      if (v !== undefined) input[queryParams] = v;
    }
    if (payload !== undefined) {
      const v = this.readPayload(model, shape.members[payload] as MemberModel, req.body);
      if (v !== undefined) input[payload] = v;
    } else if (hasBody && req.body.length > 0) {
      Object.assign(input, this.readBody(model, operation.input, req.body));
    }
    return { operation, input };
  }

  encodeOutput(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): HttpResponse {
    const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
    let status = operation.http?.code ?? 200;
    let body: string | Buffer = '';
    if (operation.output) {
      const shape = structureOf(model, operation.output);
      const obj = (output ?? {}) as Record<string, unknown>;
      let payload: string | undefined;
      let hasBody = false;
      for (const name in shape.members) {
        const m = shape.members[name] as MemberModel;
        if (m.location === 'payload') payload = name;
        else if (m.location === 'statusCode') {
          const code = obj[name];
          if (typeof code === 'number' && Number.isInteger(code) && code >= 100 && code <= 999) status = code;
        } else if (!isResponseBinding(m)) hasBody = true;
      }
      if (payload !== undefined) {
        const encoded = this.writePayload(model, shape.members[payload] as MemberModel, obj[payload]);
        if (encoded) {
          headers['content-type'] = encoded.contentType;
          body = encoded.body;
        }
      } else if (hasBody) {
        headers['content-type'] = this.contentType;
        body = this.writeBody(model, operation.output, obj);
      }
      writeHeaderMembers(model, shape, obj, headers);
    }
    if (status === 204 || status === 304) body = '';
    return { status, headers, body };
  }

  private readPayload(model: ServiceModel, m: MemberModel, body: Buffer): unknown {
    if (body.length === 0) return undefined;
    if (m.shape === 'blob') return body;
    if (m.shape === 'string') return body.toString('utf8');
    return this.readShapePayload(model, m, body);
  }

  private writePayload(model: ServiceModel, m: MemberModel, value: unknown): EncodedPayload | undefined {
    if (value === undefined || value === null) return undefined;
    if (m.shape === 'blob') {
      const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : toBuffer(value);
      return { body: bytes, contentType: 'application/octet-stream' };
    }
    if (m.shape === 'string') return { body: String(value), contentType: 'text/plain' };
    return { body: this.writeShapePayload(model, m, value), contentType: this.contentType };
  }
}

/**
 * True for the members that a response carries outside its body. Labels and query members mean nothing in a
 * response: there they are body members like any other (the SDK reads them from the body).
 */
export function isResponseBinding(m: MemberModel): boolean {
  return m.location === 'header' || m.location === 'headers' || m.location === 'payload' || m.location === 'statusCode';
}

/** The structure shape of an operation's input, output or error. */
export function structureOf(model: ServiceModel, name: string): StructureShape {
  const shape = shapeOf(model, name);
  if (shape.type !== 'structure' && shape.type !== 'union') throw new Error(`${model.name}: ${name} is not a structure`);
  return shape;
}

/** Writes the header and prefix-header members of an output or error structure. */
export function writeHeaderMembers(
  model: ServiceModel,
  shape: StructureShape,
  value: Record<string, unknown>,
  headers: Record<string, string>,
): void {
  for (const name in shape.members) {
    const m = shape.members[name] as MemberModel;
    if (m.location !== 'header' && m.location !== 'headers') continue;
    const v = value[name];
    if (v === undefined || v === null) continue;
    if (m.location === 'header') {
      headers[(m.locationName ?? name).toLowerCase()] = writeHeaderValue(model, m, v);
      continue;
    }
    const map = shapeOf(model, m.shape) as MapShape;
    const prefix = (m.locationName ?? '').toLowerCase();
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
      if (item !== undefined && item !== null) headers[prefix + k.toLowerCase()] = writeHeaderValue(model, map.value, item);
    }
  }
}

function writeHeaderValue(model: ServiceModel, m: MemberModel, value: unknown): string {
  if (isScalar(m.shape)) return writeHttpScalar(m, value, 'header');
  const list = shapeOf(model, m.shape) as ListShape;
  const item = list.member;
  const isTimestamp = item.shape === 'timestamp';
  let out = '';
  for (const v of value as unknown[]) {
    if (v === undefined || v === null) continue;
    const text = writeHttpScalar({ ...item, timestampFormat: item.timestampFormat ?? m.timestampFormat }, v, 'header');
    if (out !== '') out += ', ';
    out += isTimestamp ? text : quoteHeaderItem(text);
  }
  return out;
}

/** Converts a provider value of a scalar member into its label, query or header text. */
export function writeHttpScalar(m: MemberModel, value: unknown, location: HttpLocation): string {
  switch (m.shape) {
    case 'timestamp':
      return String(formatTimestamp(value as Date, m.timestampFormat ?? defaultTimestampFormat(location)));
    case 'blob':
      return toBase64(value);
    case 'string':
      if (m.jsonValue && location === 'header') {
        return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64');
      }
      return String(value);
    case 'document':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

function readQueryValue(model: ServiceModel, m: MemberModel, values: readonly string[]): unknown {
  if (isScalar(m.shape)) return readHttpValue(model, m, values[0] as string, 'query');
  const list = shapeOf(model, m.shape);
  if (list.type !== 'list') return undefined;
  const item = { ...list.member, timestampFormat: list.member.timestampFormat ?? m.timestampFormat };
  return values.map((v) => readHttpScalar(item, v, 'query'));
}

function readQueryParams(
  model: ServiceModel,
  shape: StructureShape,
  m: MemberModel,
  query: QueryParams,
  literals: ReadonlyArray<readonly [string, string]>,
): Record<string, unknown> | undefined {
  const map = shapeOf(model, m.shape) as MapShape;
  const valueShape = isScalar(map.value.shape) ? undefined : shapeOf(model, map.value.shape);
  const claimed = new Set<string>();
  for (const [k] of literals) claimed.add(k);
  for (const name in shape.members) {
    const other = shape.members[name] as MemberModel;
    if (other.location === 'query') claimed.add(other.locationName ?? name);
  }
  let out: Record<string, unknown> | undefined;
  for (const [key, values] of query) {
    if (claimed.has(key)) continue;
    out ??= {};
    setEntry(
      out,
      key,
      valueShape?.type === 'list'
        ? values.map((v) => readHttpScalar(valueShape.member, v, 'query'))
        : readHttpScalar(map.value, values[0] as string, 'query'),
    );
  }
  return out;
}

function readPrefixHeaders(model: ServiceModel, m: MemberModel, req: HttpRequest): Record<string, unknown> | undefined {
  const map = shapeOf(model, m.shape) as MapShape;
  const prefix = (m.locationName ?? '').toLowerCase();
  let out: Record<string, unknown> | undefined;
  for (const name in req.headers) {
    if (!name.startsWith(prefix)) continue;
    const text = header(req, name);
    if (text === undefined) continue;
    out ??= {};
    setEntry(out, name.slice(prefix.length), readHttpValue(model, map.value, text, 'header'));
  }
  return out;
}

function readHttpValue(model: ServiceModel, m: MemberModel, text: string, location: HttpLocation): unknown {
  if (isScalar(m.shape)) return readHttpScalar(m, text, location);
  const list = shapeOf(model, m.shape);
  if (list.type !== 'list') return undefined;
  const item = { ...list.member, timestampFormat: list.member.timestampFormat ?? m.timestampFormat };
  if (text.trim() === '') return [];
  const parts =
    item.shape === 'timestamp' && (item.timestampFormat ?? 'http-date') === 'http-date'
      ? splitHttpDates(text)
      : splitHeaderList(text);
  return parts.map((p) => readHttpScalar(item, p, location));
}

/** Converts label, query or header text into the provider value of a scalar member. */
export function readHttpScalar(m: MemberModel, text: string, location: HttpLocation): unknown {
  switch (m.shape) {
    case 'string':
      if (m.jsonValue && location === 'header') return Buffer.from(text, 'base64').toString('utf8');
      return text;
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw CommonErrors.serialization(`Expected a boolean but found "${text}".`);
    }
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || (Number.isNaN(n) && text !== 'NaN')) {
        throw CommonErrors.serialization(`Expected a number but found "${text}".`);
      }
      return n;
    }
    case 'blob':
      return Buffer.from(text, 'base64');
    case 'timestamp':
      return readHttpTimestamp(text, m.timestampFormat ?? defaultTimestampFormat(location));
    default:
      return text;
  }
}

function readHttpTimestamp(text: string, format: 'date-time' | 'http-date' | 'epoch-seconds'): Date {
  const trimmed = text.trim();
  let ms: number;
  if (format === 'epoch-seconds' || /^-?\d+(\.\d+)?$/.test(trimmed)) ms = Math.round(Number(trimmed) * 1000);
  else ms = Date.parse(trimmed);
  if (Number.isNaN(ms)) throw CommonErrors.serialization(`Expected a timestamp but found "${text}".`);
  return new Date(ms);
}

function defaultTimestampFormat(location: HttpLocation): 'date-time' | 'http-date' {
  return location === 'header' ? 'http-date' : 'date-time';
}

/** Splits a header list on commas outside double quotes, unquoting quoted items. */
export function splitHeaderList(text: string): string[] {
  const items: string[] = [];
  let quoted = false;
  let escaped = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && !escaped) quoted = !quoted;
    else if (c === ',' && !quoted) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
    escaped = c === '\\' && !escaped;
  }
  items.push(text.slice(start));
  return items.map((raw) => {
    const v = raw.trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(["\\])/g, '$1');
    return v;
  });
}

/** Http-dates contain a comma of their own (`Mon, 01 Jan 2024 ...`): a list of them splits on every second comma. */
function splitHttpDates(text: string): string[] {
  const parts = text.split(',');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i += 2) out.push(`${parts[i] ?? ''},${parts[i + 1] ?? ''}`.trim());
  return out;
}

function quoteHeaderItem(text: string): string {
  if (!text.includes(',') && !text.includes('"')) return text;
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError('blob value must be a string or Uint8Array');
}

/** Sets a map entry; `__proto__` is a key like any other (plain assignment would replace the prototype). */
export function setEntry(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** The name of the error structure's message member (`message` or `Message`), as the provider sets it. */
export function messageMemberOf(error: ServiceError, shape: StructureShape | undefined): string {
  if (error.messageMember) return error.messageMember;
  if (shape?.members.message) return 'message';
  if (shape?.members.Message) return 'Message';
  return 'message';
}

/** The error structure of an error code, when the model declares one. */
export function errorShapeOf(model: ServiceModel, code: string): StructureShape | undefined {
  const shape = model.shapes[code];
  return shape && shape.type === 'structure' && shape.error ? shape : undefined;
}
