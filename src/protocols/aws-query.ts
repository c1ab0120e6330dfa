// awsQuery (https://smithy.io/2.0/aws/protocols/aws-query-protocol.html): POST a form with Action, Version and the
// input's members as flat keys (`Attribute.1.Name`; lists `Name.member.N` unless flattened, maps `Name.entry.N.key`);
// xmlName renames keys. The answer is XML: <OpResponse xmlns><OpResult>...</OpResult><ResponseMetadata/></OpResponse>,
// errors <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse> with the legacy code.
import { CommonErrors, ServiceError } from '../core/errors.js';
import type { MemberModel, OperationModel, ServiceModel, Shape, StructureShape } from '../models/types.js';
import type { Codec, DecodedRequest } from './codec.js';
import type { HttpRequest, HttpResponse } from './http.js';
import { shapeOf, toBase64 } from './json-shapes.js';
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
      for (const [k, v] of Object.entries(error.fields)) {
        if (v !== undefined && v !== null) extra += `<${k}>${escapeXml(String(v))}</${k}>`;
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
  private prefixes: Set<string> | undefined;

  constructor(
    private readonly model: ServiceModel,
    private readonly params: Map<string, string>,
  ) {}

  readStructure(shape: Shape, prefix: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (shape.type !== 'structure' && shape.type !== 'union') return out;
    for (const memberName in shape.members) {
      const m = shape.members[memberName] as MemberModel;
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
        if (v.trim() === '' || Number.isNaN(n)) throw invalidValue(key, v);
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
      for (let i = 1; ; i++) {
        const itemKey = `${itemPrefix}.${i}`;
        if (!this.has(itemKey)) break;
        const v = this.readMember(shape.member, itemKey);
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
      for (let i = 1; ; i++) {
        const entry = `${entryPrefix}.${i}`;
        if (!this.has(entry)) break;
        const k = this.params.get(`${entry}.${keyName}`);
        if (k === undefined) continue;
        out[k] = this.readMember(shape.value, `${entry}.${valueName}`);
        any = true;
      }
      return any || this.params.get(key) === '' ? out : undefined;
    }
    return this.has(key) ? this.readStructure(shape, `${key}.`) : undefined;
  }

  /** True when the key, or any key below it, is present. */
  private has(key: string): boolean {
    if (this.params.has(key)) return true;
    if (!this.prefixes) {
      this.prefixes = new Set();
      for (const k of this.params.keys()) {
        for (let i = k.indexOf('.'); i >= 0; i = k.indexOf('.', i + 1)) this.prefixes.add(k.slice(0, i));
      }
    }
    return this.prefixes.has(key);
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
