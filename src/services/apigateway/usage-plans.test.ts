// API keys and usage plans over the wire, and their enforcement through the invoke URL on a fake clock: 403 for a
// missing, unknown, disabled or unplanned key; 429 Too Many Requests past the throttle's burst, refilled at its rate;
// 429 Limit Exceeded past the quota until the next period.
import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateApiKeyCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { startApiGatewayHarness, type ApiGatewayHarness } from './harness.js';

let h: ApiGatewayHarness;
let clock: FakeClock;
beforeAll(async () => {
  clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  h = await startApiGatewayHarness({ clock });
});
afterAll(async () => {
  await h.close();
});

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error('expected a failure');
}

/** An API whose GET /keyed requires an API key (MOCK), deployed to `dev`. */
async function keyedApi(name: string): Promise<string> {
  const { id, root } = await h.api(name);
  const r = await h.resource(id, root, 'keyed');
  await h.apigw.send(new PutMethodCommand({ restApiId: id, resourceId: r, httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true }));
  await h.apigw.send(new PutIntegrationCommand({ restApiId: id, resourceId: r, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode":200}' } }));
  await h.apigw.send(new PutMethodResponseCommand({ restApiId: id, resourceId: r, httpMethod: 'GET', statusCode: '200' }));
  await h.apigw.send(
    new PutIntegrationResponseCommand({ restApiId: id, resourceId: r, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"key":"$context.identity.apiKeyId"}' } }),
  );
  await h.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }));
  return id;
}

const call = (api: string, key?: string) => h.invoke(api, '/dev/keyed', key ? { headers: { 'x-api-key': key } } : {});

describe('API keys and usage plans', () => {
  it('manages keys, plans and plan keys with AWS validation', async () => {
    const api = await keyedApi('keys-control');
    const key = await h.apigw.send(new CreateApiKeyCommand({ name: 'k1', enabled: true }));
    expect(key.value).toHaveLength(40);
    expect(key).toMatchObject({ name: 'k1', enabled: true, stageKeys: [] });
    expect((await h.apigw.send(new GetApiKeyCommand({ apiKey: key.id }))).value).toBeUndefined();
    expect((await h.apigw.send(new GetApiKeyCommand({ apiKey: key.id, includeValue: true }))).value).toBe(key.value);
    expect((await h.apigw.send(new GetApiKeysCommand({ nameQuery: 'k1' }))).items?.map((k) => k.id)).toEqual([key.id]);
    expect(await failure(h.apigw.send(new CreateApiKeyCommand({ name: 'short', value: 'tooshort' })))).toEqual({
      name: 'BadRequestException',
      message: 'API Key value should be at least 20 characters',
    });
    expect(await failure(h.apigw.send(new GetApiKeyCommand({ apiKey: 'nope' })))).toEqual({ name: 'NotFoundException', message: 'Invalid API Key identifier specified' });
    const plan = await h.apigw.send(new CreateUsagePlanCommand({ name: 'basic', apiStages: [{ apiId: api, stage: 'dev' }], quota: { limit: 10, period: 'DAY' } }));
    expect(plan).toMatchObject({ name: 'basic', apiStages: [{ apiId: api, stage: 'dev' }], quota: { limit: 10, period: 'DAY', offset: 0 } });
    const noStage = await failure(h.apigw.send(new CreateUsagePlanCommand({ name: 'x', apiStages: [{ apiId: api, stage: 'prod' }] })));
    expect(noStage.name).toBe('NotFoundException');
    const planKey = await h.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    expect(planKey).toMatchObject({ id: key.id, type: 'API_KEY', value: key.value, name: 'k1' });
    expect((await h.apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }))).items?.map((k) => k.id)).toEqual([key.id]);
    expect((await h.apigw.send(new GetUsagePlansCommand({ keyId: key.id }))).items?.map((p) => p.id)).toEqual([plan.id]);
  });

  it('answers 403 Forbidden unless the key is enabled and in a plan of the stage', async () => {
    const api = await keyedApi('keys-forbidden');
    const key = await h.apigw.send(new CreateApiKeyCommand({ name: 'k2', value: 'a-very-long-api-key-value-0001', enabled: false }));
    const plan = await h.apigw.send(new CreateUsagePlanCommand({ name: 'p2', apiStages: [{ apiId: api, stage: 'dev' }] }));
    for (const k of [undefined, 'unknown-key-value-000000000', key.value]) {
      const res = await call(api, k);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ message: 'Forbidden' });
    }
    await h.apigw.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'true' }] }));
    expect((await call(api, key.value)).status).toBe(403);
    await h.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    const ok = await call(api, key.value);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ key: key.id });
    await h.apigw.send(new DeleteUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id }));
    expect((await call(api, key.value)).status).toBe(403);
  });

  it('throttles past the burst (429 Too Many Requests) and refills at the rate on the clock', async () => {
    const api = await keyedApi('keys-throttle');
    const key = await h.apigw.send(new CreateApiKeyCommand({ name: 'k3', enabled: true }));
    const plan = await h.apigw.send(new CreateUsagePlanCommand({ name: 'p3', apiStages: [{ apiId: api, stage: 'dev' }], throttle: { rateLimit: 1, burstLimit: 2 } }));
    await h.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    expect((await call(api, key.value)).status).toBe(200);
    expect((await call(api, key.value)).status).toBe(200);
    const throttled = await call(api, key.value);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(await throttled.json()).toEqual({ message: 'Too Many Requests' });
    await clock.advance(1000);
    expect((await call(api, key.value)).status).toBe(200);
    expect((await call(api, key.value)).status).toBe(429);
  });

  it('enforces the quota per period (429 Limit Exceeded) until the next day', async () => {
    const api = await keyedApi('keys-quota');
    const key = await h.apigw.send(new CreateApiKeyCommand({ name: 'k4', enabled: true }));
    const plan = await h.apigw.send(new CreateUsagePlanCommand({ name: 'p4', apiStages: [{ apiId: api, stage: 'dev' }], quota: { limit: 2, period: 'DAY' } }));
    await h.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    expect((await call(api, key.value)).status).toBe(200);
    expect((await call(api, key.value)).status).toBe(200);
    const over = await call(api, key.value);
    expect(over.status).toBe(429);
    expect(await over.json()).toEqual({ message: 'Limit Exceeded' });
    await clock.advance(24 * 3600 * 1000);
    expect((await call(api, key.value)).status).toBe(200);
    const raised = await h.apigw.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations: [{ op: 'replace', path: '/quota/limit', value: '100' }] }));
    expect(raised.quota).toMatchObject({ limit: 100, period: 'DAY' });
    const removed = await h.apigw.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations: [{ op: 'remove', path: '/apiStages', value: `${api}:dev` }] }));
    expect(removed.apiStages).toEqual([]);
    expect((await call(api, key.value)).status).toBe(403);
  });
});
