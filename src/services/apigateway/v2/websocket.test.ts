// WebSocket APIs with the `ws` client: $connect (accepting and refusing), route selection, two-way routes, MOCK,
// $disconnect, and the management API through Switchyard's endpoint and through the API's callback URL.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeleteConnectionCommand, GetConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import {
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateIntegrationCommand,
  CreateIntegrationResponseCommand,
  CreateRouteCommand,
  CreateRouteResponseCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteIntegrationResponseCommand,
  GetIntegrationResponseCommand,
  GetIntegrationResponsesCommand,
  UpdateIntegrationResponseCommand,
} from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startV2Harness, type V2Harness } from './harness.js';

let h: V2Harness;
let collector: Server;
let collectorUrl: string;
const events: Event[] = [];
let apiId: string;

/** A function that posts its event to the collector, then answers. */
const recorder = (url: string, answer: string) => `
export const handler = async (event) => {
  await fetch('${url}', { method: 'POST', body: JSON.stringify(event) });
  ${answer}
};`;

// Events as the functions saw them; read with toMatchObject and the `at` walker.
type Event = Record<string, unknown>;

function at(value: unknown, path: string): unknown {
  let v = value;
  for (const step of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[step] : undefined;
  return v;
}

async function until<T>(fn: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { 'user-agent': 'ws-test/1' } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(String(data))));
}

beforeAll(async () => {
  h = await startV2Harness();
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      events.push(JSON.parse(Buffer.concat(chunks).toString()) as Event);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/`;
  const src = (answer: string) => recorder(collectorUrl, answer);
  const [connect, disconnect, echo] = await Promise.all([
    h.fn('ws-connect', src(`return event.queryStringParameters?.deny ? { statusCode: 401 } : { statusCode: 200 };`)),
    h.fn('ws-disconnect', src(`return { statusCode: 200 };`)),
    h.fn('ws-echo', src(`return { statusCode: 200, body: JSON.stringify({ echo: event }) };`)),
  ]);
  apiId = (await h.v2.send(new CreateApiCommand({ Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId ?? '';
  const integ = async (uri: string) =>
    (await h.v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: uri }))).IntegrationId ?? '';
  const mock = (await h.v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' } }))).IntegrationId;
  await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$connect', Target: `integrations/${await integ(connect)}` }));
  await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$disconnect', Target: `integrations/${await integ(disconnect)}` }));
  const echoI = await integ(echo);
  const echoRoute = await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'echo', Target: `integrations/${echoI}`, RouteResponseSelectionExpression: '$default' }));
  await h.v2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: echoRoute.RouteId, RouteResponseKey: '$default' }));
  const def = await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$default', Target: `integrations/${echoI}`, RouteResponseSelectionExpression: '$default' }));
  await h.v2.send(new CreateRouteResponseCommand({ ApiId: apiId, RouteId: def.RouteId, RouteResponseKey: '$default' }));
  await h.v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'quiet', Target: `integrations/${mock}` }));
  await h.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod', AutoDeploy: true }));
}, 60_000);

afterAll(async () => {
  collector.closeAllConnections();
  await new Promise<void>((r) => collector.close(() => r()));
  await h.close();
});

describe('WebSocket APIs', () => {
  it('refuses the connection when $connect answers non-2xx, and unknown stages', async () => {
    await expect(open(`${h.wsUrl(apiId, 'prod')}?deny=1`)).rejects.toThrow('refused 401');
    await expect(open(h.wsUrl(apiId, 'nope'))).rejects.toThrow('refused 404');
  });

  it('connects, routes messages, answers two-way routes and serves the management API', async () => {
    const before = events.length;
    const ws = await open(`${h.wsUrl(apiId, 'prod')}?room=1`);
    const connectEvent = await until(() => events.slice(before).find((e) => at(e, 'requestContext.eventType') === 'CONNECT' && at(e, 'queryStringParameters.room') === '1'), 'CONNECT');
    expect(connectEvent).toMatchObject({
      requestContext: { routeKey: '$connect', eventType: 'CONNECT', messageDirection: 'IN', stage: 'prod', apiId, identity: { userAgent: 'ws-test/1' } },
      headers: { 'User-Agent': 'ws-test/1' },
      isBase64Encoded: false,
    });
    const connectionId = String(at(connectEvent, 'requestContext.connectionId'));
    expect(connectionId).toMatch(/^[A-Za-z0-9+/]{15}=$/);

    const reply = nextMessage(ws);
    ws.send(JSON.stringify({ action: 'echo', text: 'hi' }));
    const echoed = JSON.parse(await reply) as Event;
    expect(echoed).toMatchObject({
      echo: {
        body: '{"action":"echo","text":"hi"}',
        requestContext: {
          routeKey: 'echo',
          eventType: 'MESSAGE',
          connectionId,
          stage: 'prod',
          apiId,
          connectedAt: at(connectEvent, 'requestContext.connectedAt'),
          messageId: expect.any(String),
          identity: { sourceIp: expect.stringMatching(/127\.0\.0\.1/) },
        },
      },
    });

    const fallback = nextMessage(ws);
    ws.send('not json');
    expect(at(JSON.parse(await fallback), 'echo.requestContext.routeKey')).toBe('$default');

    const mgmt = h.management();
    const info = await mgmt.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    expect(info.ConnectedAt).toBeInstanceOf(Date);
    expect(info.LastActiveAt).toBeInstanceOf(Date);
    expect(info.Identity?.UserAgent).toBe('ws-test/1');
    expect(info.Identity?.SourceIp).toMatch(/127\.0\.0\.1/);

    const pushed = nextMessage(ws);
    await mgmt.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: new TextEncoder().encode('pushed!') }));
    expect(await pushed).toBe('pushed!');

    const callback = h.management(`${h.sy.endpoint}/_aws/execute-api/${apiId}/prod`);
    const viaCallback = nextMessage(ws);
    await callback.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: new TextEncoder().encode('via callback') }));
    expect(await viaCallback).toBe('via callback');
    expect((await callback.send(new GetConnectionCommand({ ConnectionId: connectionId }))).Identity?.UserAgent).toBe('ws-test/1');

    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await mgmt.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    expect(await closed).toBe(1000);
    const disconnectEvent = await until(() => events.find((e) => at(e, 'requestContext.eventType') === 'DISCONNECT' && at(e, 'requestContext.connectionId') === connectionId), 'DISCONNECT');
    expect(disconnectEvent).toMatchObject({ requestContext: { routeKey: '$disconnect', disconnectStatusCode: 1000 } });

    const gone = await mgmt.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: new Uint8Array([1]) })).catch((e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } });
    expect(gone).toMatchObject({ name: 'GoneException', $metadata: { httpStatusCode: 410 } });
    const goneViaCallback = await callback.send(new GetConnectionCommand({ ConnectionId: connectionId })).catch((e: unknown) => e as { name: string });
    expect(goneViaCallback).toMatchObject({ name: 'GoneException' });
  });

  it('runs $disconnect when the client closes', async () => {
    const ws = await open(h.wsUrl(apiId, 'prod'));
    const reply = nextMessage(ws);
    ws.send(JSON.stringify({ action: 'echo' }));
    const connectionId = at(JSON.parse(await reply), 'echo.requestContext.connectionId');
    ws.close(1001, 'bye');
    const e = await until(() => events.find((x) => at(x, 'requestContext.eventType') === 'DISCONNECT' && at(x, 'requestContext.connectionId') === connectionId), 'DISCONNECT');
    expect(e).toMatchObject({ requestContext: { disconnectStatusCode: 1001, disconnectReason: 'bye' } });
  });
});

describe('WebSocket HTTP_PROXY integrations', () => {
  it('sends the handshake and each message to the backend, and returns its answer on two-way routes', async () => {
    const seen: Array<{ method: string; url: string; body: string }> = [];
    const backend = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        seen.push({ method: req.method ?? '', url: req.url ?? '', body });
        if (req.url === '/connect' && req.headers['x-deny']) res.writeHead(403);
        res.end(req.url === '/message' ? `backend got ${body}` : '');
      });
    });
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    try {
      const api = (await h.v2.send(new CreateApiCommand({ Name: 'http-ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId ?? '';
      const integ = async (path: string) =>
        (await h.v2.send(new CreateIntegrationCommand({ ApiId: api, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'POST', IntegrationUri: `${url}${path}` }))).IntegrationId;
      await h.v2.send(new CreateRouteCommand({ ApiId: api, RouteKey: '$connect', Target: `integrations/${await integ('/connect')}` }));
      await h.v2.send(new CreateRouteCommand({ ApiId: api, RouteKey: '$disconnect', Target: `integrations/${await integ('/disconnect')}` }));
      const r = await h.v2.send(new CreateRouteCommand({ ApiId: api, RouteKey: '$default', Target: `integrations/${await integ('/message')}`, RouteResponseSelectionExpression: '$default' }));
      await h.v2.send(new CreateRouteResponseCommand({ ApiId: api, RouteId: r.RouteId, RouteResponseKey: '$default' }));
      await h.v2.send(new CreateStageCommand({ ApiId: api, StageName: 'live', AutoDeploy: true }));

      await expect(
        new Promise((resolve, reject) => {
          const ws = new WebSocket(h.wsUrl(api, 'live'), { headers: { 'x-deny': '1' } });
          ws.once('open', resolve);
          ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
        }),
      ).rejects.toThrow('refused 403');
      const ws = await open(h.wsUrl(api, 'live'));
      const reply = nextMessage(ws);
      ws.send('ping');
      expect(await reply).toBe('backend got ping');
      ws.close();
      await until(() => seen.find((s) => s.url === '/disconnect'), 'disconnect call');
      expect(seen.filter((s) => s.url === '/message')).toEqual([{ method: 'POST', url: '/message', body: 'ping' }]);
    } finally {
      backend.closeAllConnections();
      await new Promise<void>((r) => backend.close(() => r()));
    }
  });
});

describe('WebSocket $connect authorizers', () => {
  it('runs a Lambda REQUEST authorizer on $connect and passes its context to every event', async () => {
    const authFn = await h.fn(
      'ws-authorizer',
      `export const handler = async (event) => ({
        principalId: 'user-' + event.queryStringParameters.token,
        policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: event.queryStringParameters.token === 'good' ? 'Allow' : 'Deny', Resource: event.methodArn }] },
        context: { tier: 'gold' },
      });`,
    );
    const echo = await h.fn('ws-auth-echo', `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer ?? null) });`);
    const api = (await h.v2.send(new CreateApiCommand({ Name: 'auth-ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId ?? '';
    const a = await h.v2.send(new CreateAuthorizerCommand({ ApiId: api, Name: 'a', AuthorizerType: 'REQUEST', AuthorizerUri: authFn, IdentitySource: ['route.request.querystring.token'] }));
    const bad = await h.v2
      .send(new CreateAuthorizerCommand({ ApiId: api, Name: 'b', AuthorizerType: 'REQUEST', AuthorizerUri: authFn, IdentitySource: ['$request.header.x'] }))
      .catch((e: unknown) => e as { name: string });
    expect(bad).toMatchObject({ name: 'BadRequestException' });
    const integ = (await h.v2.send(new CreateIntegrationCommand({ ApiId: api, IntegrationType: 'AWS_PROXY', IntegrationUri: echo }))).IntegrationId;
    const mock = (await h.v2.send(new CreateIntegrationCommand({ ApiId: api, IntegrationType: 'MOCK' }))).IntegrationId;
    await h.v2.send(new CreateRouteCommand({ ApiId: api, RouteKey: '$connect', Target: `integrations/${mock}`, AuthorizationType: 'CUSTOM', AuthorizerId: a.AuthorizerId }));
    const notConnect = await h.v2
      .send(new CreateRouteCommand({ ApiId: api, RouteKey: 'x', Target: `integrations/${integ}`, AuthorizationType: 'CUSTOM', AuthorizerId: a.AuthorizerId }))
      .catch((e: unknown) => e as { name: string });
    expect(notConnect).toMatchObject({ name: 'BadRequestException' });
    const r = await h.v2.send(new CreateRouteCommand({ ApiId: api, RouteKey: '$default', Target: `integrations/${integ}`, RouteResponseSelectionExpression: '$default' }));
    await h.v2.send(new CreateRouteResponseCommand({ ApiId: api, RouteId: r.RouteId, RouteResponseKey: '$default' }));
    await h.v2.send(new CreateStageCommand({ ApiId: api, StageName: 'v1', AutoDeploy: true }));

    await expect(open(h.wsUrl(api, 'v1'))).rejects.toThrow('refused 401');
    await expect(open(`${h.wsUrl(api, 'v1')}?token=bad`)).rejects.toThrow('refused 403');
    const ws = await open(`${h.wsUrl(api, 'v1')}?token=good`);
    const reply = nextMessage(ws);
    ws.send('hello');
    expect(JSON.parse(await reply)).toEqual({ tier: 'gold', principalId: 'user-good', integrationLatency: 0 });
    ws.close();
  });
});

describe('WebSocket MOCK integrations with integration responses', () => {
  it('renders the matching integration response template back on a two-way route', async () => {
    const api = (await h.v2.send(new CreateApiCommand({ Name: 'mock-ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId ?? '';
    const mock = (await h.v2.send(new CreateIntegrationCommand({ ApiId: api, IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' }, TemplateSelectionExpression: '\\$default' }))).IntegrationId;
    const bad = await h.v2
      .send(new CreateIntegrationResponseCommand({ ApiId: api, IntegrationId: mock, IntegrationResponseKey: '$default', ResponseTemplates: { $default: '#if($x' } }))
      .catch((e: unknown) => e as { name: string });
    expect(bad).toMatchObject({ name: 'BadRequestException' });
    const fallback = await h.v2.send(new CreateIntegrationResponseCommand({ ApiId: api, IntegrationId: mock, IntegrationResponseKey: '$default', ResponseTemplates: { $default: 'fallback' } }));
    const ok = await h.v2.send(
      new CreateIntegrationResponseCommand({
        ApiId: api,
        IntegrationId: mock,
        IntegrationResponseKey: '/2\\d{2}/',
        TemplateSelectionExpression: '$default',
        ResponseTemplates: { $default: '{"pong":"$context.routeKey","n":$input.json(\'$.n\'),"conn":"$context.connectionId"}' },
      }),
    );
    expect((await h.v2.send(new GetIntegrationResponsesCommand({ ApiId: api, IntegrationId: mock }))).Items).toHaveLength(2);
    expect((await h.v2.send(new GetIntegrationResponseCommand({ ApiId: api, IntegrationId: mock, IntegrationResponseId: ok.IntegrationResponseId }))).IntegrationResponseKey).toBe('/2\\d{2}/');
    const r = await h.v2.send(new CreateRouteCommand({ ApiId: api, RouteKey: 'ping', Target: `integrations/${mock}`, RouteResponseSelectionExpression: '$default' }));
    await h.v2.send(new CreateRouteResponseCommand({ ApiId: api, RouteId: r.RouteId, RouteResponseKey: '$default' }));
    await h.v2.send(new CreateStageCommand({ ApiId: api, StageName: 'm', AutoDeploy: true }));

    const ws = await open(h.wsUrl(api, 'm'));
    let reply = nextMessage(ws);
    ws.send(JSON.stringify({ action: 'ping', n: 5 }));
    const answer = JSON.parse(await reply) as Record<string, unknown>;
    expect(answer).toMatchObject({ pong: 'ping', n: 5 });
    expect(String(answer.conn)).toMatch(/=$/);

    await h.v2.send(new DeleteIntegrationResponseCommand({ ApiId: api, IntegrationId: mock, IntegrationResponseId: ok.IntegrationResponseId }));
    await h.v2.send(new UpdateIntegrationResponseCommand({ ApiId: api, IntegrationId: mock, IntegrationResponseId: fallback.IntegrationResponseId, ResponseTemplates: { $default: 'fallback $context.routeKey' } }));
    reply = nextMessage(ws);
    ws.send(JSON.stringify({ action: 'ping' }));
    expect(await reply).toBe('fallback ping');
    ws.close();
  });
});

describe('deleting a WebSocket API', () => {
  it('drops its connections', async () => {
    const api = (await h.v2.send(new CreateApiCommand({ Name: 'doomed', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId ?? '';
    const mock = (await h.v2.send(new CreateIntegrationCommand({ ApiId: api, IntegrationType: 'MOCK' }))).IntegrationId;
    await h.v2.send(new CreateRouteCommand({ ApiId: api, RouteKey: '$default', Target: `integrations/${mock}` }));
    await h.v2.send(new CreateStageCommand({ ApiId: api, StageName: 'd', AutoDeploy: true }));
    const ws = await open(h.wsUrl(api, 'd'));
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    await h.v2.send(new DeleteApiCommand({ ApiId: api }));
    await closed;
    await expect(open(h.wsUrl(api, 'd'))).rejects.toThrow('refused 404');
  });
});
