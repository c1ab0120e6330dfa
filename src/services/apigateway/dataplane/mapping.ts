// Mapping templates (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html):
// Velocity (velocityjs) with `$input`, `$util`, `$context` and `$stageVariables`, and the parameter mapping expressions
// (`method.request.header.X`, `'literal'`, `integration.response.body.path`). Undefined references render empty.
import { Compile, parse } from 'velocityjs';

/** The request's parameters as `$input.params()` sees them: path, querystring, header. */
export interface RequestParams {
  readonly path: Record<string, string>;
  readonly querystring: Record<string, string>;
  readonly header: Record<string, string>;
  readonly multiQuerystring: Record<string, string[]>;
  readonly multiHeader: Record<string, string[]>;
}

export interface TemplateScope {
  readonly body: string;
  readonly params: RequestParams;
  readonly context: Record<string, unknown>;
  readonly stageVariables: Record<string, string>;
}

export class TemplateError extends Error {}

const WILDCARD = Symbol('*');

/** JSONPath as AWS's $input.json/$input.path take it: `$`, `$.a.b`, `$['a'][0]`, `$.a[*].b`. */
export function jsonPath(value: unknown, path: string): unknown {
  const p = path.trim();
  if (!p.startsWith('$')) return undefined;
  const tokens: Array<string | number | typeof WILDCARD> = [];
  const re = /\.([A-Za-z0-9_$@-]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]|\[\*\]|\.\*/g;
  let at = 1;
  for (let m = re.exec(p); m; m = re.exec(p)) {
    if (m.index !== at) return undefined;
    at = m.index + m[0].length;
    if (m[1] !== undefined) tokens.push(m[1]);
    else if (m[2] !== undefined) tokens.push(Number(m[2]));
    else if (m[3] !== undefined) tokens.push(m[3]);
    else if (m[4] !== undefined) tokens.push(m[4]);
    else tokens.push(WILDCARD);
  }
  if (at !== p.length) return undefined;
  let current: unknown[] = [value];
  let many = false;
  for (const t of tokens) {
    const next: unknown[] = [];
    for (const v of current) {
      if (v === null || typeof v !== 'object') continue;
      if (t === WILDCARD) {
        next.push(...(Array.isArray(v) ? v : Object.values(v)));
        many = true;
      } else if (Array.isArray(v) && typeof t === 'number') {
        if (t < v.length) next.push(v[t]);
      } else if (!Array.isArray(v) && typeof t === 'string' && Object.hasOwn(v, t)) {
        next.push((v as Record<string, unknown>)[t]);
      }
    }
    current = next;
  }
  return many ? current : current[0];
}

function parseBody(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new TemplateError('Invalid JSON in request body');
  }
}

/** $util.escapeJavaScript as AWS's: JavaScript string escaping, single quotes included. */
export function escapeJavaScript(s: unknown): string {
  let out = '';
  for (const ch of String(s ?? '')) {
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case '"': out += '\\"'; break;
      case "'": out += "\\'"; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      case '\b': out += '\\b'; break;
      case '\f': out += '\\f'; break;
      default: {
        const code = ch.charCodeAt(0);
        out += code < 0x20 ? `\\u${code.toString(16).padStart(4, '0').toUpperCase()}` : ch;
      }
    }
  }
  return out;
}

const UTIL = {
  escapeJavaScript,
  parseJson: (s: unknown): unknown => {
    try {
      return JSON.parse(String(s)) as unknown;
    } catch {
      throw new TemplateError('Invalid JSON given to $util.parseJson');
    }
  },
  urlEncode: (s: unknown): string => encodeURIComponent(String(s ?? '')).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  urlDecode: (s: unknown): string => decodeURIComponent(String(s ?? '').replace(/\+/g, ' ')),
  base64Encode: (s: unknown): string => Buffer.from(String(s ?? ''), 'utf8').toString('base64'),
  base64Decode: (s: unknown): string => Buffer.from(String(s ?? ''), 'base64').toString('utf8'),
};

/** The `$input` variable of one request (or of an integration response, whose body is the backend's). */
function inputOf(scope: TemplateScope): Record<string, unknown> {
  let parsed: unknown;
  let done = false;
  const body = (): unknown => {
    if (!done) {
      parsed = parseBody(scope.body);
      done = true;
    }
    return parsed;
  };
  const { params } = scope;
  return {
    body: scope.body,
    json: (path: unknown): string => JSON.stringify(jsonPath(body(), String(path)) ?? null),
    path: (path: unknown): unknown => jsonPath(body(), String(path)),
    params: (name?: unknown): unknown => {
      if (name === undefined) return { path: params.path, querystring: params.querystring, header: params.header };
      const n = String(name);
      return params.path[n] ?? params.querystring[n] ?? headerValue(params.header, n) ?? '';
    },
  };
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const exact = headers[name];
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

type MethodCall = { property: string; context: unknown; params: unknown[] };

/** Java methods that templates written for AWS call on strings and maps, which JavaScript values lack. */
const JAVA_STRING_METHODS: Record<string, (s: string, args: unknown[]) => unknown> = {
  equals: (s, [o]) => s === o,
  equalsIgnoreCase: (s, [o]) => typeof o === 'string' && s.toLowerCase() === o.toLowerCase(),
  contains: (s, [o]) => s.includes(String(o)),
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  matches: (s, [re]) => new RegExp(`^(?:${String(re)})$`).test(s),
  replaceAll: (s, [re, by]) => s.replace(new RegExp(String(re), 'g'), String(by)),
};

const JAVA_METHODS = [
  {
    uid: 'java-string',
    match: ({ property, context }: MethodCall): boolean => typeof context === 'string' && Object.hasOwn(JAVA_STRING_METHODS, property),
    resolve: ({ property, context, params }: MethodCall): unknown => JAVA_STRING_METHODS[property]?.(context as string, params),
  },
  {
    uid: 'java-map',
    match: ({ property, context }: MethodCall): boolean =>
      (property === 'containsKey' || property === 'isEmpty') && context !== null && typeof context === 'object' && !Array.isArray(context),
    resolve: ({ property, context, params }: MethodCall): unknown =>
      property === 'containsKey' ? Object.hasOwn(context as object, String(params[0])) : Object.keys(context as object).length === 0,
  },
];

/** Parsed templates, kept per data plane (templates repeat on every request). */
export class TemplateCache {
  private readonly compiled = new Map<string, Compile>();

  render(template: string, scope: TemplateScope): string {
    // Without a reference or directive a template is its own output (the common MOCK and static templates).
    if (!template.includes('$') && !template.includes('#')) return template;
    let c = this.compiled.get(template);
    if (!c) {
      try {
        c = new Compile(parse(template), { escape: false, customMethodHandlers: JAVA_METHODS });
      } catch (e) {
        throw new TemplateError(`Invalid mapping template: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
      if (this.compiled.size >= 1000) this.compiled.clear();
      this.compiled.set(template, c);
    }
    const ctx = { input: inputOf(scope), util: UTIL, context: scope.context, stageVariables: scope.stageVariables };
    try {
      return c.render(ctx, undefined, true);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      throw new TemplateError(`Mapping template failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  clear(): void {
    this.compiled.clear();
  }
}

/** Where a mapping expression reads from (request side: method.request.*; response side: integration.response.*). */
export interface MappingSources {
  readonly params?: RequestParams;
  readonly responseHeaders?: Record<string, string>;
  readonly responseBody?: string;
  readonly requestBody?: string;
  readonly context: Record<string, unknown>;
  readonly stageVariables: Record<string, string>;
}

/** One mapping expression's value, or undefined when its source is absent. */
export function mapExpression(source: string, from: MappingSources): string | undefined {
  if (source.length >= 2 && source.startsWith("'") && source.endsWith("'")) return source.slice(1, -1);
  const dot = (prefix: string): string | undefined => (source.startsWith(prefix) ? source.slice(prefix.length) : undefined);
  let name: string | undefined;
  if ((name = dot('method.request.path.')) !== undefined) return from.params?.path[name];
  if ((name = dot('method.request.querystring.')) !== undefined) return from.params?.querystring[name];
  if ((name = dot('method.request.multivaluequerystring.')) !== undefined) return from.params?.multiQuerystring[name]?.join(',');
  if ((name = dot('method.request.header.')) !== undefined) return from.params ? headerValue(from.params.header, name) : undefined;
  if ((name = dot('method.request.multivalueheader.')) !== undefined) {
    const lower = name.toLowerCase();
    return from.params?.multiHeader[lower]?.join(',');
  }
  if (source === 'method.request.body') return from.requestBody;
  if ((name = dot('method.request.body.')) !== undefined) return bodyPath(from.requestBody, name);
  if ((name = dot('integration.response.header.')) !== undefined) {
    return from.responseHeaders ? headerValue(from.responseHeaders, name) : undefined;
  }
  if ((name = dot('integration.response.multivalueheader.')) !== undefined) {
    return from.responseHeaders ? headerValue(from.responseHeaders, name) : undefined;
  }
  if (source === 'integration.response.body') return from.responseBody;
  if ((name = dot('integration.response.body.')) !== undefined) return bodyPath(from.responseBody, name);
  if ((name = dot('stageVariables.')) !== undefined) return from.stageVariables[name];
  if ((name = dot('context.')) !== undefined) {
    const v = jsonPath(from.context, `$.${name}`);
    return v === undefined || v === null ? undefined : String(v);
  }
  return undefined;
}

/** `body.a.b`: the value at that JSONPath of a JSON body, a string as it is, anything else as JSON. */
function bodyPath(body: string | undefined, path: string): string | undefined {
  try {
    const v = jsonPath(JSON.parse(body ?? ''), `$.${path}`);
    return v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    return undefined;
  }
}
