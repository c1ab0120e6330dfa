// Authorizers through traffic: JWT checked against a local issuer's JWKS (signature, issuer, audience, expiry,
// scopes; claims reach the function), and Lambda REQUEST authorizers with simple and IAM-policy responses.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startV2Harness, type V2Harness } from './harness.js';

let h: V2Harness;
let issuerServer: Server;
let issuer: string;
let privateKey: CryptoKey;
let otherKey: CryptoKey;
let apiId: string;

const ECHO = `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });`;
const SIMPLE = `export const handler = async (event) => ({ isAuthorized: event.headers['x-token'] === 'letmein', context: { user: 'alice', n: 1 } });`;
const POLICY = `export const handler = async (event) => ({
  principalId: 'bob',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: event.identitySource === 'good' ? 'Allow' : 'Deny', Resource: [event.methodArn] }] },
  context: { role: 'admin' },
});`;

async function token(claims: Record<string, unknown>, options: { key?: CryptoKey; exp?: number; iss?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(options.iss ?? issuer)
    .setIssuedAt(now)
    .setExpirationTime(options.exp ?? now + 600)
    .sign(options.key ?? privateKey);
}

beforeAll(async () => {
  h = await startV2Harness();
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  issuerServer = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
    else if (req.url === '/keys') res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;

  const [echo, simple, policy] = await Promise.all([h.fn('authz-echo', ECHO), h.fn('authz-simple', SIMPLE), h.fn('authz-policy', POLICY)]);
  apiId = (await h.v2.send(new CreateApiCommand({ Name: 'secured', ProtocolType: 'HTTP' }))).ApiId ?? '';
  const target = `integrations/${(await h.v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: echo, PayloadFormatVersion: '2.0' }))).IntegrationId}`;
  const target1 = `integrations/${(await h.v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: echo, PayloadFormatVersion: '1.0' }))).IntegrationId}`;
  const jwt = await h.v2.send(
    new CreateAuthorizerCommand({ ApiId: apiId, Name: 'jwt', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: issuer, Audience: ['my-api'] } }),
  );
  const simpleAuth = await h.v2.send(
    new CreateAuthorizerCommand({ ApiId: apiId, Name: 'simple', AuthorizerType: 'REQUEST', AuthorizerUri: simple, AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true, IdentitySource: ['$request.header.x-token'] }),
  );
  const policyAuth = await h.v2.send(
    new CreateAuthorizerCommand({ ApiId: apiId, Name: 'policy', AuthorizerType: 'REQUEST', AuthorizerUri: policy, AuthorizerPayloadFormatVersion: '1.0', IdentitySource: ['$request.querystring.key'] }),
  );
  await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /jwt', Target: target, AuthorizationType: 'JWT', AuthorizerId: jwt.AuthorizerId }));
  await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /jwt1', Target: target1, AuthorizationType: 'JWT', AuthorizerId: jwt.AuthorizerId }));
  await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /scoped', Target: target, AuthorizationType: 'JWT', AuthorizerId: jwt.AuthorizerId, AuthorizationScopes: ['orders:read'] }));
  await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /simple', Target: target, AuthorizationType: 'CUSTOM', AuthorizerId: simpleAuth.AuthorizerId }));
  await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /policy', Target: target, AuthorizationType: 'CUSTOM', AuthorizerId: policyAuth.AuthorizerId }));
  await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /iam', Target: target, AuthorizationType: 'AWS_IAM' }));
  await h.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
}, 60_000);

afterAll(async () => {
  issuerServer.closeAllConnections();
  await new Promise<void>((r) => issuerServer.close(() => r()));
  await h.close();
});

const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } });

describe('JWT authorizers', () => {
  it('lets a valid token through with its claims in the request context', async () => {
    const res = await h.invoke(apiId, '/jwt', bearer(await token({ sub: 'u1', aud: 'my-api', scope: 'a b', groups: ['x', 'y'] })));
    expect(res.status).toBe(200);
    const event = (await res.json()) as { requestContext: { authorizer: { jwt: { claims: Record<string, string>; scopes: string[] } } } };
    expect(event.requestContext.authorizer.jwt.claims).toMatchObject({ sub: 'u1', aud: 'my-api', iss: issuer, groups: '[x y]' });
    expect(event.requestContext.authorizer.jwt.scopes).toEqual(['a', 'b']);
    const v1 = (await (await h.invoke(apiId, '/jwt1', bearer(await token({ sub: 'u2', aud: 'my-api' })))).json()) as { requestContext: { authorizer: { claims: Record<string, string> } } };
    expect(v1.requestContext.authorizer.claims.sub).toBe('u2');
  });

  it('refuses missing, forged, expired, foreign and wrong-audience tokens with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<RequestInit | undefined> = [
      undefined,
      bearer(await token({ aud: 'my-api' }, { key: otherKey })),
      bearer(await token({ aud: 'my-api' }, { exp: now - 60 })),
      bearer(await token({ aud: 'my-api' }, { iss: 'https://elsewhere.example' })),
      bearer(await token({ aud: 'other' })),
      bearer('not.a.jwt'),
    ];
    for (const init of cases) {
      const res = await h.invoke(apiId, '/jwt', init);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ message: 'Unauthorized' });
    }
  });

  it('accepts client_id in place of aud, and checks scopes with 403', async () => {
    expect((await h.invoke(apiId, '/jwt', bearer(await token({ client_id: 'my-api' })))).status).toBe(200);
    const denied = await h.invoke(apiId, '/scoped', bearer(await token({ aud: 'my-api', scope: 'orders:write' })));
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ message: 'Forbidden' });
    expect((await h.invoke(apiId, '/scoped', bearer(await token({ aud: 'my-api', scp: ['orders:read'] })))).status).toBe(200);
  });
});

describe('Lambda authorizers', () => {
  it('simple responses: allow with context, deny with 403, missing identity with 401', async () => {
    const ok = await h.invoke(apiId, '/simple', { headers: { 'x-token': 'letmein' } });
    expect(ok.status).toBe(200);
    const event = (await ok.json()) as { requestContext: { authorizer: { lambda: Record<string, unknown> } } };
    expect(event.requestContext.authorizer.lambda).toEqual({ user: 'alice', n: 1 });
    expect((await h.invoke(apiId, '/simple', { headers: { 'x-token': 'nope' } })).status).toBe(403);
    expect((await h.invoke(apiId, '/simple')).status).toBe(401);
  });

  it('IAM policy responses (payload 1.0) are evaluated against the route ARN', async () => {
    const ok = await h.invoke(apiId, '/policy?key=good');
    expect(ok.status).toBe(200);
    const event = (await ok.json()) as { requestContext: { authorizer: Record<string, unknown> } };
    expect(event.requestContext.authorizer).toMatchObject({ lambda: { role: 'admin' }, principalId: 'bob' });
    expect((await h.invoke(apiId, '/policy?key=bad')).status).toBe(403);
  });

  it('AWS_IAM routes need a SigV4 signature', async () => {
    expect((await h.invoke(apiId, '/iam')).status).toBe(403);
    const signed = await h.invoke(apiId, '/iam', { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=abc' } });
    expect(signed.status).toBe(200);
  });
});
