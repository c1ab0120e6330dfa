// The server around the services: health, reset, isolation, HTTP/2, routing and the errors for what is not there.
import { connect } from 'node:http2';
import { CreateQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../src/index.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let sy: RunningSwitchyard;
let sqs: SQSClient;

beforeAll(async () => {
  sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
  sqs = new SQSClient({ endpoint: sy.endpoint, region: 'us-east-1', credentials });
});
afterAll(async () => {
  sqs.destroy();
  await sy.stop();
});

describe('internal routes', () => {
  test('health answers 200 with the services', async () => {
    const res = await fetch(`${sy.endpoint}/_switchyard/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; services: Record<string, string> };
    expect(body.status).toBe('running');
    expect(body.services).toHaveProperty('sqs');
  });

  test('reset clears all state', async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: 'reset-me' }));
    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toContain(`${sy.endpoint}/000000000000/reset-me`);
    const res = await fetch(`${sy.endpoint}/_switchyard/reset`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).toEqual([]);
  });

  test('an unknown internal route answers 404', async () => {
    const res = await fetch(`${sy.endpoint}/_switchyard/nope`);
    expect(res.status).toBe(404);
  });
});

describe('isolation and accounts', () => {
  test('two instances in one process do not share state', async () => {
    const other = await startSwitchyard({ port: 0, logLevel: 'silent' });
    const sqs2 = new SQSClient({ endpoint: other.endpoint, region: 'us-east-1', credentials });
    try {
      await sqs.send(new CreateQueueCommand({ QueueName: 'only-in-first' }));
      expect((await sqs2.send(new ListQueuesCommand({}))).QueueUrls ?? []).toEqual([]);
    } finally {
      sqs2.destroy();
      await other.stop();
    }
  });

  test('a 12-digit access key id selects the account; regions are separate', async () => {
    const acct = new SQSClient({
      endpoint: sy.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' },
    });
    try {
      const { QueueUrl } = await acct.send(new CreateQueueCommand({ QueueName: 'acct-q' }));
      expect(QueueUrl).toBe(`${sy.endpoint}/111122223333/acct-q`);
      const inDefault = (await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [];
      expect(inDefault.some((u) => u.endsWith('/acct-q'))).toBe(false);
    } finally {
      acct.destroy();
    }
  });
});

describe('transport', () => {
  test('cleartext HTTP/2 with prior knowledge on the same port', async () => {
    const session = connect(sy.endpoint);
    try {
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = session.request({
          ':method': 'POST',
          ':path': '/',
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AmazonSQS.ListQueues',
          authorization:
            'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x',
        });
        let status = 0;
        let body = '';
        req.on('response', (h) => (status = Number(h[':status'])));
        req.setEncoding('utf8');
        req.on('data', (d: string) => (body += d));
        req.on('end', () => resolve({ status, body }));
        req.on('error', reject);
        req.end('{}');
      });
      expect(status).toBe(200);
      expect(JSON.parse(body)).toEqual(expect.any(Object));
    } finally {
      session.close();
    }
  });
});

describe('what is not there', () => {
  test('a service not implemented yet answers a clear error naming it', async () => {
    const elb = new ElasticLoadBalancingV2Client({ endpoint: sy.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      await expect(elb.send(new DescribeLoadBalancersCommand({}))).rejects.toMatchObject({
        name: 'NotImplemented',
        message: expect.stringContaining('Elastic Load Balancing v2 DescribeLoadBalancers'),
      });
    } finally {
      elb.destroy();
    }
  });

  test('a JSON-protocol service not implemented yet names the operation', async () => {
    const cloudwatch = new CloudWatchClient({ endpoint: sy.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      await expect(cloudwatch.send(new ListMetricsCommand({}))).rejects.toMatchObject({
        name: 'NotImplemented',
        message: expect.stringContaining('CloudWatch ListMetrics'),
      });
    } finally {
      cloudwatch.destroy();
    }
  });

  test('a request no service claims answers 400 UnknownService, not a 500', async () => {
    const res = await fetch(`${sy.endpoint}/`, { method: 'POST', body: 'hello' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: 'UnknownService' });
  });

  test('an unknown awsJson operation answers UnknownOperationException', async () => {
    const res = await fetch(`${sy.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.Frobnicate' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toMatch(/UnknownOperationException$/);
  });

  test('malformed JSON answers SerializationException', async () => {
    const res = await fetch(`${sy.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{nope',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toMatch(/SerializationException$/);
  });
});

describe('routing of unsigned requests', () => {
  test('a REST path that only one service uses selects it', async () => {
    const res = await fetch(`${sy.endpoint}/2015-03-31/functions`, { method: 'GET' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ Functions: [] });
  });

  test('a query request with Action and Version selects the service by version', async () => {
    const res = await fetch(`${sy.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListQueues&Version=2012-11-05',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<ListQueuesResponse');
  });
});

describe('SNS outbox', () => {
  test('email deliveries are readable at /_switchyard/sns/outbox and cleared with DELETE', async () => {
    const { SNSClient, CreateTopicCommand, SubscribeCommand, PublishCommand } = await import('@aws-sdk/client-sns');
    const sns = new SNSClient({ endpoint: sy.endpoint, region: 'us-east-1', credentials });
    try {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'mail' }));
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
      await sns.send(new PublishCommand({ TopicArn, Subject: 'hello', Message: 'the body' }));
      const res = await fetch(`${sy.endpoint}/_switchyard/sns/outbox`);
      expect(res.status).toBe(200);
      const { messages } = (await res.json()) as { messages: Array<{ protocol: string; endpoint: string; message: string }> };
      expect(messages.some((m) => m.protocol === 'email' && m.endpoint === 'ops@example.com')).toBe(true);
      expect((await fetch(`${sy.endpoint}/_switchyard/sns/outbox`, { method: 'DELETE' })).status).toBe(200);
      const after = (await (await fetch(`${sy.endpoint}/_switchyard/sns/outbox`)).json()) as { messages: unknown[] };
      expect(after.messages).toEqual([]);
    } finally {
      sns.destroy();
    }
  });
});
