// restXml (https://smithy.io/2.0/aws/protocols/aws-restxml-protocol.html): HTTP bindings as in restJson1
// (rest-bindings.ts); the body is the payload member or the structure's unbound members as one root element (xmlName
// or shape name, with the service's xmlns). Members are elements named by xmlName, lists wrap items in <member>
// (or the item's xmlName) unless flattened, maps are <entry><key/><value/></entry>, xmlAttribute members are
// attributes, timestamps date-time, blobs base64. Errors: <ErrorResponse><Error><Type/><Code/><Message/>...</Error>
// <RequestId/></ErrorResponse>, which the SDK reads by Error.Code.
import { XMLParser } from 'fast-xml-parser';
import type { ServiceError } from '../core/errors.js';
import { CommonErrors } from '../core/errors.js';
import type { MemberModel, ServiceModel, StructureShape } from '../models/types.js';
import { isScalar } from '../models/types.js';
import type { HttpResponse } from './http.js';
import { shapeOf, toBase64 } from './json-shapes.js';
import {
  errorShapeOf,
  isResponseBinding,
  messageMemberOf,
  RestCodec,
  setEntry,
  structureOf,
  writeHeaderMembers,
} from './rest-bindings.js';
import { formatTimestamp } from './timestamps.js';
import { escapeXml } from './xml.js';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** A parsed element: its local name, attributes, child elements and concatenated text. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  removeNSPrefix: true,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

export class RestXmlCodec extends RestCodec {
  protected readonly contentType = 'application/xml';

  protected readBody(model: ServiceModel, shapeName: string, body: Buffer): Record<string, unknown> {
    return readStructure(model, structureOf(model, shapeName), parseXml(body), true);
  }

  protected readShapePayload(model: ServiceModel, member: MemberModel, body: Buffer): unknown {
    return readMember(model, member, [parseXml(body)]);
  }

  protected writeBody(model: ServiceModel, shapeName: string, value: Record<string, unknown>): string {
    const shape = structureOf(model, shapeName);
    return XML_DECLARATION + writeStructure(model, shape, value, shape.xmlName ?? shapeName, rootNamespace(model, shape));
  }

  protected writeShapePayload(model: ServiceModel, member: MemberModel, value: unknown): string {
    const shape = shapeOf(model, member.shape);
    if (shape.type !== 'structure' && shape.type !== 'union') {
      return XML_DECLARATION + writeMember(model, member, member.xmlName ?? member.shape, value);
    }
    const name = member.xmlName ?? shape.xmlName ?? member.shape;
    return XML_DECLARATION + writeStructure(model, shape, value, name, member.xmlNamespace ?? rootNamespace(model, shape));
  }

  encodeError(model: ServiceModel, error: ServiceError, requestId: string): HttpResponse {
    const shape = errorShapeOf(model, error.code);
    const headers: Record<string, string> = { 'content-type': 'application/xml', 'x-amzn-requestid': requestId };
    const messageMember = messageMemberOf(error, shape);
    let extra = '';
    if (shape && error.fields) {
      writeHeaderMembers(model, shape, error.fields, headers);
      for (const name in shape.members) {
        const m = shape.members[name] as MemberModel;
        const v = error.fields[name];
        const wire = m.xmlName ?? name;
        if (v === undefined || v === null || isResponseBinding(m) || name === messageMember || ENVELOPE.has(wire)) continue;
        extra += writeMember(model, m, wire, v);
      }
    } else if (error.fields) {
      for (const [k, v] of Object.entries(error.fields)) {
        if (v !== undefined && v !== null && !ENVELOPE.has(k)) extra += `<${k}>${escapeXml(String(v))}</${k}>`;
      }
    }
    const ns = model.xmlNamespace ? ` xmlns="${escapeXml(model.xmlNamespace)}"` : '';
    const body =
      `${XML_DECLARATION}<ErrorResponse${ns}><Error>` +
      `<Type>${error.fault === 'server' ? 'Receiver' : 'Sender'}</Type><Code>${escapeXml(error.code)}</Code>` +
      `<Message>${escapeXml(error.message)}</Message>${extra}</Error>` +
      `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
    return { status: shape?.error?.httpStatus ?? error.status, headers, body };
  }
}

/** The elements of the error envelope, which error members must not repeat. */
const ENVELOPE: ReadonlySet<string> = new Set(['Type', 'Code', 'Message']);

function rootNamespace(model: ServiceModel, shape: StructureShape): string | undefined {
  return shape.xmlNamespace ?? model.xmlNamespace;
}

/** Parses an XML document into its root element; throws a SerializationException when there is none. */
export function parseXml(body: Buffer): XmlElement {
  let nodes: unknown;
  try {
    nodes = parser.parse(body.toString('utf8'));
  } catch {
    throw CommonErrors.serialization('Malformed XML: the request body is not valid XML.');
  }
  const root = Array.isArray(nodes) ? toElements(nodes)[0] : undefined;
  if (!root) throw CommonErrors.serialization('Malformed XML: the request body has no root element.');
  return root;
}

function toElements(nodes: readonly unknown[]): XmlElement[] {
  const out: XmlElement[] = [];
  for (const node of nodes) {
    if (node === null || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key === ':@' || key === '#text') continue;
      const content = record[key];
      const children = Array.isArray(content) ? content : [];
      let text = '';
      for (const child of children) {
        const t = (child as Record<string, unknown> | null)?.['#text'];
        if (t !== undefined) text += String(t);
      }
      const rawAttrs = record[':@'];
      const attrs: Record<string, string> = {};
      if (rawAttrs && typeof rawAttrs === 'object') {
        for (const [k, v] of Object.entries(rawAttrs as Record<string, unknown>)) attrs[k] = String(v);
      }
      out.push({ name: key, attrs, children: toElements(children), text });
    }
  }
  return out;
}

function readStructure(model: ServiceModel, shape: StructureShape, el: XmlElement, top = false): Record<string, unknown> {
  const byName = new Map<string, XmlElement[]>();
  for (const child of el.children) {
    const list = byName.get(child.name);
    if (list) list.push(child);
    else byName.set(child.name, [child]);
  }
  const out: Record<string, unknown> = {};
  for (const name in shape.members) {
    const m = shape.members[name] as MemberModel;
    if (top && m.location) continue;
    const wire = m.xmlName ?? name;
    if (m.xmlAttribute) {
      const text = el.attrs[wire];
      if (text !== undefined) out[name] = readScalar(m, text);
      continue;
    }
    const nodes = byName.get(wire);
    if (!nodes) continue;
    const v = readMember(model, m, nodes);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** Reads a member from its elements (several only for a flattened list or map). */
function readMember(model: ServiceModel, m: MemberModel, nodes: readonly XmlElement[]): unknown {
  const first = nodes[0];
  if (!first) return undefined;
  if (isScalar(m.shape)) return readScalar(m, first.text);
  const shape = shapeOf(model, m.shape);
  if (shape.type === 'list') {
    const items = m.xmlFlattened ? nodes : first.children.filter((c) => c.name === (shape.member.xmlName ?? 'member'));
    return items.map((item) => readMember(model, shape.member, [item]));
  }
  if (shape.type === 'map') {
    const keyName = shape.key.xmlName ?? 'key';
    const valueName = shape.value.xmlName ?? 'value';
    const entries = m.xmlFlattened ? nodes : first.children.filter((c) => c.name === 'entry');
    const out: Record<string, unknown> = {};
    for (const entry of entries) {
      const key = entry.children.find((c) => c.name === keyName);
      const value = entry.children.find((c) => c.name === valueName);
      if (!key) continue;
      setEntry(out, key.text, value ? readMember(model, shape.value, [value]) : undefined);
    }
    return out;
  }
  return readStructure(model, shape, first);
}

function readScalar(m: MemberModel, text: string): unknown {
  switch (m.shape) {
    case 'string':
    case 'bigInteger':
    case 'bigDecimal':
    case 'document':
      return text;
    case 'boolean': {
      const t = text.trim();
      if (t === 'true') return true;
      if (t === 'false') return false;
      throw CommonErrors.serialization(`Expected a boolean but found "${text}".`);
    }
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || (Number.isNaN(n) && text.trim() !== 'NaN')) {
        throw CommonErrors.serialization(`Expected a number but found "${text}".`);
      }
      return n;
    }
    case 'blob':
      return Buffer.from(text, 'base64');
    case 'timestamp': {
      const t = text.trim();
      const format = m.timestampFormat ?? 'date-time';
      const ms = format === 'epoch-seconds' || /^-?\d+(\.\d+)?$/.test(t) ? Math.round(Number(t) * 1000) : Date.parse(t);
      if (Number.isNaN(ms)) throw CommonErrors.serialization(`Expected a timestamp but found "${text}".`);
      return new Date(ms);
    }
    default:
      return text;
  }
}

function writeStructure(
  model: ServiceModel,
  shape: StructureShape,
  value: unknown,
  name: string,
  namespace: string | undefined,
): string {
  const obj = (value ?? {}) as Record<string, unknown>;
  let attrs = namespace ? ` xmlns="${escapeXml(namespace)}"` : '';
  let body = '';
  for (const memberName in shape.members) {
    const v = obj[memberName];
    if (v === undefined || v === null) continue;
    const m = shape.members[memberName] as MemberModel;
    if (isResponseBinding(m)) continue;
    const wire = m.xmlName ?? memberName;
    if (m.xmlAttribute) attrs += ` ${wire}="${escapeXml(scalarText(m, v))}"`;
    else body += writeMember(model, m, wire, v, namespace);
  }
  return `<${name}${attrs}>${body}</${name}>`;
}

function writeMember(model: ServiceModel, m: MemberModel, name: string, value: unknown, parentNs?: string): string {
  const ns = m.xmlNamespace && m.xmlNamespace !== parentNs ? m.xmlNamespace : undefined;
  const nsAttr = ns ? ` xmlns="${escapeXml(ns)}"` : '';
  const inner = ns ?? parentNs;
  if (isScalar(m.shape)) return `<${name}${nsAttr}>${escapeXml(scalarText(m, value))}</${name}>`;
  const shape = shapeOf(model, m.shape);
  if (shape.type === 'list') {
    let xml = '';
    if (m.xmlFlattened) {
      for (const item of value as unknown[]) {
        if (item !== undefined && item !== null) xml += writeMember(model, shape.member, name, item, parentNs);
      }
      return xml;
    }
    const itemName = shape.member.xmlName ?? 'member';
    for (const item of value as unknown[]) {
      if (item !== undefined && item !== null) xml += writeMember(model, shape.member, itemName, item, inner);
    }
    return `<${name}${nsAttr}>${xml}</${name}>`;
  }
  if (shape.type === 'map') {
    const keyName = shape.key.xmlName ?? 'key';
    const valueName = shape.value.xmlName ?? 'value';
    let xml = '';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      const entry = `<${keyName}>${escapeXml(k)}</${keyName}>${writeMember(model, shape.value, valueName, v, inner)}`;
      xml += m.xmlFlattened ? `<${name}${nsAttr}>${entry}</${name}>` : `<entry>${entry}</entry>`;
    }
    return m.xmlFlattened ? xml : `<${name}${nsAttr}>${xml}</${name}>`;
  }
  return writeStructure(model, shape, value, name, ns);
}

function scalarText(m: MemberModel, value: unknown): string {
  switch (m.shape) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'blob':
      return toBase64(value);
    case 'timestamp':
      return String(formatTimestamp(value as Date, m.timestampFormat ?? 'date-time'));
    case 'document':
      return typeof value === 'string' ? value : JSON.stringify(value);
    default:
      return String(value);
  }
}
