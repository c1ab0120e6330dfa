// Lambda authorizers through the invoke URL: TOKEN and REQUEST events, Allow/Deny policies on the method ARN, the
// 401/403/500 answers AWS gives, $context.authorizer, and result caching by identity for the TTL on a fake clock.
import {
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  GetAuthorizersCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { ROLE, zip } from '../lambda/harness.js';
import { startApiGatewayHarness, type ApiGatewayHarness } from './harness.js';

const uriOf = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${name}/invocations`;

// Counts its invocations, so that caching shows in the context it returns.
const AUTHORIZER = `let calls = 0;
exports.handler = async (event) => {
  calls++;
  const token = event.type === 'TOKEN' ? event.authorizationToken : event.headers['x-token'] + ':' + event.queryStringParameters.tenant;
  if (token.startsWith('unauthorized')) throw new Error('Unauthorized');
  if (token.startsWith('broken')) return { nonsense: true };
  const effect = token.startsWith('deny') ? 'Deny' : 'Allow';
  const resource = token.startsWith('narrow') ? event.methodArn.replace(/\\/[^/]+$/, '/other') : event.methodArn.split('/').slice(0, 2).join('/') + '/*';
  return {
    principalId: 'user-' + token,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
    context: { calls, type: event.type, arnOk: event.methodArn.startsWith('arn:aws:execute-api:us-east-1:000000000000:') },
  };
};`;

let h: ApiGatewayHarness;
let clock: FakeClock;
let api: string;
beforeAll(async () => {
  clock = new FakeClock();
  h = await startApiGatewayHarness({ clock });
  await h.lambda.send(
    new CreateFunctionCommand({ FunctionName: 'apigw-authorizer', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip({ 'index.js': AUTHORIZER }) } }),
  );
  const created = await h.api('authorized');
  api = created.id;
  const token = await h.apigw.send(
    new CreateAuthorizerCommand({
      restApiId: api,
      name: 'token',
      type: 'TOKEN',
      authorizerUri: uriOf('apigw-authorizer'),
      identitySource: 'method.request.header.Authorization',
      identityValidationExpression: '[a-z].*',
      authorizerResultTtlInSeconds: 60,
    }),
  );
  const request = await h.apigw.send(
    new CreateAuthorizerCommand({
      restApiId: api,
      name: 'request',
      type: 'REQUEST',
      authorizerUri: uriOf('apigw-authorizer'),
      identitySource: 'method.request.header.X-Token,method.request.querystring.tenant',
      authorizerResultTtlInSeconds: 0,
    }),
  );
  for (const [path, authorizerId] of [['token', token.id], ['request', request.id]] as const) {
    const r = await h.resource(api, created.root, `${path}/{id}`);
    await h.apigw.send(new PutMethodCommand({ restApiId: api, resourceId: r, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId }));
    await h.apigw.send(new PutIntegrationCommand({ restApiId: api, resourceId: r, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode":200}' } }));
    await h.apigw.send(new PutMethodResponseCommand({ restApiId: api, resourceId: r, httpMethod: 'GET', statusCode: '200' }));
    await h.apigw.send(
      new PutIntegrationResponseCommand({
        restApiId: api,
        resourceId: r,
        httpMethod: 'GET',
        statusCode: '200',
        responseTemplates: {
          'application/json':
            '{"principal":"$context.authorizer.principalId","calls":$context.authorizer.calls,"type":"$context.authorizer.type","arnOk":$context.authorizer.arnOk}',
        },
      }),
    );
  }
  await h.apigw.send(new CreateDeploymentCommand({ restApiId: api, stageName: 'dev' }));
}, 60_000);
afterAll(async () => {
  await h.close();
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await h.invoke(api, `/dev/${path}`, { headers });
  return { status: res.status, body: (await res.json()) };
};

describe('Lambda authorizers', () => {
  it('validates CreateAuthorizer and lists authorizers', async () => {
    const bad = await h.apigw
      .send(new CreateAuthorizerCommand({ restApiId: api, name: 'x', type: 'TOKEN', authorizerUri: 'arn:aws:lambda:us-east-1:0:function:f', identitySource: 'method.request.header.A' }))
      .catch((e: Error) => e);
    expect(bad).toMatchObject({ name: 'BadRequestException', message: 'Invalid Authorizer URI specified' });
    const items = (await h.apigw.send(new GetAuthorizersCommand({ restApiId: api }))).items ?? [];
    expect(items.map((a) => a.name).sort()).toEqual(['request', 'token']);
    expect(items.find((a) => a.name === 'token')).toMatchObject({ type: 'TOKEN', authorizerResultTtlInSeconds: 60 });
  });

  it('TOKEN: 401 without a token or one that fails validation, 403 on Deny, 200 with $context.authorizer on Allow', async () => {
    expect(await get('token/1')).toEqual({ status: 401, body: { message: 'Unauthorized' } });
    expect(await get('token/1', { authorization: '0bad' })).toEqual({ status: 401, body: { message: 'Unauthorized' } });
    expect(await get('token/1', { authorization: 'deny-me' })).toEqual({ status: 403, body: { Message: 'User is not authorized to access this resource' } });
    expect(await get('token/1', { authorization: 'unauthorized-me' })).toEqual({ status: 401, body: { message: 'Unauthorized' } });
    expect(await get('token/1', { authorization: 'broken-me' })).toEqual({ status: 500, body: { message: null } });
    const ok = await get('token/1', { authorization: 'alice' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ principal: 'user-alice', type: 'TOKEN', arnOk: true });
  }, 30_000);

  it('caches a TOKEN result for its TTL (the cached policy decides other methods too, as on AWS)', async () => {
    const first = (await get('token/1', { authorization: 'bob' })).body as { calls: number };
    const again = (await get('token/2', { authorization: 'bob' })).body as { calls: number };
    expect(again.calls).toBe(first.calls);
    await clock.advance(60_000);
    const fresh = (await get('token/1', { authorization: 'bob' })).body as { calls: number };
    expect(fresh.calls).toBeGreaterThan(first.calls);
    // A policy for one resource only, cached, denies the others.
    expect((await get('token/1', { authorization: 'narrow' })).status).toBe(403);
  }, 30_000);

  it('REQUEST: identity from headers and query string, 401 when one is missing, no caching with TTL 0', async () => {
    expect(await get('request/1?tenant=t1')).toEqual({ status: 401, body: { message: 'Unauthorized' } });
    const a = await get('request/1?tenant=t1', { 'x-token': 'carol' });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ principal: 'user-carol:t1', type: 'REQUEST' });
    const b = await get('request/1?tenant=t1', { 'x-token': 'carol' });
    expect((b.body as { calls: number }).calls).toBeGreaterThan((a.body as { calls: number }).calls);
    expect((await get('request/1?tenant=t1', { 'x-token': 'deny' })).status).toBe(403);
  }, 30_000);
});
