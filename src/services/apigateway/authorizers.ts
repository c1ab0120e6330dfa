// Lambda authorizers (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html):
// validation of CreateAuthorizer, the TOKEN and REQUEST events, the evaluation of the returned IAM policy against
// the method ARN, and the result cache keyed by identity sources with the authorizer's TTL on the clock.
import type { Authorizer } from '@aws-sdk/client-api-gateway';
import { LAMBDA_INTEGRATION_URI } from './definitions.js';
import { badRequest } from './errors.js';

const MAX_TTL = 3600;
const SOURCE = /^(method\.request\.(header|querystring|multivalueheader|multivaluequerystring)\.[^.\s]+|stageVariables\.[A-Za-z0-9_]+|context\.[A-Za-z0-9_.]+)$/;

export function checkAuthorizer(a: Authorizer): void {
  if (!a.name) throw badRequest('Authorizer name must be non-empty');
  if (a.type === 'COGNITO_USER_POOLS') throw badRequest('Switchyard does not implement Cognito user pool authorizers yet');
  if (a.type !== 'TOKEN' && a.type !== 'REQUEST') {
    throw badRequest(`Invalid authorizer type specified: ${a.type ?? ''}. Valid options are TOKEN,REQUEST,COGNITO_USER_POOLS`);
  }
  if (!LAMBDA_INTEGRATION_URI.test(a.authorizerUri ?? '')) throw badRequest('Invalid Authorizer URI specified');
  const ttl = a.authorizerResultTtlInSeconds ?? 300;
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > MAX_TTL) {
    throw badRequest(`Invalid value for authorizerResultTtlInSeconds. Valid range: 0-${MAX_TTL}`);
  }
  const sources = identitySources(a);
  if (a.type === 'TOKEN' && (sources.length !== 1 || !/^method\.request\.header\.[^.]+$/.test(sources[0] ?? ''))) {
    throw badRequest('Invalid identity source specified: a TOKEN authorizer takes one method.request.header.NAME');
  }
  for (const s of sources) if (!SOURCE.test(s)) throw badRequest(`Invalid identity source specified: ${s}`);
  if (a.type === 'REQUEST' && sources.length === 0 && ttl > 0) {
    throw badRequest('Identity source must be specified when authorization caching is enabled');
  }
  if (a.identityValidationExpression !== undefined) {
    try {
      new RegExp(a.identityValidationExpression);
    } catch {
      throw badRequest(`Invalid identity validation expression specified: ${a.identityValidationExpression}`);
    }
  }
}

export function identitySources(a: Authorizer): string[] {
  return (a.identitySource ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** `arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/PATH` of the request being authorized. */
export function methodArn(region: string, account: string, apiId: string, stage: string, method: string, path: string): string {
  return `arn:aws:execute-api:${region}:${account}:${apiId}/${stage}/${method}/${path.replace(/^\/+/, '')}`;
}

/** What an authorizer answered, as cached. */
export interface AuthorizerResult {
  readonly principalId: string | undefined;
  readonly statements: ReadonlyArray<{ effect: string; actions: string[]; resources: string[] }>;
  readonly context: Record<string, string | number | boolean>;
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** The authorizer's answer, or undefined when it is not a valid policy response (AWS answers 500). */
export function parseAuthorizerResult(payload: Buffer): AuthorizerResult | undefined {
  let r: unknown;
  try {
    r = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!r || typeof r !== 'object') return undefined;
  const o = r as Record<string, unknown>;
  const doc = o.policyDocument as Record<string, unknown> | undefined;
  if (!doc || typeof doc !== 'object') return undefined;
  const statements: Array<{ effect: string; actions: string[]; resources: string[] }> = [];
  for (const s of asList(doc.Statement)) {
    if (!s || typeof s !== 'object') return undefined;
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') return undefined;
    statements.push({ effect: st.Effect, actions: asList(st.Action).map(String), resources: asList(st.Resource).map(String) });
  }
  const context: Record<string, string | number | boolean> = {};
  if (o.context !== undefined && o.context !== null) {
    if (typeof o.context !== 'object') return undefined;
    for (const [k, v] of Object.entries(o.context as Record<string, unknown>)) {
      // AWS accepts only flat string, number and boolean values in the context.
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
      context[k] = v;
    }
  }
  const principalId = o.principalId === undefined || o.principalId === null ? undefined : String(o.principalId);
  return { principalId, statements, context };
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/** IAM evaluation for execute-api:Invoke on the method ARN: an explicit Deny wins, else any Allow. */
export function allows(result: AuthorizerResult, arn: string): boolean {
  let allowed = false;
  for (const s of result.statements) {
    const action = s.actions.some((a) => wildcard(a).test('execute-api:Invoke'));
    const resource = s.resources.some((r) => wildcard(r).test(arn));
    if (!action || !resource) continue;
    if (s.effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}

/** Cached authorizer results by authorizer and identity, each until its TTL passes on the clock. */
export class AuthorizerCache {
  private readonly entries = new Map<string, { result: AuthorizerResult; until: number }>();

  get(key: string, now: number): AuthorizerResult | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.result;
  }

  set(key: string, result: AuthorizerResult, until: number): void {
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(key, { result, until });
  }

  /** Forgets the entries whose key starts with prefix (one API stage's). */
  forget(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
