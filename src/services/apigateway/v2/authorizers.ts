// Authorization of HTTP API routes: JWT authorizers (signature, issuer, audience, lifetime and scopes checked with
// jose against the issuer's JWKS from its OpenID discovery document), Lambda REQUEST authorizers (payload 1.0 or 2.0,
// simple or IAM-policy responses, results cached by identity for AuthorizerResultTtlInSeconds) and AWS_IAM.
import type { Authorizer, Route } from '@aws-sdk/client-apigatewayv2';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { ServiceHost } from '../../../core/provider.js';
import type { HttpResponse } from '../../../protocols/http.js';
import { functionArnOf } from './integration-settings.js';
import { decodePath, eventV1, eventV2, GatewayErrors, headerValue, type HttpApiRequest } from './http-request.js';
import { invokeLambda } from './lambda-invoke.js';
import { evaluate } from './parameter-mapping.js';

/** Lambda authorizers are given this long, as on AWS. */
const AUTHORIZER_TIMEOUT_MS = 10_000;

interface CachedDecision {
  readonly expires: number;
  readonly allowed: boolean;
  readonly authorizer: Record<string, unknown>;
}

export class Authorizers {
  private readonly keySets = new Map<string, JWTVerifyGetKey>();
  private readonly decisions = new Map<string, CachedDecision>();

  constructor(private readonly host: ServiceHost) {}

  clear(): void {
    this.keySets.clear();
    this.decisions.clear();
  }

  /** Undefined when the request may go on (with `req.authorizer` set), else the response that refuses it. */
  async authorize(route: Route, authorizers: ReadonlyMap<string, Authorizer>, req: HttpApiRequest): Promise<HttpResponse | undefined> {
    switch (route.AuthorizationType ?? 'NONE') {
      case 'NONE':
        return undefined;
      case 'AWS_IAM': {
        const signed = (headerValue(req, 'authorization') ?? '').startsWith('AWS4-HMAC-SHA256') || req.query.has('X-Amz-Signature');
        if (!signed) return GatewayErrors.forbidden();
        req.authorizer = { iam: { sourceIp: req.sourceIp, userAgent: req.userAgent } };
        return undefined;
      }
      case 'JWT':
      case 'CUSTOM': {
        const authorizer = authorizers.get(route.AuthorizerId ?? '');
        if (!authorizer) return GatewayErrors.internal();
        return authorizer.AuthorizerType === 'JWT' ? this.jwt(authorizer, route, req) : this.lambda(authorizer, req);
      }
      default:
        return GatewayErrors.internal();
    }
  }

  private async jwt(authorizer: Authorizer, route: Route, req: HttpApiRequest): Promise<HttpResponse | undefined> {
    const source = authorizer.IdentitySource?.[0] ?? '$request.header.Authorization';
    const raw = evaluate(source, req);
    if (!raw) return GatewayErrors.unauthorized();
    const token = raw.replace(/^Bearer\s+/i, '').trim();
    const issuer = authorizer.JwtConfiguration?.Issuer ?? '';
    const audiences = authorizer.JwtConfiguration?.Audience ?? [];
    let payload: JWTPayload;
    try {
      const keys = await this.keySet(issuer);
      ({ payload } = await jwtVerify(token, keys, { issuer, currentDate: new Date(this.host.clock.now()) }));
    } catch (err) {
      const description = err instanceof Error ? err.message : 'invalid token';
      return GatewayErrors.unauthorized({
        'www-authenticate': `Bearer scope="" error="invalid_token" error_description="${description.replace(/"/g, "'")}"`,
      });
    }
    const aud = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const clientId = typeof payload.client_id === 'string' ? payload.client_id : undefined;
    const audienceOk = aud.length ? aud.some((a) => audiences.includes(a)) : clientId !== undefined && audiences.includes(clientId);
    if (!audienceOk) {
      return GatewayErrors.unauthorized({ 'www-authenticate': 'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"' });
    }
    const scopes = scopesOf(payload);
    const wanted = route.AuthorizationScopes ?? [];
    if (wanted.length && !wanted.some((s) => scopes?.includes(s))) return GatewayErrors.forbidden();
    const claims: Record<string, string> = {};
    for (const [k, v] of Object.entries(payload)) claims[k] = claimString(v);
    req.authorizer = { jwt: { claims, scopes: scopes ?? null } };
    return undefined;
  }

  private async keySet(issuer: string): Promise<JWTVerifyGetKey> {
    let keys = this.keySets.get(issuer);
    if (!keys) {
      const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`the issuer's discovery document answered ${res.status}`);
      const doc = (await res.json()) as { jwks_uri?: unknown };
      if (typeof doc.jwks_uri !== 'string') throw new Error("the issuer's discovery document has no jwks_uri");
      keys = createRemoteJWKSet(new URL(doc.jwks_uri));
      this.keySets.set(issuer, keys);
    }
    return keys;
  }

  private async lambda(authorizer: Authorizer, req: HttpApiRequest): Promise<HttpResponse | undefined> {
    const identity: string[] = [];
    for (const source of authorizer.IdentitySource ?? []) {
      const v = evaluate(source, req);
      if (v === undefined || v === '') return GatewayErrors.unauthorized();
      identity.push(v);
    }
    const ttl = authorizer.AuthorizerResultTtlInSeconds ?? 0;
    const cacheKey = `${req.apiId}/${authorizer.AuthorizerId}/${JSON.stringify(identity)}`;
    const now = this.host.clock.now();
    const cached = ttl > 0 ? this.decisions.get(cacheKey) : undefined;
    if (cached && cached.expires > now) return this.apply(cached, req);
    const v2 = authorizer.AuthorizerPayloadFormatVersion === '2.0';
    const routeArn = `arn:aws:execute-api:${req.region}:${req.accountId}:${req.apiId}/${req.stage}/${req.method}${decodePath(req.path)}`;
    const event = v2 ? authorizerEventV2(req, routeArn, identity) : authorizerEventV1(req, routeArn, identity);
    const outcome = await invokeLambda(this.host, functionArnOf(authorizer.AuthorizerUri ?? '') ?? '', event, AUTHORIZER_TIMEOUT_MS);
    if (outcome.kind !== 'ok') {
      this.host.log.warn(`apigatewayv2 authorizer ${authorizer.AuthorizerId} failed: ${outcome.kind === 'error' ? outcome.reason : 'timed out'}`);
      return GatewayErrors.internal();
    }
    let result: unknown;
    try {
      result = JSON.parse(outcome.payload.toString('utf8'));
    } catch {
      return GatewayErrors.internal();
    }
    const decision = decide(result, v2 && authorizer.EnableSimpleResponses === true, routeArn);
    if (!decision) {
      this.host.log.warn(`apigatewayv2 authorizer ${authorizer.AuthorizerId} returned a malformed response`);
      return GatewayErrors.internal();
    }
    const entry: CachedDecision = { ...decision, expires: now + ttl * 1000 };
    if (ttl > 0) this.decisions.set(cacheKey, entry);
    return this.apply(entry, req);
  }

  private apply(decision: CachedDecision, req: HttpApiRequest): HttpResponse | undefined {
    if (!decision.allowed) return GatewayErrors.forbidden();
    req.authorizer = decision.authorizer;
    return undefined;
  }
}

function scopesOf(payload: JWTPayload): string[] | undefined {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean);
  if (Array.isArray(raw)) return raw.map(String);
  return undefined;
}

/** Claims reach the integration as strings (arrays as `[a b]`), as AWS passes them. */
function claimString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(String).join(' ')}]`;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function authorizerEventV2(req: HttpApiRequest, routeArn: string, identity: string[]): Record<string, unknown> {
  const { body: _b, isBase64Encoded: _i, version: _v, ...rest } = eventV2(req);
  return { version: '2.0', type: 'REQUEST', routeArn, identitySource: identity, ...rest };
}

function authorizerEventV1(req: HttpApiRequest, routeArn: string, identity: string[]): Record<string, unknown> {
  const { body: _b, isBase64Encoded: _i, version: _v, ...rest } = eventV1(req);
  return { version: '1.0', type: 'REQUEST', methodArn: routeArn, identitySource: identity.join(','), authorizationToken: identity[0], ...rest };
}

/** A Lambda authorizer's answer: a simple `isAuthorized`, or an IAM policy evaluated against the route ARN. */
export function decide(result: unknown, simple: boolean, routeArn: string): Omit<CachedDecision, 'expires'> | undefined {
  if (result === null || typeof result !== 'object') return undefined;
  const r = result as Record<string, unknown>;
  const context = r.context !== null && typeof r.context === 'object' ? (r.context as Record<string, unknown>) : {};
  if (simple) {
    if (typeof r.isAuthorized !== 'boolean') return undefined;
    return { allowed: r.isAuthorized, authorizer: { lambda: context } };
  }
  const doc = r.policyDocument as { Statement?: unknown } | undefined;
  if (!doc || typeof doc !== 'object' || typeof r.principalId !== 'string') return undefined;
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  let allowed = false;
  for (const s of statements as Array<Record<string, unknown>>) {
    const actions = ([] as unknown[]).concat(s.Action ?? []).map(String);
    const resources = ([] as unknown[]).concat(s.Resource ?? []).map(String);
    const actionOk = actions.some((a) => a === '*' || a === 'execute-api:*' || a === 'execute-api:Invoke');
    const resourceOk = resources.some((p) => arnMatches(p, routeArn));
    if (!actionOk || !resourceOk) continue;
    if (s.Effect === 'Deny') return { allowed: false, authorizer: {} };
    if (s.Effect === 'Allow') allowed = true;
  }
  return { allowed, authorizer: { lambda: context, principalId: r.principalId } };
}

function arnMatches(pattern: string, arn: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(arn);
}
