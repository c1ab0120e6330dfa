// SQS event source mappings over the wire: the control plane and its errors, and real Node handlers fed by the
// poller (record format, partial batch failures, dead-letter queue through redrive, filters, batching window on the
// fake clock, enable and disable, FIFO group order).
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  DeleteFunctionCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { ROLE, startLambdaHarness, zip, type LambdaHarness } from './harness.js';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:';
const FN_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:';

let h: LambdaHarness;
let sqs: SQSClient;
let clock: FakeClock;
let out: string;

beforeAll(async () => {
  clock = new FakeClock();
  h = await startLambdaHarness({ clock });
  sqs = new SQSClient({
    endpoint: h.sy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  out = mkdtempSync(join(tmpdir(), 'esm-test-'));
});
afterAll(async () => {
  sqs.destroy();
  await h.close();
  rmSync(out, { recursive: true, force: true });
});

/** A handler that appends each event to a file and answers as `answer(event)` says. */
async function recorder(name: string, answer = 'undefined'): Promise<string> {
  const file = join(out, `${name}.jsonl`);
  await h.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Timeout: 10,
      Code: {
        ZipFile: zip({
          'index.js': `
          const fs = require('node:fs');
          exports.handler = async (event) => {
            fs.appendFileSync(${JSON.stringify(file)}, JSON.stringify(event) + '\\n');
            const answer = (${answer});
            if (answer === 'throw') throw new Error('batch failed');
            return answer;
          };`,
        }),
      },
    }),
  );
  return file;
}

interface Event {
  Records: Array<Record<string, unknown> & { body: string; messageId: string }>;
}

function events(file: string): Event[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Event);
}

/** Waits (real time, bounded) for the child process to have done its work. */
async function eventually<T>(probe: () => Promise<T> | T, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function queue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const q = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return q.QueueUrl ?? '';
}

async function counts(url: string): Promise<[number, number]> {
  const a = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return [
    Number(a.Attributes?.ApproximateNumberOfMessages),
    Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible),
  ];
}

const empty = (c: [number, number]): boolean => c[0] === 0 && c[1] === 0;

async function map(input: Partial<CreateEventSourceMappingCommandInput> & { FunctionName: string; EventSourceArn: string }) {
  return h.lambda.send(new CreateEventSourceMappingCommand(input));
}

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as { name: string; message: string; $metadata?: { httpStatusCode?: number } },
  );
  if (!err) throw new Error('expected an error');
  return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
}

describe('control plane', () => {
  it("refuses a queue whose visibility timeout is shorter than the function's timeout", async () => {
    await recorder('slow-fn');
    const url = await queue('short-visibility', { VisibilityTimeout: '5' });
    const arn = `arn:aws:sqs:us-east-1:000000000000:${url.split('/').pop() ?? ''}`;
    expect(await failure(map({ FunctionName: 'slow-fn', EventSourceArn: arn }))).toEqual({
      name: 'InvalidParameterValueException',
      message: 'Queue visibility timeout: 5 seconds is less than Function timeout: 10 seconds',
      status: 400,
    });
  });

  it('creates, gets, lists (paginated, filtered), updates and deletes mappings with the states AWS reports', async () => {
    await recorder('cp-a');
    await recorder('cp-b');
    await queue('cp-q1');
    await queue('cp-q2');
    const created = await map({ FunctionName: 'cp-a', EventSourceArn: `${QUEUE_ARN}cp-q1`, Enabled: false });
    expect(created.$metadata.httpStatusCode).toBe(202);
    expect(created).toMatchObject({
      State: 'Creating',
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      EventSourceArn: `${QUEUE_ARN}cp-q1`,
      FunctionArn: `${FN_ARN}cp-a`,
      StateTransitionReason: 'USER_INITIATED',
      FunctionResponseTypes: [],
      EventSourceMappingArn: `arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${created.UUID ?? ''}`,
    });
    expect(created.LastModified).toBeInstanceOf(Date);
    const uuid = created.UUID ?? '';
    expect((await h.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State).toBe('Disabled');

    const enabling = await h.lambda.send(
      new UpdateEventSourceMappingCommand({
        UUID: uuid,
        Enabled: true,
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
        FilterCriteria: { Filters: [{ Pattern: '{"body":{"a":[1]}}' }] },
      }),
    );
    expect(enabling).toMatchObject({
      State: 'Enabling',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
      FilterCriteria: { Filters: [{ Pattern: '{"body":{"a":[1]}}' }] },
    });
    expect((await h.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State).toBe('Enabled');
    const updating = await h.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 20 }));
    expect(updating.State).toBe('Updating');
    expect(
      (await h.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }))).State,
    ).toBe('Disabling');

    const second = await map({ FunctionName: 'cp-b', EventSourceArn: `${QUEUE_ARN}cp-q1` });
    const third = await map({ FunctionName: `${FN_ARN}cp-a`, EventSourceArn: `${QUEUE_ARN}cp-q2` });
    const page1 = await h.lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 2 }));
    expect(page1.EventSourceMappings).toHaveLength(2);
    const page2 = await h.lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 2, Marker: page1.NextMarker }));
    expect(page2.NextMarker).toBeUndefined();
    const ids = [...(page1.EventSourceMappings ?? []), ...(page2.EventSourceMappings ?? [])].map((m) => m.UUID);
    expect(ids).toEqual(expect.arrayContaining([uuid, second.UUID, third.UUID]));
    const byFn = await h.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'cp-a' }));
    expect(byFn.EventSourceMappings?.map((m) => m.UUID).sort()).toEqual([uuid, third.UUID].sort());
    const byQueue = await h.lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: 'cp-a', EventSourceArn: `${QUEUE_ARN}cp-q2` }),
    );
    expect(byQueue.EventSourceMappings?.map((m) => m.UUID)).toEqual([third.UUID]);

    const deleted = await h.lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
    expect(deleted.$metadata.httpStatusCode).toBe(202);
    expect(deleted.State).toBe('Deleting');
    const gone = await failure(h.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })));
    expect(gone).toEqual({
      name: 'ResourceNotFoundException',
      message: 'The resource you requested does not exist.',
      status: 404,
    });
    for (const m of [second, third]) await h.lambda.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID }));
  });

  it("answers bad input with AWS's errors", async () => {
    await recorder('cp-err');
    await queue('cp-err-q');
    await queue('cp-err.fifo', { FifoQueue: 'true' });
    const arn = `${QUEUE_ARN}cp-err-q`;
    const first = await map({ FunctionName: 'cp-err', EventSourceArn: arn, Enabled: false });
    const dup = await failure(map({ FunctionName: 'cp-err', EventSourceArn: arn }));
    expect(dup).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message: `An event source mapping with SQS arn (" ${arn} ") and function (" cp-err ") already exists. Please update or delete the existing mapping with UUID ${first.UUID ?? ''}`,
    });
    expect(await failure(map({ FunctionName: 'nope', EventSourceArn: arn }))).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'Function does not exist',
    });
    expect(await failure(map({ FunctionName: 'cp-err', EventSourceArn: `${QUEUE_ARN}missing` }))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('AWS.SimpleQueueService.NonExistentQueue') as string,
    });
    await h.lambda.send(new DeleteEventSourceMappingCommand({ UUID: first.UUID }));
    expect(await failure(map({ FunctionName: 'cp-err', EventSourceArn: arn, BatchSize: 11 }))).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10',
    });
    expect(await failure(map({ FunctionName: 'cp-err', EventSourceArn: arn, BatchSize: 10001 }))).toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000",
    });
    expect(
      await failure(map({ FunctionName: 'cp-err', EventSourceArn: arn, ScalingConfig: { MaximumConcurrency: 1 } })),
    ).toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '1' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 2",
    });
    expect(
      await failure(
        map({ FunctionName: 'cp-err', EventSourceArn: arn, FilterCriteria: { Filters: [{ Pattern: '{"a": 1}' }] } }),
      ),
    ).toMatchObject({ name: 'InvalidParameterValueException', message: 'Invalid filter pattern definition.' });
    expect(
      await failure(map({ FunctionName: 'cp-err', EventSourceArn: arn, StartingPosition: 'LATEST' })),
    ).toMatchObject({ name: 'InvalidParameterValueException' });
    expect(
      await failure(map({ FunctionName: 'cp-err', EventSourceArn: `${QUEUE_ARN}cp-err.fifo`, BatchSize: 20 })),
    ).toMatchObject({ name: 'InvalidParameterValueException' });
    expect(
      await failure(h.lambda.send(new UpdateEventSourceMappingCommand({ UUID: 'not-a-mapping', BatchSize: 1 }))),
    ).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect(await failure(h.lambda.send(new DeleteEventSourceMappingCommand({ UUID: 'not-a-mapping' })))).toMatchObject(
      { name: 'ResourceNotFoundException' },
    );
  });
});

describe('polling', () => {
  it('invokes a real handler with the SQS records exactly as AWS shapes them, then deletes the messages', async () => {
    const file = await recorder('rec');
    const url = await queue('rec-q');
    await map({ FunctionName: 'rec', EventSourceArn: `${QUEUE_ARN}rec-q` });
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'hello',
        MessageAttributes: {
          s: { DataType: 'String', StringValue: 'v' },
          b: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
        },
      }),
    );
    const got = await eventually(() => events(file), (e) => e.length === 1);
    const record = got[0]?.Records[0];
    expect(got[0]?.Records).toHaveLength(1);
    expect(record).toMatchObject({
      messageId: sent.MessageId,
      body: 'hello',
      md5OfBody: sent.MD5OfMessageBody,
      eventSource: 'aws:sqs',
      eventSourceARN: `${QUEUE_ARN}rec-q`,
      awsRegion: 'us-east-1',
      messageAttributes: {
        s: { stringValue: 'v', stringListValues: [], binaryListValues: [], dataType: 'String' },
        b: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
    });
    expect(typeof record?.receiptHandle).toBe('string');
    expect(record?.attributes).toMatchObject({
      ApproximateReceiveCount: '1',
      SentTimestamp: String(clock.now()),
      SenderId: '000000000000',
      ApproximateFirstReceiveTimestamp: String(clock.now()),
    });
    expect(await eventually(() => counts(url), empty)).toEqual([0, 0]);
  });

  it('with ReportBatchItemFailures deletes only the successes; failures come back after the visibility timeout', async () => {
    const file = await recorder(
      'partial',
      `{ batchItemFailures: event.Records.filter((r) => r.body.startsWith('bad')).map((r) => ({ itemIdentifier: r.messageId })) }`,
    );
    const url = await queue('partial-q', { VisibilityTimeout: '30' });
    await map({
      FunctionName: 'partial',
      EventSourceArn: `${QUEUE_ARN}partial-q`,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: ['ok-1', 'bad-2', 'ok-3'].map((b, i) => ({ Id: String(i), MessageBody: b })),
      }),
    );
    await eventually(() => events(file), (e) => e.length === 1);
    expect(events(file)[0]?.Records.map((r) => r.body)).toEqual(['ok-1', 'bad-2', 'ok-3']);
    expect(await eventually(() => counts(url), (c) => c[1] === 1)).toEqual([0, 1]);
    await clock.advance(31_000);
    const again = await eventually(() => events(file), (e) => e.length === 2);
    expect(again[1]?.Records.map((r) => r.body)).toEqual(['bad-2']);
    expect(again[1]?.Records[0]?.attributes).toMatchObject({ ApproximateReceiveCount: '2' });
  });

  it('treats an invalid partial batch response as a failure of the whole batch', async () => {
    const file = await recorder('invalid-answer', `{ batchItemFailures: [{ itemIdentifier: 'unknown-id' }] }`);
    const url = await queue('invalid-answer-q', { VisibilityTimeout: '30' });
    await map({
      FunctionName: 'invalid-answer',
      EventSourceArn: `${QUEUE_ARN}invalid-answer-q`,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await eventually(() => events(file), (e) => e.length === 1);
    expect(await eventually(() => counts(url), (c) => c[1] === 1)).toEqual([0, 1]);
  });

  it("sends messages of a failing batch to the queue's dead-letter queue through its redrive policy", async () => {
    const file = await recorder('failing', `'throw'`);
    const dlqUrl = await queue('failing-dlq');
    const url = await queue('failing-q', {
      VisibilityTimeout: '30',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `${QUEUE_ARN}failing-dlq`, maxReceiveCount: 2 }),
    });
    await map({ FunctionName: 'failing', EventSourceArn: `${QUEUE_ARN}failing-q` });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'doomed' }));
    await eventually(() => events(file), (e) => e.length === 1);
    await eventually(() => counts(url), (c) => c[1] === 1);
    await clock.advance(31_000);
    await eventually(() => events(file), (e) => e.length === 2);
    await eventually(() => counts(url), (c) => c[1] === 1);
    await clock.advance(31_000);
    const moved = await eventually(
      () => sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl })),
      (r) => (r.Messages?.length ?? 0) > 0,
    );
    expect(moved.Messages?.[0]?.Body).toBe('doomed');
    expect(events(file)).toHaveLength(2);
    expect(await counts(url)).toEqual([0, 0]);
  });

  it('invokes only with messages that match the filter criteria and deletes the others', async () => {
    const file = await recorder('filtered');
    const url = await queue('filtered-q');
    await map({
      FunctionName: 'filtered',
      EventSourceArn: `${QUEUE_ARN}filtered-q`,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { kind: ['keep'] } }) }] },
    });
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: JSON.stringify({ kind: 'keep', n: 1 }) },
          { Id: 'b', MessageBody: JSON.stringify({ kind: 'drop', n: 2 }) },
          { Id: 'c', MessageBody: 'not json' },
        ],
      }),
    );
    await eventually(() => events(file), (e) => e.length === 1);
    expect(events(file)[0]?.Records.map((r) => r.body)).toEqual([JSON.stringify({ kind: 'keep', n: 1 })]);
    expect(await eventually(() => counts(url), empty)).toEqual([0, 0]);
  });

  it('waits for the batching window (fake clock) to gather a batch larger than ten', async () => {
    const file = await recorder('windowed');
    const url = await queue('windowed-q');
    await map({
      FunctionName: 'windowed',
      EventSourceArn: `${QUEUE_ARN}windowed-q`,
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 10,
    });
    const send = (from: number) =>
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: `m${from + i}` })),
        }),
      );
    await send(0);
    await send(10);
    await eventually(() => counts(url), (c) => c[1] === 20);
    await new Promise((r) => setTimeout(r, 200));
    expect(events(file)).toHaveLength(0);
    await clock.advance(10_000);
    const got = await eventually(() => events(file), (e) => e.length === 1);
    expect(got[0]?.Records).toHaveLength(20);
    expect(await eventually(() => counts(url), empty)).toEqual([0, 0]);
  });

  it('stops polling when disabled and resumes when enabled', async () => {
    const file = await recorder('toggled');
    const url = await queue('toggled-q');
    const m = await map({ FunctionName: 'toggled', EventSourceArn: `${QUEUE_ARN}toggled-q`, Enabled: false });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wait for me' }));
    await new Promise((r) => setTimeout(r, 200));
    expect(events(file)).toHaveLength(0);
    expect(await counts(url)).toEqual([1, 0]);
    await h.lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: true }));
    await eventually(() => events(file), (e) => e.length === 1);
    expect(await eventually(() => counts(url), empty)).toEqual([0, 0]);
  });

  it('leaves the queue alone while its function is deleted, and resumes when it is back', async () => {
    await recorder('ephemeral');
    const url = await queue('ephemeral-q');
    const m = await map({ FunctionName: 'ephemeral', EventSourceArn: `${QUEUE_ARN}ephemeral-q` });
    await h.lambda.send(new DeleteFunctionCommand({ FunctionName: 'ephemeral' }));
    await clock.advance(5_000);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'kept' }));
    await new Promise((r) => setTimeout(r, 200));
    expect(await counts(url)).toEqual([1, 0]);
    expect((await h.lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).State).toBe('Enabled');
    const file = await recorder('ephemeral');
    await clock.advance(5_000);
    const got = await eventually(() => events(file), (e) => e.length === 1);
    expect(got[0]?.Records[0]?.body).toBe('kept');
  });

  it('runs at most ScalingConfig.MaximumConcurrency batches at once', async () => {
    const file = join(out, 'bounded.jsonl');
    await h.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'bounded',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Timeout: 10,
        Code: {
          ZipFile: zip({
            'index.js': `
            const fs = require('node:fs');
            exports.handler = async () => {
              fs.appendFileSync(${JSON.stringify(file)}, JSON.stringify({ at: Date.now(), d: 1 }) + '\\n');
              await new Promise((r) => setTimeout(r, 250));
              fs.appendFileSync(${JSON.stringify(file)}, JSON.stringify({ at: Date.now(), d: -1 }) + '\\n');
            };`,
          }),
        },
      }),
    );
    const url = await queue('bounded-q');
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: Array.from({ length: 6 }, (_, i) => ({ Id: String(i), MessageBody: `m${i}` })),
      }),
    );
    await map({
      FunctionName: 'bounded',
      EventSourceArn: `${QUEUE_ARN}bounded-q`,
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    await eventually(() => counts(url), empty, 15_000);
    const steps = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { at: number; d: number })
      .sort((a, b) => a.at - b.at || a.d - b.d);
    let running = 0;
    let peak = 0;
    for (const s of steps) {
      running += s.d;
      peak = Math.max(peak, running);
    }
    expect(steps).toHaveLength(12);
    expect(peak).toBe(2);
  });

  it('delivers a FIFO queue in group order, and a failure holds the rest of its group', async () => {
    const file = await recorder(
      'fifo',
      `{ batchItemFailures: event.Records.filter((r) => r.body === 'a2').map((r) => ({ itemIdentifier: r.messageId })) }`,
    );
    const url = await queue('fifo-q.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '30' });
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: ['a1', 'a2', 'a3'].map((b) => ({ Id: b, MessageBody: b, MessageGroupId: 'a' })),
      }),
    );
    await map({
      FunctionName: 'fifo',
      EventSourceArn: `${QUEUE_ARN}fifo-q.fifo`,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    await eventually(() => events(file), (e) => e.length === 1);
    expect(events(file)[0]?.Records.map((r) => r.body)).toEqual(['a1', 'a2', 'a3']);
    expect(events(file)[0]?.Records[0]?.attributes).toMatchObject({ MessageGroupId: 'a' });
    expect(await eventually(() => counts(url), (c) => c[1] === 2)).toEqual([0, 2]);
    await clock.advance(31_000);
    const again = await eventually(() => events(file), (e) => e.length === 2);
    expect(again[1]?.Records.map((r) => r.body)).toEqual(['a2', 'a3']);
  });
});
