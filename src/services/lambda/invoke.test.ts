// Functions that really run: Node (CommonJS, ESM, callback), Python and provided runtimes through the Runtime API,
// with payloads, errors, timeouts, logs, environment, context, warm reuse, Event invokes and calls back to Switchyard.
import { resolve } from 'node:path';
import {
  CreateFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionEventInvokeConfigCommand,
  PutFunctionEventInvokeConfigCommand,
  InvokeCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type CreateFunctionCommandInput,
  type InvokeCommandOutput,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver } from '../../core/targets.js';
import { ROLE, startLambdaHarness, zip, type LambdaHarness } from './harness.js';
import type { LambdaInternal } from './provider.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:';
const REPO_MODULES = resolve(import.meta.dirname, '../../../node_modules');
const HAS_PYTHON = spawnSync('python3', ['--version']).status === 0;

let h: LambdaHarness;
let sqs: SQSClient;
beforeAll(async () => {
  h = await startLambdaHarness();
  sqs = new SQSClient({
    endpoint: h.sy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  sqs.destroy();
  await h.close();
});

async function create(name: string, files: Parameters<typeof zip>[0], extra: Partial<CreateFunctionCommandInput> = {}) {
  await h.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zip(files) },
      ...extra,
    }),
  );
}

async function invoke(
  name: string,
  event: unknown = {},
  extra: Record<string, unknown> = {},
): Promise<InvokeCommandOutput> {
  return h.lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), ...extra }),
  );
}

const json = (out: InvokeCommandOutput): unknown => JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8'));
const logOf = (out: InvokeCommandOutput): string => Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');

describe('Node.js runtime', () => {
  it('runs a CommonJS handler with the event, context, environment and a log tail', async () => {
    await create(
      'ctx',
      {
        'index.js': `
        exports.handler = async (event, context) => {
          console.log('hello from', context.functionName);
          const env = {};
          for (const k of ['AWS_LAMBDA_FUNCTION_NAME','AWS_LAMBDA_FUNCTION_VERSION','AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
            'AWS_REGION','AWS_DEFAULT_REGION','_HANDLER','LAMBDA_TASK_ROOT','LAMBDA_RUNTIME_DIR','AWS_LAMBDA_LOG_GROUP_NAME',
            'AWS_LAMBDA_LOG_STREAM_NAME','TZ','AWS_ACCESS_KEY_ID','AWS_SECRET_ACCESS_KEY','AWS_SESSION_TOKEN',
            'AWS_ENDPOINT_URL','AWS_LAMBDA_RUNTIME_API','MY_VAR']) env[k] = process.env[k];
          return { event, env, context: {
            awsRequestId: context.awsRequestId, invokedFunctionArn: context.invokedFunctionArn,
            functionName: context.functionName, functionVersion: context.functionVersion,
            memoryLimitInMB: context.memoryLimitInMB, logGroupName: context.logGroupName,
            logStreamName: context.logStreamName, remaining: context.getRemainingTimeInMillis(),
            waits: context.callbackWaitsForEmptyEventLoop, clientContext: context.clientContext } };
        };`,
      },
      { Environment: { Variables: { MY_VAR: 'mine' } }, MemorySize: 256, Timeout: 5 },
    );
    const out = await invoke(
      'ctx',
      { hello: 'world' },
      {
        LogType: 'Tail',
        ClientContext: Buffer.from(JSON.stringify({ custom: { a: 1 } })).toString('base64'),
      },
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('$LATEST');
    const body = json(out) as { event: unknown; env: Record<string, string>; context: Record<string, unknown> };
    expect(body.event).toEqual({ hello: 'world' });
    expect(body.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'ctx',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      _HANDLER: 'index.handler',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/ctx',
      TZ: ':UTC',
      AWS_ACCESS_KEY_ID: '000000000000',
      AWS_ENDPOINT_URL: h.sy.endpoint,
      MY_VAR: 'mine',
    });
    expect(body.env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(body.env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(body.context).toMatchObject({
      awsRequestId: out.$metadata.requestId,
      invokedFunctionArn: `${ARN}ctx`,
      functionName: 'ctx',
      functionVersion: '$LATEST',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/ctx',
      logStreamName: body.env.AWS_LAMBDA_LOG_STREAM_NAME,
      waits: true,
      clientContext: { custom: { a: 1 } },
    });
    expect(body.context.remaining).toBeGreaterThan(3000);
    expect(body.context.remaining).toBeLessThanOrEqual(5000);
    const log = logOf(out);
    expect(log).toContain(`START RequestId: ${out.$metadata.requestId} Version: $LATEST`);
    expect(log).toMatch(/\tINFO\thello from ctx\n/);
    expect(log).toContain(`END RequestId: ${out.$metadata.requestId}`);
    expect(log).toContain('REPORT RequestId:');
  });

  it('loads ESM handlers (.mjs and type module) and callback handlers', async () => {
    await create(
      'esm',
      { 'app.mjs': 'export const handler = async (e) => ({ esm: e.n + 1 });' },
      { Handler: 'app.handler' },
    );
    expect(json(await invoke('esm', { n: 1 }))).toEqual({ esm: 2 });
    await create(
      'typemod',
      {
        'package.json': '{"type":"module"}',
        'src/main.js': 'export async function run(e) { return { mod: e.n * 2 }; }',
      },
      { Handler: 'src/main.run' },
    );
    expect(json(await invoke('typemod', { n: 4 }))).toEqual({ mod: 8 });
    await create('cb', {
      'index.js': `exports.handler = (event, context, callback) => {
        setTimeout(() => callback(null, { cb: event.n }), 10);
      };`,
    });
    expect(json(await invoke('cb', { n: 7 }))).toEqual({ cb: 7 });
    await create('cjs', { 'h.cjs': 'module.exports.go = async () => "cjs";' }, { Handler: 'h.go' });
    expect(json(await invoke('cjs'))).toBe('cjs');
  });

  it('writes JSON log lines filtered by the application log level when LogFormat is JSON', async () => {
    await create(
      'jsonlogs',
      {
        'index.js': 'exports.handler = async () => { console.debug("hidden"); console.warn("shown", 1); return 1; };',
      },
      { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' } },
    );
    const out = await invoke('jsonlogs', {}, { LogType: 'Tail' });
    const lines = logOf(out)
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        timestamp: expect.any(String) as string,
        level: 'WARN',
        requestId: out.$metadata.requestId,
        message: 'shown 1',
      },
    ]);
  });

  it('reports a thrown error as AWS does', async () => {
    await create('boom', {
      'index.js': `exports.handler = async () => { const e = new TypeError('it broke'); throw e; };`,
    });
    const out = await invoke('boom', {}, { LogType: 'Tail' });
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    const body = json(out) as { errorType: string; errorMessage: string; trace: string[] };
    expect(body.errorType).toBe('TypeError');
    expect(body.errorMessage).toBe('it broke');
    expect(body.trace[0]).toBe('TypeError: it broke');
    expect(logOf(out)).toContain('Invoke Error');
    // The environment survives a handled failure.
    expect((await invoke('boom')).FunctionError).toBe('Unhandled');
  });

  it('reports a missing handler and a missing module as init errors', async () => {
    await create('nohandler', { 'index.js': 'exports.other = async () => 1;' });
    const out = await invoke('nohandler');
    expect(out.FunctionError).toBe('Unhandled');
    expect(json(out)).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.handler is undefined or not exported',
    });
    await create('nomodule', { 'other.js': '' });
    expect(json(await invoke('nomodule'))).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
  });

  it('stops a function at its timeout and starts a fresh environment afterwards', async () => {
    await create(
      'slow',
      {
        'index.js': `let n = 0; exports.handler = async (e) => { n++; if (e.wait) await new Promise((r) => setTimeout(r, e.wait)); return { n, pid: process.pid }; };`,
      },
      { Timeout: 1 },
    );
    const first = json(await invoke('slow')) as { pid: number };
    const out = await invoke('slow', { wait: 5000 }, { LogType: 'Tail' });
    expect(out.FunctionError).toBe('Unhandled');
    expect(json(out)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${out.$metadata.requestId} Error: Task timed out after 1.00 seconds`,
    });
    expect(logOf(out)).toContain('Task timed out after 1.00 seconds');
    const after = json(await invoke('slow')) as { n: number; pid: number };
    expect(after.n).toBe(1);
    expect(after.pid).not.toBe(first.pid);
  });

  it('reuses a warm environment and starts another for concurrent invokes', async () => {
    await create('warm', {
      'index.js': `let n = 0; exports.handler = async (e) => { n++; await new Promise((r) => setTimeout(r, e.wait || 0)); return { n, pid: process.pid }; };`,
    });
    const a = json(await invoke('warm')) as { n: number; pid: number };
    const b = json(await invoke('warm')) as { n: number; pid: number };
    expect(b).toEqual({ n: a.n + 1, pid: a.pid });
    const [c, d] = (await Promise.all([invoke('warm', { wait: 300 }), invoke('warm', { wait: 300 })])).map(json) as {
      pid: number;
    }[];
    expect(c?.pid).not.toBe(d?.pid);
  });

  it('restarts environments when the code or the environment variables change', async () => {
    await create(
      'changes',
      { 'index.js': 'exports.handler = async () => ({ v: 1, x: process.env.XX });' },
      {
        Environment: { Variables: { XX: 'one' } },
      },
    );
    expect(json(await invoke('changes'))).toEqual({ v: 1, x: 'one' });
    await h.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'changes', Environment: { Variables: { XX: 'two' } } }),
    );
    expect(json(await invoke('changes'))).toEqual({ v: 1, x: 'two' });
    await h.lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'changes',
        ZipFile: zip({ 'index.js': 'exports.handler = async () => ({ v: 2 });' }),
      }),
    );
    expect(json(await invoke('changes'))).toEqual({ v: 2 });
  });

  it("lets the function's own SDK client reach Switchyard through AWS_ENDPOINT_URL", async () => {
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'from-lambda' }));
    await create(
      'caller',
      {
        'index.js': `
        const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
        exports.handler = async (event) => {
          const health = await fetch(process.env.AWS_ENDPOINT_URL + '/_switchyard/health');
          const client = new SQSClient({});
          const sent = await client.send(new SendMessageCommand({ QueueUrl: event.queueUrl, MessageBody: 'hi from lambda' }));
          return { health: health.status, id: sent.MessageId };
        };`,
      },
      { Environment: { Variables: { NODE_PATH: REPO_MODULES } }, Timeout: 20 },
    );
    const out = await invoke('caller', { queueUrl: queue.QueueUrl });
    expect(out.FunctionError).toBeUndefined();
    const body = json(out) as { health: number; id: string };
    expect(body.health).toBe(200);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, WaitTimeSeconds: 1 }));
    expect(got.Messages?.[0]?.Body).toBe('hi from lambda');
    expect(got.Messages?.[0]?.MessageId).toBe(body.id);
  });
});

describe('invocation types and limits', () => {
  it('runs Event invocations in the background (202), also through deliver(), and answers DryRun with 204', async () => {
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'async-out' }));
    await create(
      'async',
      {
        'index.js': `
        const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
        exports.handler = async (event) => {
          await new SQSClient({}).send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(event) }));
        };`,
      },
      { Environment: { Variables: { NODE_PATH: REPO_MODULES, QUEUE_URL: queue.QueueUrl ?? '' } }, Timeout: 20 },
    );
    const out = await invoke('async', { via: 'event' }, { InvocationType: 'Event' });
    expect(out.StatusCode).toBe(202);
    expect(out.Payload?.length ?? 0).toBe(0);
    const dry = await invoke('async', {}, { InvocationType: 'DryRun' });
    expect(dry.StatusCode).toBe(204);
    const internal = (await h.sy.instance.provider('lambda'))?.internal as LambdaInternal;
    const delivered = await deliver(
      h.sy.instance,
      `${ARN}async`,
      { body: JSON.stringify({ via: 'deliver' }) },
      {
        account: '000000000000',
        region: 'us-east-1',
        service: 'sns',
      },
    );
    expect(delivered.id).toMatch(/^[0-9a-f-]{36}$/);
    const bodies: string[] = [];
    for (let i = 0; i < 10 && bodies.length < 2; i++) {
      const got = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, WaitTimeSeconds: 2, MaxNumberOfMessages: 10 }),
      );
      bodies.push(...(got.Messages ?? []).map((m) => m.Body ?? ''));
    }
    expect(bodies.map((b) => JSON.parse(b) as unknown)).toEqual(
      expect.arrayContaining([{ via: 'event' }, { via: 'deliver' }]),
    );
    const sync = await internal.invoke(`${ARN}async`, JSON.stringify({ via: 'internal' }));
    expect(sync.statusCode).toBe(200);
  });

  it('sends Event results to destinations and failed events to the dead-letter queue', async () => {
    const queueArn = (name: string): string => `arn:aws:sqs:us-east-1:000000000000:${name}`;
    const urls: Record<string, string> = {};
    for (const q of ['ok-dest', 'fail-dest', 'dlq']) {
      urls[q] = (await sqs.send(new CreateQueueCommand({ QueueName: q }))).QueueUrl ?? '';
    }
    await create(
      'dest',
      {
        'index.js': 'exports.handler = async (e) => { if (e.fail) throw new Error("nope"); return { fine: true }; };',
      },
      { DeadLetterConfig: { TargetArn: queueArn('dlq') } },
    );
    const put = await h.lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'dest',
        MaximumRetryAttempts: 0,
        DestinationConfig: {
          OnSuccess: { Destination: queueArn('ok-dest') },
          OnFailure: { Destination: queueArn('fail-dest') },
        },
      }),
    );
    expect(put).toMatchObject({ FunctionArn: `${ARN}dest:$LATEST`, MaximumRetryAttempts: 0 });
    expect(
      (await h.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'dest' }))).DestinationConfig
        ?.OnFailure,
    ).toEqual({
      Destination: queueArn('fail-dest'),
    });
    await invoke('dest', { fail: false }, { InvocationType: 'Event' });
    await invoke('dest', { fail: true }, { InvocationType: 'Event' });
    const receive = async (q: string) => {
      for (let i = 0; i < 10; i++) {
        const got = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: urls[q], WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }),
        );
        const m = got.Messages?.[0];
        if (m) return m;
      }
      throw new Error(`nothing on ${q}`);
    };
    const ok = JSON.parse((await receive('ok-dest')).Body ?? '') as Record<string, unknown>;
    expect(ok).toMatchObject({
      version: '1.0',
      requestContext: { functionArn: `${ARN}dest:$LATEST`, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { fail: false },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { fine: true },
    });
    const failed = JSON.parse((await receive('fail-dest')).Body ?? '') as Record<string, unknown>;
    expect(failed).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 1 },
      requestPayload: { fail: true },
      responseContext: { functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'nope' },
    });
    const dead = await receive('dlq');
    expect(JSON.parse(dead.Body ?? '')).toEqual({ fail: true });
    expect(dead.MessageAttributes?.ErrorMessage?.StringValue).toBe('nope');
    expect(dead.MessageAttributes?.RequestID?.StringValue).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses payloads over the limits with RequestEntityTooLargeException', async () => {
    await create('limits', { 'index.js': 'exports.handler = async () => "x".repeat(7 * 1024 * 1024);' });
    const big = Buffer.from(JSON.stringify({ s: 'x'.repeat(6 * 1024 * 1024) }));
    const err = await h.lambda.send(new InvokeCommand({ FunctionName: 'limits', Payload: big })).then(
      () => undefined,
      (e: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => e,
    );
    expect(err?.name).toBe('RequestEntityTooLargeException');
    expect(err?.message).toBe('Request must be smaller than 6291456 bytes for the InvokeFunction operation');
    expect(err?.$metadata.httpStatusCode).toBe(413);
    const asyncBig = Buffer.from(JSON.stringify({ s: 'x'.repeat(1024 * 1024) }));
    const asyncErr = await h.lambda
      .send(new InvokeCommand({ FunctionName: 'limits', Payload: asyncBig, InvocationType: 'Event' }))
      .then(
        () => undefined,
        (e: { name: string }) => e,
      );
    expect(asyncErr?.name).toBe('RequestEntityTooLargeException');
    const tooBigAnswer = await invoke('limits');
    expect(tooBigAnswer.FunctionError).toBe('Unhandled');
    expect(json(tooBigAnswer)).toMatchObject({ errorType: 'Function.ResponseSizeTooLarge' });
  });

  it('throttles invocations beyond the reserved concurrency', async () => {
    await create('reserved', {
      'index.js':
        'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.wait || 0)); return "done"; };',
    });
    await h.lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'reserved', ReservedConcurrentExecutions: 0 }),
    );
    const got = await h.lambda.send(new GetFunctionCommand({ FunctionName: 'reserved' }));
    expect(got.Concurrency).toEqual({ ReservedConcurrentExecutions: 0 });
    const err = await invoke('reserved').then(
      () => undefined,
      (e: { name: string; message: string; Reason?: string; $metadata: { httpStatusCode?: number } }) => e,
    );
    expect(err).toMatchObject({
      name: 'TooManyRequestsException',
      message: 'Rate Exceeded.',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    expect(err?.$metadata.httpStatusCode).toBe(429);
    await h.lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'reserved', ReservedConcurrentExecutions: 1 }),
    );
    const results = await Promise.allSettled([invoke('reserved', { wait: 300 }), invoke('reserved', { wait: 300 })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    await h.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'reserved' }));
    expect(
      (await h.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'reserved' })))
        .ReservedConcurrentExecutions,
    ).toBeUndefined();
    expect(json(await invoke('reserved'))).toBe('done');
  });

  it('routes the Qualifier to versions and aliases', async () => {
    await create(
      'quals',
      {
        'index.js': 'exports.handler = async (e, c) => ({ v: 1, arn: c.invokedFunctionArn, ver: c.functionVersion });',
      },
      {
        Publish: true,
      },
    );
    await h.lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'quals',
        ZipFile: zip({ 'index.js': 'exports.handler = async () => ({ v: 2 });' }),
      }),
    );
    const { CreateAliasCommand } = await import('@aws-sdk/client-lambda');
    await h.lambda.send(new CreateAliasCommand({ FunctionName: 'quals', Name: 'prod', FunctionVersion: '1' }));
    const v1 = await invoke('quals', {}, { Qualifier: '1' });
    expect(v1.ExecutedVersion).toBe('1');
    expect(json(v1)).toEqual({ v: 1, arn: `${ARN}quals:1`, ver: '1' });
    const alias = await invoke(`${ARN}quals:prod`);
    expect(alias.ExecutedVersion).toBe('1');
    expect(json(alias)).toMatchObject({ v: 1, arn: `${ARN}quals:prod` });
    expect(json(await invoke('quals'))).toEqual({ v: 2 });
    const missing = await invoke('quals', {}, { Qualifier: '9' }).then(
      () => undefined,
      (e: { name: string; message: string }) => e,
    );
    expect(missing?.message).toBe(`Function not found: ${ARN}quals:9`);
  });
});

describe('other runtimes', () => {
  it.runIf(HAS_PYTHON)('runs a Python handler', async () => {
    await create(
      'py',
      {
        'app.py': `
import os
def handler(event, context):
    print("python says hi")
    return {"got": event["n"], "name": context.function_name, "rid": context.aws_request_id, "region": os.environ["AWS_REGION"]}
def fails(event, context):
    raise ValueError("bad value")
`,
      },
      { Runtime: 'python3.12', Handler: 'app.handler' },
    );
    const out = await invoke('py', { n: 3 }, { LogType: 'Tail' });
    expect(json(out)).toEqual({ got: 3, name: 'py', rid: out.$metadata.requestId, region: 'us-east-1' });
    expect(logOf(out)).toContain('python says hi');
    await h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'py', Handler: 'app.fails' }));
    const failed = await invoke('py');
    expect(failed.FunctionError).toBe('Unhandled');
    expect(json(failed)).toMatchObject({ errorType: 'ValueError', errorMessage: 'bad value' });
  });

  it('runs a provided runtime bootstrap against the Runtime API', async () => {
    const bootstrap = `#!${process.execPath}
const base = 'http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2018-06-01/runtime/invocation/';
(async () => {
  for (;;) {
    const next = await fetch(base + 'next');
    const id = next.headers.get('lambda-runtime-aws-request-id');
    const event = await next.json();
    await fetch(base + id + '/response', { method: 'POST', body: JSON.stringify({ custom: event.n, handler: process.env._HANDLER }) });
  }
})().catch(() => process.exit(1));
`;
    await create(
      'custom',
      { bootstrap: { data: bootstrap, mode: 0o755 } },
      { Runtime: 'provided.al2023', Handler: 'my.handler' },
    );
    expect(json(await invoke('custom', { n: 5 }))).toEqual({ custom: 5, handler: 'my.handler' });
  });

  it('fails clearly for a runtime that cannot run here', async () => {
    await create('java', { 'A.class': '' }, { Runtime: 'java21', Handler: 'a.B::handle' });
    const out = await invoke('java');
    expect(out.FunctionError).toBe('Unhandled');
    expect(json(out)).toMatchObject({
      errorType: 'Runtime.Unavailable',
      errorMessage: expect.stringContaining('java21') as string,
    });
  });
});

describe('lifecycle', () => {
  it('stops every execution environment with Switchyard', async () => {
    const other = await startLambdaHarness();
    await other.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'pid',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: zip({ 'index.js': 'exports.handler = async () => process.pid;' }) },
      }),
    );
    const out = await other.lambda.send(new InvokeCommand({ FunctionName: 'pid' }));
    const pid = json(out) as number;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await other.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
