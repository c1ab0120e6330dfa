import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeauthorizeConnectionCommand,
  DeleteApiDestinationCommand,
  DeleteConnectionCommand,
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  ListApiDestinationsCommand,
  ListConnectionsCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  UpdateApiDestinationCommand,
  UpdateConnectionCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { deliver } from '../../core/targets.js';
import { startEventBridgeHarness, type EventBridgeHarness } from './harness.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let h: EventBridgeHarness;
let server: Server;
let base: string;
const received: Received[] = [];
/** Status answers for the next calls to /flaky; 200 once they run out. */
let statuses: number[] = [];
let tokens = 0;

beforeAll(async () => {
  h = await startEventBridgeHarness({ fakeClock: true });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      if (r.url.startsWith('/token')) {
        tokens++;
        received.push(r);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ access_token: `tok-${tokens}`, token_type: 'Bearer', expires_in: 3600 }));
        return;
      }
      received.push(r);
      res.statusCode = r.url.startsWith('/flaky') ? (statuses.shift() ?? 200) : 200;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});
beforeEach(() => {
  received.length = 0;
  statuses = [];
});

async function error(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error('expected an error');
}

/** Real I/O: waits (briefly, in real time) until the HTTP server has seen n requests, letting clock timers run. */
async function calls(n: number, path = '/'): Promise<Received[]> {
  const seen = (): Received[] => received.filter((r) => r.url.startsWith(path));
  for (let i = 0; i < 200 && seen().length < n; i++) {
    await h.clock?.advance(0);
    await new Promise((r) => setTimeout(r, 5));
  }
  return seen();
}

async function target(name: string, connection: string, endpoint: string, extra: Record<string, unknown> = {}, rate?: number): Promise<string> {
  const d = await h.eb.send(
    new CreateApiDestinationCommand({ Name: name, ConnectionArn: connection, InvocationEndpoint: endpoint, HttpMethod: 'POST', ...(rate ? { InvocationRateLimitPerSecond: rate } : {}) }),
  );
  await h.eb.send(new PutRuleCommand({ Name: `rule-${name}`, EventPattern: JSON.stringify({ source: [name] }) }));
  const out = await h.eb.send(new PutTargetsCommand({ Rule: `rule-${name}`, Targets: [{ Id: 'api', Arn: d.ApiDestinationArn, ...extra }] }));
  expect(out.FailedEntryCount).toBe(0);
  return d.ApiDestinationArn ?? '';
}

const put = (source: string, detail: unknown = { id: 'abc', n: 1 }) =>
  h.eb.send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'T', Detail: JSON.stringify(detail) }] }));

describe('connections', () => {
  test('create, describe (secrets hidden), list, update, deauthorize, delete', async () => {
    const created = await h.eb.send(
      new CreateConnectionCommand({
        Name: 'key-conn',
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'secret' },
          InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-hidden', Value: 'h', IsValueSecret: true }] },
        },
      }),
    );
    expect(created.ConnectionArn).toMatch(/^arn:aws:events:us-east-1:000000000000:connection\/key-conn\/[0-9a-f-]{36}$/);
    expect(created.ConnectionState).toBe('AUTHORIZED');
    const d = await h.eb.send(new DescribeConnectionCommand({ Name: 'key-conn' }));
    expect(d.AuthParameters).toEqual({
      ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' },
      InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-hidden', IsValueSecret: true }] },
    });
    expect(d.SecretArn).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:events!connection\/key-conn\//);
    expect(await error(h.eb.send(new CreateConnectionCommand({ Name: 'key-conn', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'a', ApiKeyValue: 'b' } } })))).toEqual({
      name: 'ResourceAlreadyExistsException',
      message: 'Connection key-conn already exists.',
    });
    expect((await error(h.eb.send(new CreateConnectionCommand({ Name: 'half', AuthorizationType: 'BASIC', AuthParameters: {} })))).name).toBe('ValidationException');
    expect(await error(h.eb.send(new DescribeConnectionCommand({ Name: 'nope' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: "Failed to describe the connection(s). Connection 'nope' does not exist.",
    });
    await h.eb.send(new UpdateConnectionCommand({ Name: 'key-conn', Description: 'now basic', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }));
    const updated = await h.eb.send(new DescribeConnectionCommand({ Name: 'key-conn' }));
    expect(updated).toMatchObject({ Description: 'now basic', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u' } } });
    expect((await h.eb.send(new DeauthorizeConnectionCommand({ Name: 'key-conn' }))).ConnectionState).toBe('DEAUTHORIZING');
    expect((await h.eb.send(new ListConnectionsCommand({ ConnectionState: 'DEAUTHORIZED' }))).Connections?.map((c) => c.Name)).toEqual(['key-conn']);
    expect((await h.eb.send(new DeleteConnectionCommand({ Name: 'key-conn' }))).ConnectionState).toBe('DELETING');
    expect((await h.eb.send(new ListConnectionsCommand({ NamePrefix: 'key' }))).Connections).toEqual([]);
  });
});

describe('API destinations', () => {
  test('create, describe, list, update, delete', async () => {
    const c = await h.eb.send(new CreateConnectionCommand({ Name: 'crud-conn', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }));
    const d = await h.eb.send(new CreateApiDestinationCommand({ Name: 'crud-dest', ConnectionArn: c.ConnectionArn, InvocationEndpoint: `${base}/x`, HttpMethod: 'PUT' }));
    expect(d).toMatchObject({ ApiDestinationState: 'ACTIVE' });
    expect(await h.eb.send(new DescribeApiDestinationCommand({ Name: 'crud-dest' }))).toMatchObject({
      ApiDestinationArn: d.ApiDestinationArn,
      ConnectionArn: c.ConnectionArn,
      InvocationEndpoint: `${base}/x`,
      HttpMethod: 'PUT',
      InvocationRateLimitPerSecond: 300,
    });
    await h.eb.send(new UpdateApiDestinationCommand({ Name: 'crud-dest', HttpMethod: 'PATCH', InvocationRateLimitPerSecond: 10 }));
    expect((await h.eb.send(new ListApiDestinationsCommand({ ConnectionArn: c.ConnectionArn }))).ApiDestinations?.map((x) => [x.Name, x.HttpMethod, x.InvocationRateLimitPerSecond])).toEqual([
      ['crud-dest', 'PATCH', 10],
    ]);
    expect((await error(h.eb.send(new CreateApiDestinationCommand({ Name: 'bad', ConnectionArn: c.ConnectionArn, InvocationEndpoint: `${base}/x`, HttpMethod: 'FETCH' as 'GET' })))).name).toBe('ValidationException');
    expect((await error(h.eb.send(new CreateApiDestinationCommand({ Name: 'bad', ConnectionArn: `${c.ConnectionArn}x`, InvocationEndpoint: `${base}/x`, HttpMethod: 'GET' })))).name).toBe('ResourceNotFoundException');
    await h.eb.send(new DeleteApiDestinationCommand({ Name: 'crud-dest' }));
    expect(await error(h.eb.send(new DescribeApiDestinationCommand({ Name: 'crud-dest' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: "Failed to describe the api-destination(s). An api-destination 'crud-dest' does not exist.",
    });
  });

  test('a rule target calls the endpoint with path, header and query parameters and the API key', async () => {
    const c = await h.eb.send(
      new CreateConnectionCommand({
        Name: 'call-conn',
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'X-Api-Key', ApiKeyValue: 'k-123' },
          InvocationHttpParameters: { QueryStringParameters: [{ Key: 'tenant', Value: 't1' }], BodyParameters: [{ Key: 'extra', Value: 'yes' }] },
        },
      }),
    );
    await target('call', c.ConnectionArn ?? '', `${base}/orders/*/items/*`, {
      InputPath: '$.detail',
      HttpParameters: { PathParameterValues: ['$.detail.id', 'fixed'], HeaderParameters: { 'X-Source': '$.source', 'X-Fixed': 'f' }, QueryStringParameters: { n: '$.detail.n' } },
    });
    await put('call');
    const [r] = await calls(1, '/orders');
    expect(r?.method).toBe('POST');
    expect(r?.url).toBe('/orders/abc/items/fixed?n=1&tenant=t1');
    expect(r?.headers).toMatchObject({ 'x-api-key': 'k-123', 'x-source': 'call', 'x-fixed': 'f', 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Amazon/EventBridge/ApiDestinations' });
    expect(JSON.parse(r?.body ?? '')).toEqual({ id: 'abc', n: 1, extra: 'yes' });
  });

  test('OAuth client credentials: the token is fetched from the AuthorizationEndpoint and sent as a bearer', async () => {
    const c = await h.eb.send(
      new CreateConnectionCommand({
        Name: 'oauth-conn',
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: {
          OAuthParameters: {
            AuthorizationEndpoint: `${base}/token`,
            HttpMethod: 'POST',
            ClientParameters: { ClientID: 'cid', ClientSecret: 'csecret' },
            OAuthHttpParameters: { BodyParameters: [{ Key: 'scope', Value: 'events' }] },
          },
        },
      }),
    );
    expect(c.ConnectionState).toBe('AUTHORIZING');
    const [tokenCall] = await calls(1, '/token');
    expect(tokenCall?.headers.authorization).toBe(`Basic ${Buffer.from('cid:csecret').toString('base64')}`);
    expect(new URLSearchParams(tokenCall?.body ?? '').get('grant_type')).toBe('client_credentials');
    expect(new URLSearchParams(tokenCall?.body ?? '').get('scope')).toBe('events');
    for (let i = 0; i < 50 && (await h.eb.send(new DescribeConnectionCommand({ Name: 'oauth-conn' }))).ConnectionState !== 'AUTHORIZED'; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const d = await h.eb.send(new DescribeConnectionCommand({ Name: 'oauth-conn' }));
    expect(d.ConnectionState).toBe('AUTHORIZED');
    expect(d.AuthParameters?.OAuthParameters).toEqual({ ClientParameters: { ClientID: 'cid' }, AuthorizationEndpoint: `${base}/token`, HttpMethod: 'POST', OAuthHttpParameters: { BodyParameters: [{ Key: 'scope', Value: 'events' }] } });
    await target('oauth', c.ConnectionArn ?? '', `${base}/hook`);
    await put('oauth');
    const [r] = await calls(1, '/hook');
    expect(r?.headers.authorization).toMatch(/^Bearer tok-\d+$/);
    expect(JSON.parse(r?.body ?? '')).toMatchObject({ source: 'oauth', detail: { id: 'abc' } });
  });

  test('5xx and 429 are retried on the clock; other 4xx go to the dead-letter queue at once', async () => {
    const c = await h.eb.send(new CreateConnectionCommand({ Name: 'retry-conn', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }));
    const dlq = await h.queue('api-dlq');
    await target('flaky', c.ConnectionArn ?? '', `${base}/flaky`, { DeadLetterConfig: { Arn: dlq.arn }, RetryPolicy: { MaximumRetryAttempts: 3 } });
    statuses = [503, 429];
    await put('flaky');
    expect(await calls(1, '/flaky')).toHaveLength(1);
    await h.clock?.advance(1_000);
    expect(await calls(2, '/flaky')).toHaveLength(2);
    await h.clock?.advance(2_000);
    const three = await calls(3, '/flaky');
    expect(three).toHaveLength(3);
    expect(three[0]?.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(await h.receive(dlq.url)).toHaveLength(0);

    received.length = 0;
    statuses = [400];
    await put('flaky');
    expect(await calls(1, '/flaky')).toHaveLength(1);
    let dead = await h.receive(dlq.url);
    for (let i = 0; i < 50 && dead.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 5));
      dead = await h.receive(dlq.url);
    }
    expect(dead).toHaveLength(1);
    expect(dead[0]?.MessageAttributes?.ERROR_CODE?.StringValue).toBe('HTTP_400');
    expect(dead[0]?.MessageAttributes?.RETRY_ATTEMPTS).toBeUndefined();
    await h.clock?.advance(10_000);
    expect(received.filter((r) => r.url.startsWith('/flaky'))).toHaveLength(1);
  });

  test('other services deliver to an API destination through core/targets (Scheduler, Pipes)', async () => {
    const c = await h.eb.send(new CreateConnectionCommand({ Name: 'direct-conn', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }));
    const d = await h.eb.send(new CreateApiDestinationCommand({ Name: 'direct', ConnectionArn: c.ConnectionArn, InvocationEndpoint: `${base}/direct`, HttpMethod: 'PUT' }));
    const source = { account: '000000000000', region: 'us-east-1', service: 'scheduler' };
    await deliver(h.sy.instance, d.ApiDestinationArn ?? '', { body: '{"hello":"world"}' }, source);
    const [r] = await calls(1, '/direct');
    expect(r).toMatchObject({ method: 'PUT', body: '{"hello":"world"}' });
    await expect(deliver(h.sy.instance, d.ApiDestinationArn ?? '', { body: '{}' }, { ...source, account: '111111111111' })).rejects.toMatchObject({ code: 'AccessDeniedException' });
  });

  test('InvocationRateLimitPerSecond spaces the calls on the clock', async () => {
    const c = await h.eb.send(new CreateConnectionCommand({ Name: 'rate-conn', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }));
    await target('rated', c.ConnectionArn ?? '', `${base}/rated`, {}, 1);
    await put('rated');
    await put('rated');
    await put('rated');
    expect(await calls(1, '/rated')).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 30));
    expect(received.filter((r) => r.url.startsWith('/rated'))).toHaveLength(1);
    await h.clock?.advance(1_000);
    expect(await calls(2, '/rated')).toHaveLength(2);
    await h.clock?.advance(1_000);
    expect(await calls(3, '/rated')).toHaveLength(3);
  });
});
