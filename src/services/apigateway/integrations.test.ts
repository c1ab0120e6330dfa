// HTTP, HTTP_PROXY and AWS service integrations through the invoke URL: request templates with $input/$util/$context/
// $stageVariables seen by a real backend, parameter mapping, integration responses by status, timeouts on the clock
// (a slow backend blocks no one), and SQS, SNS, EventBridge and Step Functions called in process.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateDeploymentCommand,
  PutIntegrationResponseCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { startApiGatewayHarness, type ApiGatewayHarness } from './harness.js';

let h: ApiGatewayHarness;
let clock: FakeClock;
let backend: Server;
let backendUrl: string;
/** Resolvers of requests parked by the backend's /slow route. */
const slow: Array<() => void> = [];
let slowArrived: (() => void) | undefined;

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += (chunk as Buffer).toString();
  return body;
}

beforeAll(async () => {
  clock = new FakeClock();
  h = await startApiGatewayHarness({ clock });
  backend = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.startsWith('/status/')) {
        res.writeHead(Number(url.pathname.slice(8)), { 'content-type': 'application/json', 'x-backend': 'b1' });
        res.end(JSON.stringify({ error: 'gone', code: url.pathname.slice(8) }));
        return;
      }
      if (url.pathname === '/slow') {
        slowArrived?.();
        await new Promise<void>((resolve) => slow.push(resolve));
      }
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(url.pathname.startsWith('/created') ? 201 : 200, { 'content-type': 'application/json', 'x-backend': 'echo' });
      res.end(JSON.stringify({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body }));
    })();
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const release of slow) release();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
  await h.close();
});

async function respond(apiId: string, resourceId: string, httpMethod: string, statusCode: string, extra: Partial<{ selectionPattern: string; responseTemplates: Record<string, string>; responseParameters: Record<string, string> }> = {}) {
  await h.apigw.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId, httpMethod, statusCode }));
  await h.apigw.send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId, httpMethod, statusCode, ...extra }));
}

const deploy = (restApiId: string, variables?: Record<string, string>) =>
  h.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', variables }));

interface Echo {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

describe('HTTP integrations', () => {
  it('renders request templates with $input, $util, $context and $stageVariables, and maps parameters', async () => {
    const { id, root } = await h.api('http-template');
    const r = await h.resource(id, root, 'echo/{name}');
    const template = [
      "#set($body = $input.path('$'))",
      "#set($parsed = $util.parseJson($input.json('$.nested')))",
      '{',
      '"raw": "$util.escapeJavaScript($input.body)",',
      "\"json\": $input.json('$.items[1]'),",
      '"count": $body.items.size(),',
      '"deep": "$parsed.k",',
      "\"name\": \"$input.params('name')\",",
      "\"q\": \"$input.params('q')\",",
      "\"h\": \"$input.params('X-Custom')\",",
      "\"enc\": \"$util.urlEncode('a b&c')\",",
      "\"dec\": \"$util.urlDecode('a+b%26c')\",",
      "\"b64\": \"$util.base64Encode('hi')\",",
      "\"unb64\": \"$util.base64Decode('aGk=')\",",
      '"stage": "$context.stage",',
      '"method": "$context.httpMethod",',
      '"resource": "$context.resourcePath",',
      '"ip": "$context.identity.sourceIp",',
      '"var": "$stageVariables.mode",',
      '"missing": "$context.authorizer.principalId",',
      '"keys": "#foreach($k in $input.params().querystring.keySet())$k#end"',
      '}',
    ].join('\n');
    await h.method(id, r, 'POST', {
      type: 'HTTP',
      integrationHttpMethod: 'PUT',
      uri: `${backendUrl}/users/{user}`,
      requestParameters: {
        'integration.request.path.user': 'method.request.path.name',
        'integration.request.querystring.from': 'method.request.querystring.q',
        'integration.request.header.X-Stage': 'stageVariables.mode',
        'integration.request.header.X-Fixed': "'fixed'",
      },
      requestTemplates: { 'application/json': template },
    });
    await respond(id, r, 'POST', '200', {
      responseParameters: { 'method.response.header.X-From-Backend': 'integration.response.header.x-backend', 'method.response.header.X-Method': 'integration.response.body.method' },
    });
    await deploy(id, { mode: 'fast' });
    const body = JSON.stringify({ items: [1, { a: 'b' }], nested: { k: 'v' } });
    const res = await h.invoke(id, '/dev/echo/bob?q=1', { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-custom': 'yes' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-from-backend')).toBe('echo');
    expect(res.headers.get('x-method')).toBe('PUT');
    const echo = (await res.json()) as Echo;
    expect(echo).toMatchObject({ method: 'PUT', path: '/users/bob', query: { from: '1' }, headers: { 'x-stage': 'fast', 'x-fixed': 'fixed' } });
    expect(JSON.parse(echo.body)).toEqual({
      raw: body,
      json: { a: 'b' },
      count: 2,
      deep: 'v',
      name: 'bob',
      q: '1',
      h: 'yes',
      enc: 'a+b%26c',
      dec: 'a b&c',
      b64: 'aGk=',
      unb64: 'hi',
      stage: 'dev',
      method: 'POST',
      resource: '/echo/{name}',
      ip: expect.stringMatching(/127\.0\.0\.1/) as unknown,
      var: 'fast',
      missing: '',
      keys: 'q',
    });
  });

  it('selects integration responses by the backend status, with response templates', async () => {
    const { id, root } = await h.api('http-status');
    const r = await h.resource(id, root, 'status/{code}');
    await h.method(id, r, 'GET', {
      type: 'HTTP',
      integrationHttpMethod: 'GET',
      uri: `${backendUrl}/status/{code}`,
      requestParameters: { 'integration.request.path.code': 'method.request.path.code' },
    });
    await respond(id, r, 'GET', '200');
    await respond(id, r, 'GET', '404', { selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"missing": $input.json(\'$.code\')}' } });
    await respond(id, r, 'GET', '502', { selectionPattern: '5\\d{2}', responseTemplates: { 'application/json': '{"upstream":"failed"}' } });
    await deploy(id);
    const gone = await h.invoke(id, '/dev/status/410');
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ missing: '410' });
    const broken = await h.invoke(id, '/dev/status/503');
    expect(broken.status).toBe(502);
    expect(await broken.json()).toEqual({ upstream: 'failed' });
    const fine = await h.invoke(id, '/dev/status/200');
    expect(fine.status).toBe(200);
    expect(await fine.json()).toEqual({ error: 'gone', code: '200' });
  });

  it('HTTP_PROXY hands on method, path, query, headers and body, and the backend answer as it is', async () => {
    const { id, root } = await h.api('http-proxy');
    const r = await h.resource(id, root, '{proxy+}');
    await h.method(id, r, 'ANY', {
      type: 'HTTP_PROXY',
      integrationHttpMethod: 'ANY',
      uri: `${backendUrl}/{proxy}`,
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    });
    await deploy(id);
    const res = await h.invoke(id, '/dev/created/x?a=1&a=2&b=3', { method: 'PATCH', body: 'hello', headers: { 'x-custom': 'c' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-backend')).toBe('echo');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const echo = (await res.json()) as Echo;
    expect(echo).toMatchObject({ method: 'PATCH', path: '/created/x', query: { a: '2', b: '3' }, body: 'hello', headers: { 'x-custom': 'c' } });
  });

  it('answers 504 after the integration timeout while other requests go on, and 500 when the backend is down', async () => {
    const { id, root } = await h.api('http-slow');
    const s = await h.resource(id, root, 'slow');
    await h.method(id, s, 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${backendUrl}/slow`, timeoutInMillis: 1000 });
    const f = await h.resource(id, root, 'fast');
    await h.method(id, f, 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${backendUrl}/fast` });
    const d = await h.resource(id, root, 'down');
    await h.method(id, d, 'GET', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'http://127.0.0.1:1/nothing' });
    await deploy(id);
    const arrived = new Promise<void>((resolve) => (slowArrived = resolve));
    const pending = h.invoke(id, '/dev/slow');
    await arrived;
    expect((await h.invoke(id, '/dev/fast')).status).toBe(200);
    await clock.advance(1000);
    const res = await pending;
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({ message: 'Endpoint request timed out' });
    const down = await h.invoke(id, '/dev/down');
    expect(down.status).toBe(500);
    expect(await down.json()).toEqual({ message: 'Internal server error' });
  });
});

describe('AWS service integrations', () => {
  const ACCOUNT = '000000000000';
  const config = () => ({ endpoint: h.sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

  async function queue(name: string): Promise<{ url: string; arn: string }> {
    const url = (await h.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
    const attrs = await h.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
    return { url, arn: attrs.Attributes?.QueueArn ?? '' };
  }
  const receive = async (url: string) => (await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages ?? [];

  it('SQS SendMessage by path (form body) and by action (query string)', async () => {
    const q = await queue('apigw-orders');
    const { id, root } = await h.api('to-sqs');
    const byPath = await h.resource(id, root, 'path');
    await h.method(id, byPath, 'POST', {
      type: 'AWS',
      integrationHttpMethod: 'POST',
      uri: `arn:aws:apigateway:us-east-1:sqs:path/${ACCOUNT}/apigw-orders`,
      requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
      requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
    });
    await respond(id, byPath, 'POST', '200');
    const byAction = await h.resource(id, root, 'action');
    await h.method(id, byAction, 'POST', {
      type: 'AWS',
      integrationHttpMethod: 'POST',
      uri: 'arn:aws:apigateway:us-east-1:sqs:action/SendMessage',
      requestParameters: {
        'integration.request.querystring.QueueUrl': `'${q.url}'`,
        'integration.request.querystring.MessageBody': 'method.request.querystring.text',
      },
    });
    await respond(id, byAction, 'POST', '200');
    await respond(id, byAction, 'POST', '400', { selectionPattern: '4\\d{2}' });
    await deploy(id);
    const sent = await h.invoke(id, '/dev/path', { method: 'POST', body: '{"order":1}', headers: { 'content-type': 'application/json' } });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toMatch(/<SendMessageResponse[^>]*><SendMessageResult>.*<MessageId>[0-9a-f-]{36}<\/MessageId>/);
    expect((await h.invoke(id, '/dev/action?text=hello', { method: 'POST' })).status).toBe(200);
    const bodies = (await receive(q.url)).map((m) => m.Body).sort();
    expect(bodies).toEqual(['hello', '{"order":1}']);
    // No MessageBody: SQS's own error, selected by its status.
    const bad = await h.invoke(id, '/dev/action', { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/MissingParameter|InvalidParameterValue|MessageBody/);
  });

  it('SNS Publish, EventBridge PutEvents and Step Functions StartExecution', async () => {
    const sns = new SNSClient(config());
    const events = new EventBridgeClient(config());
    const sfn = new SFNClient(config());
    try {
      const topicQueue = await queue('apigw-topic-sink');
      const topic = (await sns.send(new CreateTopicCommand({ Name: 'apigw-topic' }))).TopicArn ?? '';
      await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: topicQueue.arn, Attributes: { RawMessageDelivery: 'true' } }));
      const busQueue = await queue('apigw-bus-sink');
      await events.send(new CreateEventBusCommand({ Name: 'apigw-bus' }));
      await events.send(new PutRuleCommand({ Name: 'all', EventBusName: 'apigw-bus', EventPattern: JSON.stringify({ source: ['apigw.test'] }) }));
      await events.send(new PutTargetsCommand({ Rule: 'all', EventBusName: 'apigw-bus', Targets: [{ Id: 'q', Arn: busQueue.arn }] }));
      const machine = await sfn.send(
        new CreateStateMachineCommand({
          name: 'apigw-machine',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/sfn`,
          definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
        }),
      );

      const { id, root } = await h.api('to-services');
      const pub = await h.resource(id, root, 'publish');
      await h.method(id, pub, 'POST', {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: 'arn:aws:apigateway:us-east-1:sns:action/Publish',
        requestParameters: { 'integration.request.querystring.TopicArn': `'${topic}'`, 'integration.request.querystring.Message': 'method.request.body.text' },
      });
      await respond(id, pub, 'POST', '200');
      const put = await h.resource(id, root, 'events');
      await h.method(id, put, 'POST', {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: 'arn:aws:apigateway:us-east-1:events:action/PutEvents',
        requestTemplates: {
          'application/json':
            '{"Entries":[{"EventBusName":"apigw-bus","Source":"apigw.test","DetailType":"Created","Detail":"$util.escapeJavaScript($input.body)"}]}',
        },
      });
      await respond(id, put, 'POST', '200');
      const start = await h.resource(id, root, 'start');
      await h.method(id, start, 'POST', {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: 'arn:aws:apigateway:us-east-1:states:action/StartExecution',
        requestTemplates: { 'application/json': `{"stateMachineArn":"${machine.stateMachineArn ?? ''}","input":"$util.escapeJavaScript($input.body)"}` },
      });
      await respond(id, start, 'POST', '200', { responseTemplates: { 'application/json': '{"arn": $input.json(\'$.executionArn\')}' } });
      await deploy(id);

      const json = { 'content-type': 'application/json' };
      const published = await h.invoke(id, '/dev/publish', { method: 'POST', body: JSON.stringify({ text: 'hi sns' }), headers: json });
      expect(published.status).toBe(200);
      expect(await published.text()).toContain('<MessageId>');
      const putEvents = await h.invoke(id, '/dev/events', { method: 'POST', body: JSON.stringify({ n: 1 }), headers: json });
      expect(putEvents.status).toBe(200);
      expect(((await putEvents.json()) as { FailedEntryCount: number }).FailedEntryCount).toBe(0);
      const started = await h.invoke(id, '/dev/start', { method: 'POST', body: JSON.stringify({ go: true }), headers: json });
      expect(started.status).toBe(200);
      const arn = ((await started.json()) as { arn: string }).arn;
      expect(arn).toMatch(/^arn:aws:states:us-east-1:000000000000:execution:apigw-machine:/);
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
      expect(JSON.parse(execution.input ?? '{}')).toEqual({ go: true });

      await clock.advance(100);
      expect((await receive(topicQueue.url)).map((m) => m.Body)).toEqual(['hi sns']);
      const delivered = (await receive(busQueue.url)).map((m) => JSON.parse(m.Body ?? '{}') as { detail: unknown; 'detail-type': string });
      expect(delivered).toHaveLength(1);
      expect(delivered[0]?.detail).toEqual({ n: 1 });
    } finally {
      sns.destroy();
      events.destroy();
      sfn.destroy();
    }
  });

  it('Kinesis PutRecord with the data base64-encoded by the template', async () => {
    const kinesis = new KinesisClient(config());
    try {
      await kinesis.send(new CreateStreamCommand({ StreamName: 'apigw-stream', ShardCount: 1 }));
      const { id, root } = await h.api('to-kinesis');
      const r = await h.resource(id, root, 'records');
      await h.method(id, r, 'PUT', {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: 'arn:aws:apigateway:us-east-1:kinesis:action/PutRecord',
        requestTemplates: { 'application/json': '{"StreamName":"apigw-stream","Data":"$util.base64Encode($input.body)","PartitionKey":"$context.requestId"}' },
      });
      await respond(id, r, 'PUT', '200', { responseTemplates: { 'application/json': '{"shard": $input.json(\'$.ShardId\')}' } });
      await deploy(id);
      const res = await h.invoke(id, '/dev/records', { method: 'PUT', body: '{"reading":42}', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ shard: 'shardId-000000000000' });
      const it = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'apigw-stream', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
      const records = await kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
      expect(records.Records?.map((rec) => Buffer.from(rec.Data ?? new Uint8Array()).toString('utf8'))).toEqual(['{"reading":42}']);
    } finally {
      kinesis.destroy();
    }
  });
});
