// The HTTP Task through @aws-sdk/client-sfn: a real call to a local server with an EventBridge connection's API key,
// the task's headers, query and JSON body; a 404 answer fails the task with States.Http.StatusCode.404.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateConnectionCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSfnHarness, type SfnHarness } from './harness.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let h: SfnHarness;
let events: EventBridgeClient;
let server: Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  h = await startSfnHarness();
  events = new EventBridgeClient({ endpoint: h.sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url?.startsWith('/missing')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"no such thing"}');
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json', 'x-trace': 'abc' }).end('{"created":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  events.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

async function run(definition: object, input: unknown): Promise<{ status?: string; output?: string; error?: string; cause?: string }> {
  const arn = await h.machine(definition);
  const exec = await h.start(arn, input);
  for (let i = 0; i < 200; i++) {
    const d = await h.describe(exec);
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the execution did not finish');
}

describe('HTTP Task', () => {
  test('calls the endpoint with the connection authorization and returns the response as AWS shapes it', async () => {
    const conn = await events.send(
      new CreateConnectionCommand({
        Name: 'orders-api',
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'secret-key' },
          InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-from-connection', Value: 'yes' }] },
        },
      }),
    );
    const out = await run(
      {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: 'arn:aws:states:::http:invoke',
            Parameters: {
              ApiEndpoint: `${base}/orders`,
              Method: 'POST',
              Authentication: { ConnectionArn: conn.ConnectionArn },
              Headers: { 'x-task': 'hello' },
              QueryParameters: { 'region.$': '$.region' },
              'RequestBody.$': '$.order',
            },
            ResultSelector: { 'status.$': '$.StatusCode', 'body.$': '$.ResponseBody', 'trace.$': '$.Headers.x-trace[0]' },
            End: true,
          },
        },
      },
      { region: 'eu', order: { id: 7 } },
    );
    expect(out.status).toBe('SUCCEEDED');
    expect(JSON.parse(out.output ?? '{}')).toEqual({ status: 201, body: { created: true }, trace: 'abc' });
    const request = seen.at(-1);
    expect(request).toMatchObject({ method: 'POST', url: '/orders?region=eu', body: '{"id":7}' });
    expect(request?.headers['x-api-key']).toBe('secret-key');
    expect(request?.headers['x-task']).toBe('hello');
    expect(request?.headers['x-from-connection']).toBe('yes');
  });

  test('a non-2xx answer fails with States.Http.StatusCode.NNN, which Catch can handle', async () => {
    const conn = await events.send(
      new CreateConnectionCommand({
        Name: 'basic-api',
        AuthorizationType: 'BASIC',
        AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } },
      }),
    );
    const out = await run(
      {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: 'arn:aws:states:::http:invoke',
            Parameters: { ApiEndpoint: `${base}/missing`, Method: 'GET', Authentication: { ConnectionArn: conn.ConnectionArn } },
            Catch: [{ ErrorEquals: ['States.Http.StatusCode.404'], ResultPath: '$.error', Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Pass', End: true },
        },
      },
      {},
    );
    expect(out.status).toBe('SUCCEEDED');
    const error = (JSON.parse(out.output ?? '{}') as { error: { Error: string; Cause: string } }).error;
    expect(error.Error).toBe('States.Http.StatusCode.404');
    expect(JSON.parse(error.Cause)).toMatchObject({ StatusCode: 404, ResponseBody: { message: 'no such thing' } });
    expect(seen.at(-1)?.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });
});
