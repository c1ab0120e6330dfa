// Schema inference from sample events, as discoverers and GetDiscoveredSchema do it: every event is reduced to a
// shape, shapes of the same schema merge (fields seen in any event, required only when present in all of them), and
// a shape renders as an OpenAPI 3 document in the layout of AWS's discovered schemas.
import { javaHashSetOrder } from './json-format.js';

export type Shape =
  | { readonly kind: 'object'; readonly props: Map<string, Shape>; readonly required: string[] }
  | { readonly kind: 'array'; readonly items: Shape | undefined }
  | { readonly kind: 'string'; readonly dateTime: boolean }
  | { readonly kind: 'number'; readonly integer: boolean }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'null' };

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

export function inferShape(value: unknown): Shape {
  if (value === null || value === undefined) return { kind: 'null' };
  if (Array.isArray(value)) {
    let items: Shape | undefined;
    for (const item of value) items = items ? mergeShapes(items, inferShape(item)) : inferShape(item);
    return { kind: 'array', items };
  }
  switch (typeof value) {
    case 'string':
      return { kind: 'string', dateTime: DATE_TIME.test(value) };
    case 'number':
      return { kind: 'number', integer: Number.isInteger(value) };
    case 'boolean':
      return { kind: 'boolean' };
    case 'object': {
      const props = new Map<string, Shape>();
      for (const [k, v] of Object.entries(value)) props.set(k, inferShape(v));
      return { kind: 'object', props, required: [...props.keys()] };
    }
    default:
      return { kind: 'null' };
  }
}

/** The shape that covers both; on a type conflict the type seen first stays. */
export function mergeShapes(a: Shape, b: Shape): Shape {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === 'object' && b.kind === 'object') {
    const props = new Map(a.props);
    for (const [k, v] of b.props) {
      const mine = props.get(k);
      props.set(k, mine ? mergeShapes(mine, v) : v);
    }
    const inB = new Set(b.required);
    return { kind: 'object', props, required: a.required.filter((k) => inB.has(k)) };
  }
  if (a.kind === 'array' && b.kind === 'array') {
    const items = a.items && b.items ? mergeShapes(a.items, b.items) : (a.items ?? b.items);
    return { kind: 'array', items };
  }
  if (a.kind === 'string' && b.kind === 'string') return { kind: 'string', dateTime: a.dateTime && b.dateTime };
  if (a.kind === 'number' && b.kind === 'number') return { kind: 'number', integer: a.integer && b.integer };
  return a;
}

/** Whether two shapes render the same, checked without rendering (the discoverer's per-event fast path). */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'object': {
      const o = b as Extract<Shape, { kind: 'object' }>;
      if (a.props.size !== o.props.size || a.required.length !== o.required.length) return false;
      for (const [k, v] of a.props) {
        const w = o.props.get(k);
        if (!w || !sameShape(v, w)) return false;
      }
      const required = new Set(o.required);
      return a.required.every((k) => required.has(k));
    }
    case 'array': {
      const items = (b as Extract<Shape, { kind: 'array' }>).items;
      return a.items === undefined || items === undefined ? a.items === items : sameShape(a.items, items);
    }
    case 'string':
      return a.dateTime === (b as Extract<Shape, { kind: 'string' }>).dateTime;
    case 'number':
      return a.integer === (b as Extract<Shape, { kind: 'number' }>).integer;
    default:
      return true;
  }
}

/** "EC2 Instance State-change Notification" -> "EC2InstanceStateChangeNotification". */
export function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** The name a discoverer gives the schema of an event: `SOURCE@DetailType`. */
export function discoveredSchemaName(source: string, detailType: string): string {
  const cleanSource = source.replace(/[^A-Za-z0-9._-]/g, '');
  return `${cleanSource}@${pascalCase(detailType) || 'Event'}`;
}

/** Whether a sample is an EventBridge event (and so gets the AWSEvent layout). */
export function isEnvelope(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.source === 'string' && typeof v['detail-type'] === 'string' && v.detail !== null && typeof v.detail === 'object' && !Array.isArray(v.detail);
}

type Json = Record<string, unknown>;

/** Renders shapes as OpenAPI component schemas, naming nested objects after their keys. */
class ComponentWriter {
  readonly components: Json = {};

  constructor(private readonly rootNames: readonly string[]) {}

  object(name: string, shape: Extract<Shape, { kind: 'object' }>): Json {
    const properties: Json = {};
    for (const key of [...shape.props.keys()].sort()) {
      properties[key] = this.property(name, key, shape.props.get(key) as Shape);
    }
    const out: Json = { type: 'object' };
    // AWS fills the HashSet from the sorted property names.
    if (shape.required.length > 0) out.required = javaHashSetOrder([...shape.required].sort());
    out.properties = properties;
    return out;
  }

  property(parent: string, key: string, shape: Shape, suffix = ''): Json {
    switch (shape.kind) {
      case 'object': {
        const ref = this.claim(parent, `${pascalCase(key) || 'Object'}${suffix}`);
        this.components[ref] = {};
        this.components[ref] = this.object(ref, shape);
        return { $ref: `#/components/schemas/${ref}` };
      }
      case 'array':
        return { type: 'array', items: shape.items ? this.property(parent, key, shape.items, 'Item') : { type: 'object' } };
      case 'string':
        return shape.dateTime ? { type: 'string', format: 'date-time' } : { type: 'string' };
      case 'number':
        return shape.integer ? { type: 'number' } : { type: 'number', format: 'double' };
      case 'boolean':
        return { type: 'boolean' };
      case 'null':
        return { type: 'object' };
    }
  }

  /** A component name not taken yet: the key's name, else prefixed by its parent's, else numbered. */
  private claim(parent: string, name: string): string {
    const free = (n: string): boolean => !(n in this.components) && !this.rootNames.includes(n);
    if (free(name)) return name;
    if (free(`${parent}${name}`)) return `${parent}${name}`;
    let i = 1;
    while (!free(`${name}${i}`)) i++;
    return `${name}${i}`;
  }
}

/** What a discovered schema is built from: the merged shape of its events and, for events, their source and type. */
export interface DiscoveredModel {
  readonly shape: Shape;
  readonly source?: string;
  readonly detailType?: string;
}

/** The OpenAPI 3 document of a merged shape. */
export function renderOpenApi(model: DiscoveredModel): Json {
  const { shape } = model;
  if (model.source !== undefined && model.detailType !== undefined && shape.kind === 'object') {
    const detailName = pascalCase(model.detailType) || 'Event';
    const writer = new ComponentWriter(['AWSEvent', detailName]);
    const detail = shape.props.get('detail');
    const properties: Json = { detail: { $ref: `#/components/schemas/${detailName}` } };
    for (const key of [...shape.props.keys()].sort()) {
      if (key === 'detail') continue;
      const s = shape.props.get(key) as Shape;
      if (key === 'resources') properties[key] = { type: 'array', items: { type: 'string' } };
      else if (key === 'time') properties[key] = { type: 'string', format: 'date-time' };
      else properties[key] = writer.property('AWSEvent', key, s);
    }
    const awsEvent: Json = {
      type: 'object',
      required: javaHashSetOrder([...shape.required].sort()),
      'x-amazon-events-detail-type': model.detailType,
      'x-amazon-events-source': model.source,
      properties,
    };
    const detailShape: Shape = detail?.kind === 'object' ? detail : { kind: 'object', props: new Map(), required: [] };
    const schemas: Json = { AWSEvent: awsEvent, [detailName]: {} };
    schemas[detailName] = writer.object(detailName, detailShape);
    Object.assign(schemas, writer.components);
    return document(detailName, schemas);
  }
  const writer = new ComponentWriter(['Event']);
  const root = shape.kind === 'object' ? writer.object('Event', shape) : { type: 'object' };
  return document('Event', { Event: root, ...writer.components });
}

function document(title: string, schemas: Json): Json {
  return { openapi: '3.0.0', info: { version: '1.0.0', title }, paths: {}, components: { schemas } };
}
