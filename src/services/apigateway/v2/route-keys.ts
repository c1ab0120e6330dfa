// HTTP API route keys (`METHOD /path`, `ANY /path`, `$default`) and how a request finds its route: the most specific
// match wins (a literal segment over `{param}`, over a greedy `{proxy+}`; a named method over ANY), then `$default`.
import { V2Errors } from './errors.js';

const METHODS = new Set(['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

export interface ParsedRouteKey {
  readonly key: string;
  readonly method: string;
  readonly segments: readonly Segment[];
}

/** Checks an HTTP API route key as CreateRoute and UpdateRoute do. */
export function validateHttpRouteKey(key: string | undefined): void {
  if (key === undefined || key === '') throw V2Errors.badRequest('Route key is required');
  if (key === '$default') return;
  parseRouteKey(key);
}

export function parseRouteKey(key: string): ParsedRouteKey {
  const space = key.indexOf(' ');
  const method = space < 0 ? key : key.slice(0, space);
  const path = space < 0 ? '' : key.slice(space + 1);
  if (!METHODS.has(method) || !path.startsWith('/')) {
    throw V2Errors.badRequest(
      `Invalid route key ${key}. A route key must be $default or an HTTP method (ANY, GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS) followed by a space and a path starting with /.`,
    );
  }
  const segments: Segment[] = [];
  const parts = path === '/' ? [] : path.slice(1).split('/');
  const names = new Set<string>();
  parts.forEach((part, i) => {
    if (part === '') throw V2Errors.badRequest(`Invalid route key ${key}. A path may not contain empty segments.`);
    const m = /^\{([A-Za-z0-9._-]+)(\+)?\}$/.exec(part);
    if (!m) {
      if (/[{}]/.test(part)) throw V2Errors.badRequest(`Invalid route key ${key}. Path parameters must take a whole path segment, as {name} or {name+}.`);
      segments.push({ kind: 'literal', value: part });
      return;
    }
    const name = m[1] ?? '';
    if (names.has(name)) throw V2Errors.badRequest(`Invalid route key ${key}. Path parameter ${name} is used more than once.`);
    names.add(name);
    if (m[2]) {
      if (i !== parts.length - 1) throw V2Errors.badRequest(`Invalid route key ${key}. A greedy path parameter {${name}+} must be the last segment of the path.`);
      segments.push({ kind: 'greedy', name });
    } else segments.push({ kind: 'param', name });
  });
  return { key, method, segments };
}

export interface RouteMatch<T> {
  readonly route: T;
  readonly pathParameters: Record<string, string> | undefined;
}

/**
 * The route for a request among routes keyed `METHOD /path`. `path` is the request path inside the stage, still
 * percent-encoded; parameters are decoded.
 */
export function matchRoute<T>(
  routes: Iterable<{ readonly key: string; readonly route: T }>,
  method: string,
  path: string,
): RouteMatch<T> | undefined {
  const parts = path === '/' || path === '' ? [] : path.replace(/^\//, '').replace(/\/$/, '').split('/');
  let best: { score: number[]; match: RouteMatch<T> } | undefined;
  let fallback: T | undefined;
  for (const { key, route } of routes) {
    if (key === '$default') {
      fallback = route;
      continue;
    }
    let parsed: ParsedRouteKey;
    try {
      parsed = parseRouteKey(key);
    } catch {
      continue;
    }
    if (parsed.method !== 'ANY' && parsed.method !== method) continue;
    const found = matchSegments(parsed.segments, parts);
    if (!found) continue;
    const score = [...found.score, parsed.method === 'ANY' ? 0 : 1];
    if (!best || compareScores(score, best.score) > 0) {
      best = { score, match: { route, pathParameters: found.params } };
    }
  }
  if (best) return best.match;
  return fallback === undefined ? undefined : { route: fallback, pathParameters: undefined };
}

function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): { score: number[]; params: Record<string, string> | undefined } | undefined {
  const score: number[] = [];
  let params: Record<string, string> | undefined;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as Segment;
    if (seg.kind === 'greedy') {
      if (i >= parts.length) return undefined;
      (params ??= {})[seg.name] = decode(parts.slice(i).join('/'));
      score.push(1);
      return { score, params };
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.kind === 'literal') {
      if (seg.value !== decode(part)) return undefined;
      score.push(3);
    } else {
      (params ??= {})[seg.name] = decode(part);
      score.push(2);
    }
  }
  if (segments.length !== parts.length) return undefined;
  // A full match outranks any greedy match of the same prefix.
  score.push(4);
  return { score, params };
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
