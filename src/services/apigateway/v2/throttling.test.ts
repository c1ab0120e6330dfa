// Time-driven behaviour on the fake clock: stage and route throttling (429 and refill), Lambda authorizer result
// caching for AuthorizerResultTtlInSeconds, and the WebSocket idle timeout.
import { CreateApiCommand, CreateAuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../core/clock.js';
import { startV2Harness, type V2Harness } from './harness.js';

const clock = new FakeClock();
let h: V2Harness;

const ECHO = `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer ?? {}) });`;
const COUNTING = `let n = 0; export const handler = async () => { n++; return { isAuthorized: true, context: { n } }; };`;

beforeAll(async () => {
  h = await startV2Harness({ clock });
}, 30_000);
afterAll(async () => {
  await h.close();
});

describe('throttling', () => {
  it('answers 429 past the burst and recovers at the rate, per route when route settings say so', async () => {
    const echo = await h.fn('throttle-echo', ECHO);
    const apiId = (await h.v2.send(new CreateApiCommand({ Name: 't', ProtocolType: 'HTTP' }))).ApiId ?? '';
    const i = (await h.v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: echo, PayloadFormatVersion: '2.0' }))).IntegrationId;
    await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', Target: `integrations/${i}` }));
    await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /b', Target: `integrations/${i}` }));
    await h.v2.send(
      new CreateStageCommand({
        ApiId: apiId,
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingBurstLimit: 2, ThrottlingRateLimit: 1 },
        RouteSettings: { 'GET /b': { ThrottlingBurstLimit: 0, ThrottlingRateLimit: 0 } },
      }),
    );
    expect((await h.invoke(apiId, '/a')).status).toBe(200);
    expect((await h.invoke(apiId, '/a')).status).toBe(200);
    const limited = await h.invoke(apiId, '/a');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ message: 'Too Many Requests' });
    await clock.advance(1000);
    expect((await h.invoke(apiId, '/a')).status).toBe(200);
    expect((await h.invoke(apiId, '/a')).status).toBe(429);
    expect((await h.invoke(apiId, '/b')).status).toBe(429);
  });
});

describe('authorizer caching', () => {
  it('reuses a Lambda authorizer result for the same identity until the TTL passes', async () => {
    const [echo, counting] = await Promise.all([h.fn('cache-echo', ECHO), h.fn('cache-auth', COUNTING)]);
    const apiId = (await h.v2.send(new CreateApiCommand({ Name: 'c', ProtocolType: 'HTTP' }))).ApiId ?? '';
    const i = (await h.v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: echo, PayloadFormatVersion: '2.0' }))).IntegrationId;
    const a = await h.v2.send(
      new CreateAuthorizerCommand({
        ApiId: apiId,
        Name: 'cached',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: counting,
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        AuthorizerResultTtlInSeconds: 60,
        IdentitySource: ['$request.header.x-key'],
      }),
    );
    await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /x', Target: `integrations/${i}`, AuthorizationType: 'CUSTOM', AuthorizerId: a.AuthorizerId }));
    await h.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
    const n = async (key: string): Promise<unknown> => ((await (await h.invoke(apiId, '/x', { headers: { 'x-key': key } })).json()) as { lambda: { n: number } }).lambda.n;
    expect(await n('k1')).toBe(1);
    expect(await n('k1')).toBe(1);
    expect(await n('k2')).toBe(2);
    await clock.advance(61_000);
    expect(await n('k1')).toBe(3);
  });
});

describe('WebSocket idle timeout', () => {
  it('closes a connection after 10 minutes without messages, counting messages either way', async () => {
    const apiId = (await h.v2.send(new CreateApiCommand({ Name: 'idle', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId ?? '';
    const mock = (await h.v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'MOCK' }))).IntegrationId;
    await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$default', Target: `integrations/${mock}` }));
    await h.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 's', AutoDeploy: true }));
    const ws = new WebSocket(h.wsUrl(apiId, 's'));
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    await clock.advance(9 * 60 * 1000);
    ws.send('still here');
    await new Promise((r) => setTimeout(r, 50));
    await clock.advance(9 * 60 * 1000);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    await clock.advance(60 * 1000);
    expect(await closed).toBe(1001);
  });
});
