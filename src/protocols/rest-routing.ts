// Finds the operation of a REST request from its method, path and query against each operation's `http.uri`
// (https://smithy.io/2.0/spec/http-bindings.html#http-trait): `{Label}` matches one segment, `{Label+}` one or more;
// literals in the uri's query must be present. When several routes match, the most specific wins: at the first
// segment where they differ a literal beats a label and a label beats a greedy label, then more query literals win.
import { ServiceError } from '../core/errors.js';
import type { OperationModel, ServiceModel } from '../models/types.js';

export interface RouteMatch {
  readonly operation: OperationModel;
  /** Label values by member name, percent-decoded (a greedy label keeps its slashes). */
  readonly labels: Record<string, string>;
  /** Query keys that the uri itself fixes (`?mode=import`), which no queryParams map receives. */
  readonly literalQueryKeys: ReadonlyArray<readonly [string, string]>;
}

/** Decoded query parameters: every value of each key, in order. */
export type QueryParams = ReadonlyMap<string, readonly string[]>;

enum Kind {
  Literal = 0,
  Label = 1,
  Greedy = 2,
}

interface Segment {
  readonly kind: Kind;
  /** The literal text, or the label's member name. */
  readonly value: string;
}

interface Route {
  readonly operation: OperationModel;
  readonly segments: readonly Segment[];
  /** Literal query keys with their required value ('' means any value). */
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly greedy: boolean;
}

type RouteTable = ReadonlyMap<string, readonly Route[]>;

// Derived from the immutable generated models only, so sharing it between servers leaks no state.
const tables = new WeakMap<ServiceModel, RouteTable>();

export function matchRoute(model: ServiceModel, method: string, path: string, query: QueryParams): RouteMatch | undefined {
  const routes = routeTable(model).get(method.toUpperCase());
  if (!routes) return undefined;
  const parts = splitPath(path);
  for (const route of routes) {
    const labels = matchSegments(route, parts);
    if (labels && queryMatches(route, query)) return { operation: route.operation, labels, literalQueryKeys: route.query };
  }
  return undefined;
}

/** The answer to a request that names no operation of the service. */
export function unknownOperation(method: string, path: string): ServiceError {
  return new ServiceError('UnknownOperationException', `No operation matches ${method} ${path}.`, { status: 404 });
}

/** Parses a raw query string; `+` is a space, as in forms. */
export function parseQuery(rawQuery: string): QueryParams {
  const out = new Map<string, string[]>();
  if (rawQuery === '') return out;
  for (const [k, v] of new URLSearchParams(rawQuery)) {
    const values = out.get(k);
    if (values) values.push(v);
    else out.set(k, [v]);
  }
  return out;
}

function routeTable(model: ServiceModel): RouteTable {
  let table = tables.get(model);
  if (!table) {
    table = buildTable(model);
    tables.set(model, table);
  }
  return table;
}

function buildTable(model: ServiceModel): RouteTable {
  const byMethod = new Map<string, Route[]>();
  for (const name in model.operations) {
    const operation = model.operations[name] as OperationModel;
    if (!operation.http) continue;
    const route = parseUri(operation);
    const method = operation.http.method.toUpperCase();
    const list = byMethod.get(method);
    if (list) list.push(route);
    else byMethod.set(method, [route]);
  }
  for (const list of byMethod.values()) list.sort(compareSpecificity);
  return byMethod;
}

function parseUri(operation: OperationModel): Route {
  const uri = (operation.http as { uri: string }).uri;
  const q = uri.indexOf('?');
  const pathPart = q < 0 ? uri : uri.slice(0, q);
  const query: Array<[string, string]> = [];
  if (q >= 0) for (const [k, v] of new URLSearchParams(uri.slice(q + 1))) query.push([k, v]);
  const segments: Segment[] = [];
  let greedy = false;
  for (const raw of splitPath(pathPart)) {
    const label = /^\{([^{}+]+)(\+)?\}$/.exec(raw);
    if (!label) segments.push({ kind: Kind.Literal, value: safeDecode(raw) });
    else if (label[2]) {
      segments.push({ kind: Kind.Greedy, value: label[1] as string });
      greedy = true;
    } else segments.push({ kind: Kind.Label, value: label[1] as string });
  }
  return { operation, segments, query, greedy };
}

/** Splits `/a/b/` into ['a', 'b', '']: a trailing slash is a segment of its own, as the uri patterns write it. */
function splitPath(path: string): string[] {
  const parts = path.split('/');
  if (parts[0] === '') parts.shift();
  return parts;
}

function matchSegments(route: Route, parts: readonly string[]): Record<string, string> | undefined {
  const segs = route.segments;
  if (route.greedy ? parts.length < segs.length : segs.length !== parts.length) return undefined;
  // Literals first, so that a route that does not match allocates nothing.
  const extra = parts.length - segs.length;
  let p = 0;
  for (const seg of segs) {
    if (seg.kind === Kind.Greedy) {
      p += extra + 1;
      continue;
    }
    const part = parts[p++] as string;
    if (seg.kind === Kind.Literal ? part !== seg.value && safeDecode(part) !== seg.value : part === '') return undefined;
  }
  const labels: Record<string, string> = {};
  p = 0;
  for (const seg of segs) {
    if (seg.kind === Kind.Literal) {
      p++;
    } else if (seg.kind === Kind.Label) {
      labels[seg.value] = safeDecode(parts[p++] as string);
    } else {
      // The greedy label takes every part but those the segments after it need; it may not be empty.
      const taken = parts.slice(p, p + extra + 1).join('/');
      if (taken === '') return undefined;
      labels[seg.value] = safeDecode(taken);
      p += extra + 1;
    }
  }
  return labels;
}

function queryMatches(route: Route, query: QueryParams): boolean {
  for (const [key, value] of route.query) {
    const values = query.get(key);
    if (!values) return false;
    if (value !== '' && !values.includes(value)) return false;
  }
  return true;
}

function compareSpecificity(a: Route, b: Route): number {
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const d = (a.segments[i] as Segment).kind - (b.segments[i] as Segment).kind;
    if (d !== 0) return d;
  }
  if (a.segments.length !== b.segments.length) return b.segments.length - a.segments.length;
  return b.query.length - a.query.length;
}

function safeDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
