// awsQuery (https://smithy.io/2.0/aws/protocols/aws-query-protocol.html): POST a form with Action, Version and the
// input's members as flat keys (`Attribute.1.Name`; lists `Name.member.N` unless flattened, maps `Name.entry.N.key`);
// xmlName renames keys. The answer is XML: <OpResponse xmlns><OpResult>...</OpResult><ResponseMetadata/></OpResponse>,
// errors <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse> with the legacy code.
import { CommonErrors, ServiceError } from '../core/errors.js';
import type { MemberModel, OperationModel, ServiceModel, Shape, StructureShape } from '../models/types.js';
import type { Codec, DecodedRequest } from './codec.js';
import type { HttpRequest, HttpResponse } from './http.js';
import { setEntry, shapeOf, toBase64 } from './json-shapes.js';
import { formatTimestamp, parseTimestamp } from './timestamps.js';
import { escapeXml } from './xml.js';

/** Namespaces of services whose current model is not awsQuery but whose older clients still speak it. */
const QUERY_NAMESPACES: Record<string, string> = {
  sqs: 'http://queue.amazonaws.com/doc/2012-11-05/',
  cloudwatch: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
};

export function queryNamespace(model: ServiceModel): string {
  return QUERY_NAMESPACES[model.name] ?? model.xmlNamespace ?? '';
}

export function parseForm(body: Buffer): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
  return params;
}

export class AwsQueryCodec implements Codec {
  operationName(req: HttpRequest): string | undefined {
    return parseForm(req.body).get('Action');
  }

  decode(req: HttpRequest, model: ServiceModel): DecodedRequest {
    const params = parseForm(req.body);
    if (req.rawQuery) for (const [k, v] of new URLSearchParams(req.rawQuery)) if (!params.has(k)) params.set(k, v);
    const action = params.get('Action');
    if (!action) throw CommonErrors.missingParameter('Action');
    const operation = model.operations[action];
    if (!operation) throw CommonErrors.invalidAction(model.sdkId, action);
    const reader = new QueryReader(model, params);
    const input = operation.input ? reader.readStructure(shapeOf(model, operation.input), '') : {};
    return { operation, input };
  }

  encodeOutput(model: ServiceModel, operation: OperationModel, output: unknown, requestId: string): HttpResponse {
    const op = operation.name;
    let xml = `<?xml version="1.0"?><${op}Response xmlns="${queryNamespace(model)}">`;
    if (operation.output) {
      xml += `<${op}Result>`;
      xml += writeStructureBody(model, shapeOf(model, operation.output), output);
      xml += `</${op}Result>`;
    }
    xml += `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${op}Response>`;
    return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: xml };
  }

  encodeError(model: ServiceModel, error: ServiceError, requestId: string): HttpResponse {
    const shape = model.shapes[error.code] as StructureShape | undefined;
    const code = error.queryCode ?? shape?.error?.queryCode ?? error.code;
    const status = error.queryCode ? error.status : (shape?.error?.queryStatus ?? error.status);
    let extra = '';
    if (error.fields) {
      // Members the error shape declares are written by their shape (lists, structures, timestamps).
      for (const [k, v] of Object.entries(error.fields)) {
        if (v === undefined || v === null) continue;
        const member = shape?.members[k];
        extra += member ? writeMember(model, member, member.xmlName ?? k, v) : `<${k}>${escapeXml(String(v))}</${k}>`;
      }
    }
    const xml =
      `<?xml version="1.0"?><ErrorResponse xmlns="${queryNamespace(model)}"><Error>` +
      `<Type>${error.fault === 'server' ? 'Receiver' : 'Sender'}</Type><Code>${escapeXml(code)}</Code>` +
      `<Message>${escapeXml(error.message)}</Message>${extra}<Detail/></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`;
    return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: xml };
  }
}

class QueryReader {
  private keyIndex: { prefixes: Set<string>; indexes: Map<string, Set<number>> } | undefined;

  constructor(
    private readonly model: ServiceModel,
    private readonly params: Map<string, string>,
  ) {}

  readStructure(shape: Shape, prefix: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (shape.type !== 'structure' && shape.type !== 'union') return out;
    // Renamed members can share a key (SQS AttributeNames and MessageSystemAttributeNames are both AttributeName.N);
    // the key belongs to the first, as it did before the second existed.
    let renamed: string[] | undefined;
    for (const memberName in shape.members) {
      const m = shape.members[memberName] as MemberModel;
      if (m.xmlName) {
        if (renamed?.includes(m.xmlName)) continue;
        (renamed ??= []).push(m.xmlName);
      }
      const v = this.readMember(m, prefix + (m.xmlName ?? memberName));
      if (v !== undefined) out[memberName] = v;
    }
    return out;
  }

  private readMember(m: MemberModel, key: string): unknown {
    switch (m.shape) {
      case 'string':
        return this.params.get(key);
      case 'boolean': {
        const v = this.params.get(key);
        if (v === undefined) return undefined;
        if (v === 'true') return true;
        if (v === 'false') return false;
        throw invalidValue(key, v);
      }
      case 'number':
      case 'bigInteger':
      case 'bigDecimal': {
        const v = this.params.get(key);
        if (v === undefined) return undefined;
        const n = Number(v);
        // Doubles may be NaN, Infinity or -Infinity on the wire (Number reads the latter two already).
        if (v.trim() === '' || (Number.isNaN(n) && (v !== 'NaN' || m.shape !== 'number'))) throw invalidValue(key, v);
        return m.shape === 'number' ? n : v;
      }
      case 'blob': {
        const v = this.params.get(key);
        return v === undefined ? undefined : Buffer.from(v, 'base64');
      }
      case 'timestamp': {
        const v = this.params.get(key);
        if (v === undefined) return undefined;
        const d = parseTimestamp(v, m.timestampFormat ?? 'date-time');
        if (!d) throw invalidValue(key, v);
        return d;
      }
      case 'document':
        return this.params.get(key);
    }
    const shape = shapeOf(this.model, m.shape);
    if (shape.type === 'list') {
      const itemPrefix = m.xmlFlattened ? key : `${key}.${shape.member.xmlName ?? 'member'}`;
      const out: unknown[] = [];
      for (const i of this.indexesBelow(itemPrefix)) {
        const v = this.readMember(shape.member, `${itemPrefix}.${i}`);
        if (v !== undefined) out.push(v);
      }
      if (out.length === 0 && this.params.get(key) !== '') return undefined;
      return out;
    }
    if (shape.type === 'map') {
      const entryPrefix = m.xmlFlattened ? key : `${key}.entry`;
      const keyName = shape.key.xmlName ?? 'key';
      const valueName = shape.value.xmlName ?? 'value';
      const out: Record<string, unknown> = {};
      let any = false;
      for (const i of this.indexesBelow(entryPrefix)) {
        const entry = `${entryPrefix}.${i}`;
        const k = this.params.get(`${entry}.${keyName}`);
        if (k === undefined) continue;
        setEntry(out, k, this.readMember(shape.value, `${entry}.${valueName}`));
        any = true;
      }
      return any || this.params.get(key) === '' ? out : undefined;
    }
    return this.has(key) ? this.readStructure(shape, `${key}.`) : undefined;
  }

  /** True when the key, or any key below it, is present. */
  private has(key: string): boolean {
    return this.params.has(key) || this.index().prefixes.has(key);
  }

  /**
   * The item numbers present below `prefix` (`Tags.member` -> 1, 2, 4), in order. Not a count up to the first gap:
   * the SDK leaves out items that serialize to nothing (an empty structure), so later items follow a gap.
   */
  private indexesBelow(prefix: string): number[] {
    const found = this.index().indexes.get(prefix);
    return found ? [...found].sort((a, b) => a - b) : [];
  }

  private index(): { prefixes: Set<string>; indexes: Map<string, Set<number>> } {
    if (this.keyIndex) return this.keyIndex;
    const prefixes = new Set<string>();
    const indexes = new Map<string, Set<number>>();
    for (const k of this.params.keys()) {
      for (let dot = k.indexOf('.'); dot >= 0; dot = k.indexOf('.', dot + 1)) {
        const parent = k.slice(0, dot);
        prefixes.add(parent);
        const end = k.indexOf('.', dot + 1);
        const n = Number(k.slice(dot + 1, end < 0 ? k.length : end));
        if (Number.isInteger(n) && n > 0 && k.charCodeAt(dot + 1) !== 48) {
          let set = indexes.get(parent);
          if (!set) indexes.set(parent, (set = new Set()));
          set.add(n);
        }
      }
    }
    return (this.keyIndex = { prefixes, indexes });
  }
}

function invalidValue(key: string, value: string): ServiceError {
  return new ServiceError('InvalidParameterValue', `Value (${value}) for parameter ${key} is invalid.`, {
    status: 400,
  });
}

/** Writes the members of a structure as XML elements (awsQuery output rules). */
export function writeStructureBody(model: ServiceModel, shape: Shape, value: unknown): string {
  if (value === null || value === undefined || (shape.type !== 'structure' && shape.type !== 'union')) return '';
  const obj = value as Record<string, unknown>;
  let xml = '';
  for (const memberName in shape.members) {
    const v = obj[memberName];
    if (v === undefined || v === null) continue;
    const m = shape.members[memberName] as MemberModel;
    xml += writeMember(model, m, m.xmlName ?? memberName, v);
  }
  return xml;
}

function writeMember(model: ServiceModel, m: MemberModel, name: string, value: unknown): string {
  switch (m.shape) {
    case 'string':
    case 'bigInteger':
    case 'bigDecimal':
      return `<${name}>${escapeXml(String(value))}</${name}>`;
    case 'number':
      return `<${name}>${formatNumber(value as number)}</${name}>`;
    case 'boolean':
      return `<${name}>${value ? 'true' : 'false'}</${name}>`;
    case 'blob':
      return `<${name}>${toBase64(value)}</${name}>`;
    case 'timestamp':
      return `<${name}>${formatTimestamp(value as Date, m.timestampFormat ?? 'date-time')}</${name}>`;
    case 'document':
      return `<${name}>${escapeXml(JSON.stringify(value))}</${name}>`;
  }
  const shape = shapeOf(model, m.shape);
  if (shape.type === 'list') {
    let xml = '';
    if (m.xmlFlattened) {
      for (const item of value as unknown[]) xml += writeMember(model, shape.member, name, item);
      return xml;
    }
    const itemName = shape.member.xmlName ?? 'member';
    for (const item of value as unknown[]) xml += writeMember(model, shape.member, itemName, item);
    return `<${name}>${xml}</${name}>`;
  }
  if (shape.type === 'map') {
    const keyName = shape.key.xmlName ?? 'key';
    const valueName = shape.value.xmlName ?? 'value';
    let xml = '';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      const entry =
        `<${keyName}>${escapeXml(k)}</${keyName}>` + writeMember(model, shape.value, valueName, v);
      xml += m.xmlFlattened ? `<${name}>${entry}</${name}>` : `<entry>${entry}</entry>`;
    }
    return m.xmlFlattened ? xml : `<${name}>${xml}</${name}>`;
  }
  return `<${name}>${writeStructureBody(model, shape, value)}</${name}>`;
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}
