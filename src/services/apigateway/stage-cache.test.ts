// The stage cache through the invoke URL on a fake clock: GET answers come from the cache for the TTL, keyed by the
// integration's cache key parameters; other methods, disabled settings and FlushStageCache bypass or empty it.
import {
  CreateDeploymentCommand,
  FlushStageCacheCommand,
  GetStageCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { startApiGatewayHarness, type ApiGatewayHarness } from './harness.js';

let h: ApiGatewayHarness;
let clock: FakeClock;
let api: string;
beforeAll(async () => {
  clock = new FakeClock();
  h = await startApiGatewayHarness({ clock });
  const created = await h.api('cached');
  api = created.id;
  const r = await h.resource(api, created.root, 'items');
  for (const httpMethod of ['GET', 'POST']) {
    await h.apigw.send(new PutMethodCommand({ restApiId: api, resourceId: r, httpMethod, authorizationType: 'NONE', requestParameters: { 'method.request.querystring.kind': false } }));
    await h.apigw.send(
      new PutIntegrationCommand({
        restApiId: api,
        resourceId: r,
        httpMethod,
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode":200}' },
        cacheKeyParameters: ['method.request.querystring.kind'],
      }),
    );
    await h.apigw.send(new PutMethodResponseCommand({ restApiId: api, resourceId: r, httpMethod, statusCode: '200' }));
    await h.apigw.send(
      new PutIntegrationResponseCommand({ restApiId: api, resourceId: r, httpMethod, statusCode: '200', responseTemplates: { 'application/json': '{"id":"$context.requestId"}' } }),
    );
  }
  await h.apigw.send(new CreateDeploymentCommand({ restApiId: api, stageName: 'dev', cacheClusterEnabled: true }));
});
afterAll(async () => {
  await h.close();
});

const id = async (path: string, method = 'GET'): Promise<string> => ((await (await h.invoke(api, `/dev/${path}`, { method })).json()) as { id: string }).id;

describe('stage cache', () => {
  it('is reported on the stage and answers GETs from the cache for the TTL, keyed by cache key parameters', async () => {
    const stage = await h.apigw.send(new GetStageCommand({ restApiId: api, stageName: 'dev' }));
    expect(stage).toMatchObject({ cacheClusterEnabled: true, cacheClusterSize: '0.5', cacheClusterStatus: 'AVAILABLE' });
    const first = await id('items?kind=a');
    expect(await id('items?kind=a')).toBe(first);
    expect(await id('items?kind=a&other=1')).toBe(first);
    expect(await id('items?kind=b')).not.toBe(first);
    expect(await id('items?kind=a', 'POST')).not.toBe(await id('items?kind=a', 'POST'));
    await clock.advance(300_000);
    expect(await id('items?kind=a')).not.toBe(first);
  });

  it('follows method settings and FlushStageCache, and forgets everything when the cache is turned off', async () => {
    const before = await id('items?kind=c');
    await h.apigw.send(new FlushStageCacheCommand({ restApiId: api, stageName: 'dev' }));
    const flushed = await id('items?kind=c');
    expect(flushed).not.toBe(before);
    await h.apigw.send(
      new UpdateStageCommand({
        restApiId: api,
        stageName: 'dev',
        patchOperations: [
          { op: 'replace', path: '/items/GET/caching/ttlInSeconds', value: '10' },
          { op: 'replace', path: '/items/POST/caching/enabled', value: 'true' },
        ],
      }),
    );
    const post = await id('items?kind=c', 'POST');
    expect(await id('items?kind=c', 'POST')).toBe(post);
    const get = await id('items?kind=d');
    await clock.advance(10_000);
    expect(await id('items?kind=d')).not.toBe(get);
    const refused = await h.apigw
      .send(new UpdateStageCommand({ restApiId: api, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/*/*/throttling/rateLimit', value: '10' }] }))
      .catch((e: Error) => e);
    expect(refused).toMatchObject({ name: 'BadRequestException' });
    const off = await h.apigw.send(new UpdateStageCommand({ restApiId: api, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/cacheClusterEnabled', value: 'false' }] }));
    expect(off).toMatchObject({ cacheClusterEnabled: false, cacheClusterStatus: 'NOT_AVAILABLE' });
    expect(await id('items?kind=e')).not.toBe(await id('items?kind=e'));
  });
});
