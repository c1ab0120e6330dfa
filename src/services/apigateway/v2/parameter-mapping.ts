// Parameter mapping of HTTP APIs: values are static text, a selection expression ($request.header.NAME,
// $request.querystring.NAME, $request.path.NAME, $request.body.JSONPATH, $context.NAME, $stageVariables.NAME) or text
// with ${...} expressions inside. Mapping keys (append:/overwrite:/remove: header, querystring, path) reshape the
// request an HTTP_PROXY integration sends.
import { clfTime, decodePath, headerValue, type HttpApiRequest } from './http-request.js';

const WHOLE = /^\$(request\.(?:header|querystring|path|body)(?:\.[^\s]*)?|context\.[A-Za-z0-9_.]+|stageVariables\.[A-Za-z0-9_]+)$/;
const EMBEDDED = /\$\{(request\.(?:header|querystring|path|body)(?:\.[^}]*)?|context\.[A-Za-z0-9_.]+|stageVariables\.[A-Za-z0-9_]+)\}/g;

/** The value of a mapping value for this request; undefined when a whole-value expression selects nothing. */
export function evaluate(value: string, req: HttpApiRequest): string | undefined {
  const whole = WHOLE.exec(value);
  if (whole) return select(whole[1] ?? '', req);
  return value.replace(EMBEDDED, (_, expr: string) => select(expr, req) ?? '');
}

function select(expr: string, req: HttpApiRequest): string | undefined {
  const dot = expr.indexOf('.');
  const head = expr.slice(0, dot);
  const rest = expr.slice(dot + 1);
  if (head === 'stageVariables') return req.stageVariables[rest];
  if (head === 'context') return contextValue(rest, req);
  // request.<part>[.<name>]
  const second = rest.indexOf('.');
  const part = second < 0 ? rest : rest.slice(0, second);
  const name = second < 0 ? '' : rest.slice(second + 1);
  switch (part) {
    case 'header':
      return headerValue(req, name);
    case 'querystring':
      return req.query.get(name)?.join(',');
    case 'path':
      return req.pathParameters?.[name];
    case 'body':
      return bodyValue(req, name);
    default:
      return undefined;
  }
}

function bodyValue(req: HttpApiRequest, path: string): string | undefined {
  if (path === '') return req.body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(req.body.toString('utf8'));
  } catch {
    return undefined;
  }
  for (const step of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (value === null || typeof value !== 'object') return undefined;
    const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step;
    value = (value as Record<string | number, unknown>)[key];
  }
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function contextValue(name: string, req: HttpApiRequest): string | undefined {
  switch (name) {
    case 'accountId':
      return req.accountId;
    case 'apiId':
      return req.apiId;
    case 'domainName':
      return req.domainName;
    case 'domainPrefix':
      return req.domainPrefix;
    case 'httpMethod':
      return req.method;
    case 'path':
      return decodePath(req.rawPath);
    case 'protocol':
      return 'HTTP/1.1';
    case 'requestId':
    case 'extendedRequestId':
      return req.requestId;
    case 'requestTime':
      return clfTime(req.timeEpoch);
    case 'requestTimeEpoch':
      return String(req.timeEpoch);
    case 'routeKey':
      return req.routeKey;
    case 'stage':
      return req.stage;
    case 'identity.sourceIp':
      return req.sourceIp;
    case 'identity.userAgent':
      return req.userAgent;
    default:
      if (name.startsWith('authorizer.')) return authorizerValue(name.slice('authorizer.'.length), req);
      return undefined;
  }
}

function authorizerValue(path: string, req: HttpApiRequest): string | undefined {
  const a = req.authorizer;
  if (!a) return undefined;
  // $context.authorizer.claims.NAME reads the JWT claims; $context.authorizer.NAME a Lambda authorizer's context.
  const jwt = a.jwt as { claims?: Record<string, unknown> } | undefined;
  if (path.startsWith('claims.') && jwt?.claims) return stringOf(jwt.claims[path.slice(7)]);
  const lambda = (a.lambda as Record<string, unknown> | undefined) ?? a;
  return stringOf(lambda[path]);
}

function stringOf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** An HTTP_PROXY request after the integration's mapping: headers, query and path to send. */
export interface ProxyShape {
  headers: Map<string, string[]>;
  query: Map<string, string[]>;
  path: string | undefined;
}

export function applyProxyMapping(mapping: Record<string, string> | undefined, req: HttpApiRequest, shape: ProxyShape): void {
  if (!mapping) return;
  for (const [key, expr] of Object.entries(mapping)) {
    const colon = key.indexOf(':');
    const action = key.slice(0, colon);
    const target = key.slice(colon + 1);
    if (target === 'path') {
      const v = evaluate(expr, req);
      if (v !== undefined) shape.path = v.startsWith('/') ? v : `/${v}`;
      continue;
    }
    const dot = target.indexOf('.');
    const where = target.slice(0, dot) === 'header' ? shape.headers : shape.query;
    const name = target.slice(0, dot) === 'header' ? target.slice(dot + 1).toLowerCase() : target.slice(dot + 1);
    if (action === 'remove') {
      where.delete(name);
      continue;
    }
    const v = evaluate(expr, req);
    if (v === undefined) continue;
    if (action === 'append') where.set(name, [...(where.get(name) ?? []), v]);
    else where.set(name, [v]);
  }
}
