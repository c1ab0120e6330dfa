// HTTP API traffic through /_aws/execute-api/ID/...: route matching, the payload 1.0 and 2.0 events and response
// mapping, gateway errors, deployments, HTTP_PROXY to a real backend, AWS service integrations and CORS.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  type CreateIntegrationCommandInput,
} from '@aws-sdk/client-apigatewayv2';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startV2Harness, type V2Harness } from './harness.js';

let h: V2Harness;
let backend: Server;
let backendUrl: string;
const held: ServerResponse[] = [];
let apiId: string;
let echo2: string;
let echo1: string;

const ECHO2 = `
export const handler = async (event) => {
  const p = event.rawPath;
  if (p.endsWith('/inferred')) return { hello: 'world' };
  if (p.endsWith('/string')) return 'plain text';
  if (p.endsWith('/boom')) throw new Error('boom');
  if (p.endsWith('/slow')) { await new Promise((r) => setTimeout(r, 3000)); return 'late'; }
  return { statusCode: 200, headers: { 'content-type': 'application/json', 'x-k': 'v' }, cookies: ['a=1', 'b=2'], body: JSON.stringify(event) };
};`;

const ECHO1 = `
export const handler = async (event) => {
  if (event.path.endsWith('/bad')) return { hello: 1 };
  return { statusCode: 201, headers: { 'content-type': 'application/json' }, multiValueHeaders: { 'x-m': ['1', '2'] }, body: JSON.stringify(event) };
};`;

async function integration(input: Omit<CreateIntegrationCommandInput, 'ApiId'>, api = apiId): Promise<string> {
  return (await h.v2.send(new CreateIntegrationCommand({ ApiId: api, ...input }))).IntegrationId ?? '';
}

async function route(key: string, integrationId: string, api = apiId): Promise<void> {
  await h.v2.send(new CreateRouteCommand({ ApiId: api, RouteKey: key, Target: `integrations/${integrationId}` }));
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  h = await startV2Harness();
  backend = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.startsWith('/hold')) {
        held.push(res);
        return;
      }
      res.writeHead(207, { 'content-type': 'application/json', 'x-backend': 'yes' });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() }));
    });
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  [echo2, echo1] = await Promise.all([h.fn('echo2', ECHO2), h.fn('echo1', ECHO1)]);
  apiId = (await h.v2.send(new CreateApiCommand({ Name: 'traffic', ProtocolType: 'HTTP' }))).ApiId ?? '';
  const i2 = await integration({ IntegrationType: 'AWS_PROXY', IntegrationUri: echo2, PayloadFormatVersion: '2.0' });
  const slow = await integration({ IntegrationType: 'AWS_PROXY', IntegrationUri: echo2, PayloadFormatVersion: '2.0', TimeoutInMillis: 300 });
  const i1 = await integration({ IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${echo1}/invocations`, PayloadFormatVersion: '1.0' });
  for (const key of ['GET /pets', 'GET /pets/{id}', 'GET /pets/dog', 'ANY /files/{proxy+}', '$default', 'GET /inferred', 'GET /string', 'GET /boom']) await route(key, i2);
  await route('GET /slow', slow);
  await route('POST /v1/{x}', i1);
  await route('GET /v1/bad', i1);
  await h.v2.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true, StageVariables: { color: 'blue' } }));
}, 60_000);

afterAll(async () => {
  for (const r of held) r.destroy();
  backend.closeAllConnections();
  await new Promise<void>((r) => backend.close(() => r()));
  await h.close();
});

describe('Lambda proxy, payload 2.0', () => {
  it('sends the 2.0 event and maps the structured response', async () => {
    const res = await h.invoke(apiId, '/pets/42?a=1&a=2&b=x%20y', { headers: { cookie: 'c1=v1; c2=v2', 'x-multi': 'one', 'user-agent': 'tester/1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-k')).toBe('v');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(res.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    const event = await json(res);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /pets/{id}',
      rawPath: '/pets/42',
      rawQueryString: 'a=1&a=2&b=x%20y',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { a: '1,2', b: 'x y' },
      pathParameters: { id: '42' },
      stageVariables: { color: 'blue' },
      isBase64Encoded: false,
    });
    expect(event).toHaveProperty(['headers', 'x-multi'], 'one');
    expect(event).toHaveProperty(['headers', 'x-forwarded-proto'], 'http');
    expect(event).toHaveProperty(['headers', 'x-amzn-trace-id'], expect.stringMatching(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/));
    expect(event).not.toHaveProperty(['headers', 'cookie']);
    expect(event).not.toHaveProperty('body');
    expect(event.requestContext).toMatchObject({
      accountId: '000000000000',
      apiId,
      domainPrefix: apiId,
      http: { method: 'GET', path: '/pets/42', protocol: 'HTTP/1.1', userAgent: 'tester/1' },
      routeKey: 'GET /pets/{id}',
      stage: '$default',
    });
    expect(event.requestContext).toMatchObject({
      http: { sourceIp: expect.stringMatching(/127\.0\.0\.1/) },
      requestId: res.headers.get('apigw-requestid'),
      time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
      timeEpoch: expect.any(Number),
    });
  });

  it('matches the most specific route: literal, then parameter, then greedy, then $default', async () => {
    expect((await json(await h.invoke(apiId, '/pets/dog'))).routeKey).toBe('GET /pets/dog');
    expect((await json(await h.invoke(apiId, '/pets'))).routeKey).toBe('GET /pets');
    const greedy = await json(await h.invoke(apiId, '/files/a/b/c.txt', { method: 'DELETE' }));
    expect(greedy).toMatchObject({ routeKey: 'ANY /files/{proxy+}', pathParameters: { proxy: 'a/b/c.txt' } });
    expect((await json(await h.invoke(apiId, '/nothing/here'))).routeKey).toBe('$default');
    expect((await json(await h.invoke(apiId, '/pets', { method: 'POST' }))).routeKey).toBe('$default');
  });

  it('passes bodies, base64-encoding binary ones', async () => {
    const text = await json(await h.invoke(apiId, '/pets', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } }));
    expect(text).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    const bin = await json(await h.invoke(apiId, '/pets', { method: 'POST', body: Buffer.from([0, 1, 2, 255]), headers: { 'content-type': 'application/octet-stream' } }));
    expect(bin).toMatchObject({ body: Buffer.from([0, 1, 2, 255]).toString('base64'), isBase64Encoded: true });
  });

  it('infers the response format when the function returns no statusCode', async () => {
    const obj = await h.invoke(apiId, '/inferred');
    expect(obj.status).toBe(200);
    expect(obj.headers.get('content-type')).toBe('application/json');
    expect(await obj.json()).toEqual({ hello: 'world' });
    const str = await h.invoke(apiId, '/string');
    expect(await str.text()).toBe('plain text');
  });

  it('answers 500 for a function error and 503 when the integration times out', async () => {
    const boom = await h.invoke(apiId, '/boom');
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ message: 'Internal Server Error' });
    const slow = await h.invoke(apiId, '/slow');
    expect(slow.status).toBe(503);
    expect(await slow.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('answers 404 for unknown APIs and stages', async () => {
    const res = await h.invoke('zzzzzzzzzz', '/pets');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
  });
});

describe('Lambda proxy, payload 1.0', () => {
  it('sends the 1.0 event and maps multiValueHeaders', async () => {
    const res = await h.invoke(apiId, '/v1/abc?q=1&q=2', { method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-m')).toBe('1,2');
    const event = await json(res);
    expect(event).toMatchObject({
      version: '1.0',
      resource: '/v1/{x}',
      path: '/v1/abc',
      httpMethod: 'POST',
      queryStringParameters: { q: '2' },
      multiValueQueryStringParameters: { q: ['1', '2'] },
      pathParameters: { x: 'abc' },
      stageVariables: { color: 'blue' },
      body: 'hi',
      isBase64Encoded: false,
    });
    expect(event.requestContext).toMatchObject({ resourcePath: '/v1/{x}', resourceId: 'POST /v1/{x}', httpMethod: 'POST', stage: '$default', identity: { userArn: null } });
    expect(event).toHaveProperty(['multiValueHeaders', 'content-type'], ['text/plain']);
  });

  it('answers 500 when a 1.0 response has no statusCode', async () => {
    const res = await h.invoke(apiId, '/v1/bad');
    expect(res.status).toBe(500);
  });
});

describe('stages and deployments', () => {
  it('serves a named stage from its deployment, not from later changes', async () => {
    const api = (await h.v2.send(new CreateApiCommand({ Name: 'staged', ProtocolType: 'HTTP' }))).ApiId ?? '';
    const i = await integration({ IntegrationType: 'AWS_PROXY', IntegrationUri: echo2, PayloadFormatVersion: '2.0' }, api);
    await route('GET /one', i, api);
    await h.v2.send(new CreateStageCommand({ ApiId: api, StageName: 'dev', StageVariables: { v: 'dev' } }));
    expect((await h.invoke(api, '/dev/one')).status).toBe(404);
    await h.v2.send(new CreateDeploymentCommand({ ApiId: api, StageName: 'dev' }));
    const one = await json(await h.invoke(api, '/dev/one'));
    expect(one).toMatchObject({ rawPath: '/dev/one', stageVariables: { v: 'dev' }, requestContext: { stage: 'dev', http: { path: '/dev/one' } } });
    await route('GET /two', i, api);
    expect((await h.invoke(api, '/dev/two')).status).toBe(404);
    await h.v2.send(new CreateDeploymentCommand({ ApiId: api, StageName: 'dev' }));
    expect((await h.invoke(api, '/dev/two')).status).toBe(200);
  });
});

describe('HTTP_PROXY', () => {
  it('forwards to the backend with path variables and parameter mapping, and returns its answer', async () => {
    const api = (await h.v2.send(new CreateApiCommand({ Name: 'proxy', ProtocolType: 'HTTP' }))).ApiId ?? '';
    const i = await integration(
      {
        IntegrationType: 'HTTP_PROXY',
        IntegrationMethod: 'ANY',
        IntegrationUri: `${backendUrl}/base/{proxy}`,
        PayloadFormatVersion: '1.0',
        RequestParameters: {
          'append:header.x-from-query': '$request.querystring.who',
          'overwrite:header.x-stage': '$context.stage',
          'remove:header.x-secret': "''",
          'append:querystring.extra': 'static',
        },
      },
      api,
    );
    await route('ANY /p/{proxy+}', i, api);
    const slowI = await integration({ IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: `${backendUrl}/hold`, TimeoutInMillis: 400 }, api);
    await route('GET /hold', slowI, api);
    await h.v2.send(new CreateStageCommand({ ApiId: api, StageName: '$default', AutoDeploy: true }));

    const res = await h.invoke(api, '/p/a/b?who=me', { method: 'PUT', body: 'payload', headers: { 'x-secret': 's' } });
    expect(res.status).toBe(207);
    expect(res.headers.get('x-backend')).toBe('yes');
    const seen = await json(res);
    expect(seen).toMatchObject({ method: 'PUT', url: '/base/a/b?who=me&extra=static', body: 'payload', headers: { 'x-from-query': 'me', 'x-stage': '$default' } });
    expect(seen).not.toHaveProperty(['headers', 'x-secret']);

    // A backend that never answers holds up only its own request, which times out with 503.
    const pending = h.invoke(api, '/hold');
    const fast = await h.invoke(api, '/p/x');
    expect(fast.status).toBe(207);
    const timedOut = await pending;
    expect(timedOut.status).toBe(503);
  });
});

describe('AWS service integrations', () => {
  it('sends, receives and deletes SQS messages with mapped parameters', async () => {
    const sqs = new SQSClient({ endpoint: h.sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'from-http' }))).QueueUrl ?? '';
    const api = (await h.v2.send(new CreateApiCommand({ Name: 'svc', ProtocolType: 'HTTP' }))).ApiId ?? '';
    const base = { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '1.0', CredentialsArn: 'arn:aws:iam::000000000000:role/apigw' } as const;
    const send = await integration({ ...base, IntegrationSubtype: 'SQS-SendMessage', RequestParameters: { QueueUrl: '$stageVariables.queue', MessageBody: '$request.body.msg', DelaySeconds: '0' } }, api);
    const receive = await integration({ ...base, IntegrationSubtype: 'SQS-ReceiveMessage', RequestParameters: { QueueUrl: '$stageVariables.queue', MaxNumberOfMessages: '$request.querystring.max' } }, api);
    const del = await integration({ ...base, IntegrationSubtype: 'SQS-DeleteMessage', RequestParameters: { QueueUrl: '$stageVariables.queue', ReceiptHandle: '$request.header.x-receipt' } }, api);
    await route('POST /send', send, api);
    await route('GET /receive', receive, api);
    await route('DELETE /message', del, api);
    await h.v2.send(new CreateStageCommand({ ApiId: api, StageName: '$default', AutoDeploy: true, StageVariables: { queue: queueUrl } }));

    const sent = await h.invoke(api, '/send', { method: 'POST', body: JSON.stringify({ msg: 'hello sqs' }), headers: { 'content-type': 'application/json' } });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toMatch(/<SendMessageResponse[^>]*><SendMessageResult>.*<MessageId>[^<]+<\/MessageId>/);
    const got = await h.invoke(api, '/receive?max=1');
    const xml = await got.text();
    expect(xml).toContain('<Body>hello sqs</Body>');
    const receipt = /<ReceiptHandle>([^<]+)<\/ReceiptHandle>/.exec(xml)?.[1] ?? '';
    const deleted = await h.invoke(api, '/message', { method: 'DELETE', headers: { 'x-receipt': receipt } });
    expect(deleted.status).toBe(200);
    const after = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 0 }));
    expect(after.Messages ?? []).toHaveLength(0);
    const missing = await h.invoke(api, '/message', { method: 'DELETE' });
    expect(missing.status).toBe(400);
    sqs.destroy();
  });

  it('puts EventBridge events and runs Step Functions executions', async () => {
    const sfn = new SFNClient({ endpoint: h.sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const sm = await sfn.send(
      new CreateStateMachineCommand({
        name: 'http-express',
        type: 'EXPRESS',
        roleArn: 'arn:aws:iam::000000000000:role/sfn',
        definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { done: true }, ResultPath: '$.out', End: true } } }),
      }),
    );
    const api = (await h.v2.send(new CreateApiCommand({ Name: 'svc2', ProtocolType: 'HTTP' }))).ApiId ?? '';
    const base = { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '1.0', CredentialsArn: 'arn:aws:iam::000000000000:role/apigw' } as const;
    const put = await integration({ ...base, IntegrationSubtype: 'EventBridge-PutEvents', RequestParameters: { Source: 'my.app', DetailType: 'Order', Detail: '$request.body' } }, api);
    const sync = await integration({ ...base, IntegrationSubtype: 'StepFunctions-StartSyncExecution', RequestParameters: { StateMachineArn: sm.stateMachineArn ?? '', Input: '$request.body' } }, api);
    await route('POST /events', put, api);
    await route('POST /run', sync, api);
    await h.v2.send(new CreateStageCommand({ ApiId: api, StageName: '$default', AutoDeploy: true }));
    const events = await json(await h.invoke(api, '/events', { method: 'POST', body: '{"id":1}', headers: { 'content-type': 'application/json' } }));
    expect(events).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    const run = await json(await h.invoke(api, '/run', { method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json' } }));
    expect(run.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(run.output))).toEqual({ n: 1, out: { done: true } });

    const waiting = await sfn.send(
      new CreateStateMachineCommand({
        name: 'http-standard',
        roleArn: 'arn:aws:iam::000000000000:role/sfn',
        definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }),
      }),
    );
    const api2 = (await h.v2.send(new CreateApiCommand({ Name: 'svc3', ProtocolType: 'HTTP' }))).ApiId ?? '';
    const start = await integration({ ...base, IntegrationSubtype: 'StepFunctions-StartExecution', RequestParameters: { StateMachineArn: waiting.stateMachineArn ?? '', Name: '$request.path.name', Input: '$request.body' } }, api2);
    const stop = await integration({ ...base, IntegrationSubtype: 'StepFunctions-StopExecution', RequestParameters: { ExecutionArn: '$request.body.arn', Cause: 'by http' } }, api2);
    await route('POST /start/{name}', start, api2);
    await route('POST /stop', stop, api2);
    await h.v2.send(new CreateStageCommand({ ApiId: api2, StageName: '$default', AutoDeploy: true }));
    const started = await json(await h.invoke(api2, '/start/exec-1', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }));
    expect(started).toMatchObject({ executionArn: expect.stringContaining(':execution:http-standard:exec-1'), startDate: expect.any(Number) });
    const stopped = await json(await h.invoke(api2, '/stop', { method: 'POST', body: JSON.stringify({ arn: started.executionArn }), headers: { 'content-type': 'application/json' } }));
    expect(stopped).toMatchObject({ stopDate: expect.any(Number) });
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: String(started.executionArn) }));
    expect(described).toMatchObject({ status: 'ABORTED', cause: 'by http' });
    sfn.destroy();
  });
});

describe('CORS', () => {
  it('answers preflights and decorates responses', async () => {
    const api = (
      await h.v2.send(
        new CreateApiCommand({
          Name: 'cors',
          ProtocolType: 'HTTP',
          Target: echo2,
          CorsConfiguration: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type', 'authorization'], ExposeHeaders: ['x-k'], MaxAge: 300, AllowCredentials: true },
        }),
      )
    ).ApiId ?? '';
    const pre = await h.invoke(api, '/anything', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type,authorization');
    expect(pre.headers.get('access-control-max-age')).toBe('300');
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    const other = await h.invoke(api, '/anything', { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const actual = await h.invoke(api, '/x', { headers: { origin: 'https://app.example' } });
    expect(actual.status).toBe(200);
    expect(actual.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(actual.headers.get('access-control-expose-headers')).toBe('x-k');
  });
});

describe('access logs', () => {
  it('writes the stage format to CloudWatch Logs after each request', async () => {
    const api = (await h.v2.send(new CreateApiCommand({ Name: 'logged', ProtocolType: 'HTTP' }))).ApiId ?? '';
    const i = await integration({ IntegrationType: 'AWS_PROXY', IntegrationUri: echo2, PayloadFormatVersion: '2.0' }, api);
    await route('GET /pets/{id}', i, api);
    const destination = 'arn:aws:logs:us-east-1:000000000000:log-group:http-access';
    const bad = await h.v2
      .send(new CreateStageCommand({ ApiId: api, StageName: 'x', AccessLogSettings: { DestinationArn: destination, Format: '$context.status' } }))
      .catch((e: unknown) => e as { name: string; message: string });
    expect(bad).toMatchObject({ name: 'BadRequestException', message: 'Access Log format must contain at least one of $context.requestId or $context.extendedRequestId' });
    await h.v2.send(
      new CreateStageCommand({
        ApiId: api,
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: { DestinationArn: destination, Format: '$context.requestId $context.httpMethod $context.routeKey $context.status $context.integrationErrorMessage' },
      }),
    );
    const res = await h.invoke(api, '/pets/1');
    const requestId = res.headers.get('apigw-requestid');
    await res.arrayBuffer();
    const logs = new CloudWatchLogsClient({ endpoint: h.sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    let messages: string[] = [];
    for (let n = 0; n < 50 && messages.length === 0; n++) {
      const out = await logs.send(new GetLogEventsCommand({ logGroupName: 'http-access', logStreamName: `${api}_$default` })).catch(() => undefined);
      messages = (out?.events ?? []).map((e) => e.message ?? '');
      if (messages.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(messages).toEqual([`${requestId} GET GET /pets/{id} 200 -`]);
    logs.destroy();
  });
});
