// One SQS, two protocols: the JSON SDK (awsJson 1.0), Debian's AWS CLI v2 and boto3 1.26 (awsQuery) see the same
// queues, and a message sent through one is received through another with the same body, attributes and MD5s.
import { fileURLToPath } from 'node:url';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../src/index.js';
import {
  DebianAwsCli,
  DebianBoto3,
  debianAwsCliMissing,
  debianBoto3Missing,
  tempHome,
  warnSkipped,
} from '../support/debian-clients.js';
import { md5OfBody, md5OfMessageAttributes, type WireAttribute } from '../support/sqs-md5.js';

const cliMissing = debianAwsCliMissing();
const botoMissing = debianBoto3Missing();
if (cliMissing) warnSkipped('sqs-cross-protocol', `AWS CLI half: ${cliMissing}`);
if (botoMissing) warnSkipped('sqs-cross-protocol', `boto3 half: ${botoMissing}`);

const ACCOUNT = '000000000000';
const SLOW = { timeout: 300_000 };
const CROSS = fileURLToPath(new URL('./py/cross.py', import.meta.url));
const BODY = 'cross \u00e9\u4e2d\u{1F600} <&>"\' a\nb\r\nc\t]]>';
/** As the CLI and our Python scripts print them: binary values in base64. */
const WIRE_ATTRIBUTES: Record<string, WireAttribute> = {
  s: { DataType: 'String', StringValue: 'text <&> \u00fc' },
  n: { DataType: 'Number', StringValue: '3.14159' },
  b: { DataType: 'Binary', BinaryValue: Buffer.from([0xde, 0xad, 0x00, 0xbe, 0xef]).toString('base64') },
  c: { DataType: 'Number.int', StringValue: '7' },
};
/** The same attributes as the JS SDK takes and returns them. */
const SDK_ATTRIBUTES: Record<string, MessageAttributeValue> = Object.fromEntries(
  Object.entries(WIRE_ATTRIBUTES).map(([k, v]) => [
    k,
    typeof v.BinaryValue === 'string'
      ? { DataType: v.DataType, BinaryValue: new Uint8Array(Buffer.from(v.BinaryValue, 'base64')) }
      : { DataType: v.DataType, StringValue: v.StringValue },
  ]),
);
const BODY_MD5 = md5OfBody(BODY);
const ATTRIBUTES_MD5 = md5OfMessageAttributes(WIRE_ATTRIBUTES);

interface Message {
  MessageId: string;
  Body: string;
  MD5OfBody: string;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: Record<string, WireAttribute>;
}
interface SendResult {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
}

/** What the JS SDK received, in the CLI's shape: binary values as base64. */
function toWire(attributes: Record<string, MessageAttributeValue> | undefined): Record<string, WireAttribute> {
  return Object.fromEntries(
    Object.entries(attributes ?? {}).map(([k, v]) => [
      k,
      v.BinaryValue
        ? { DataType: v.DataType, BinaryValue: Buffer.from(v.BinaryValue).toString('base64') }
        : { DataType: v.DataType, StringValue: v.StringValue },
    ]),
  );
}

let sy: RunningSwitchyard;
let sdk: SQSClient;
const home = tempHome();
beforeAll(async () => {
  sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
  sdk = new SQSClient({ endpoint: sy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});
afterAll(async () => {
  sdk.destroy();
  await sy.stop();
  home.dispose();
});

/** Sends through the JSON SDK, which itself checks the MD5s that come back. */
async function sdkSend(url: string): Promise<SendResult> {
  const r = await sdk.send(new SendMessageCommand({ QueueUrl: url, MessageBody: BODY, MessageAttributes: SDK_ATTRIBUTES }));
  return { MessageId: r.MessageId ?? '', MD5OfMessageBody: r.MD5OfMessageBody ?? '', MD5OfMessageAttributes: r.MD5OfMessageAttributes };
}

/** Receives through the JSON SDK (which throws on an MD5 mismatch) and returns the message in the CLI's shape. */
async function sdkReceive(url: string): Promise<Message[]> {
  const r = await sdk.send(
    new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'], MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  return (r.Messages ?? []).map((m) => ({
    MessageId: m.MessageId ?? '',
    Body: m.Body ?? '',
    MD5OfBody: m.MD5OfBody ?? '',
    MD5OfMessageAttributes: m.MD5OfMessageAttributes,
    MessageAttributes: toWire(m.MessageAttributes),
  }));
}

function expectSameMessage(received: Message[], sent: SendResult): void {
  expect(received).toHaveLength(1);
  const m = received[0];
  expect(m?.MessageId).toBe(sent.MessageId);
  expect(m?.Body).toBe(BODY);
  expect(m?.MD5OfBody).toBe(BODY_MD5);
  expect(sent.MD5OfMessageBody).toBe(BODY_MD5);
  expect(m?.MessageAttributes).toEqual(WIRE_ATTRIBUTES);
  expect(m?.MD5OfMessageAttributes).toBe(ATTRIBUTES_MD5);
  expect(sent.MD5OfMessageAttributes).toBe(ATTRIBUTES_MD5);
}

describe.skipIf(cliMissing !== undefined).concurrent('JSON SDK and AWS CLI (query)', () => {
  const cli = (): DebianAwsCli => new DebianAwsCli(sy.endpoint, home.path);

  test('a queue created through JSON is seen by the CLI with the same attributes and tags', SLOW, async () => {
    const { QueueUrl } = await sdk.send(
      new CreateQueueCommand({ QueueName: 'x-json-made', Attributes: { VisibilityTimeout: '77', DelaySeconds: '1' }, tags: { k: 'v' } }),
    );
    const aws = cli();
    expect(await aws.ok(['sqs', 'get-queue-url', '--queue-name', 'x-json-made'])).toEqual({ QueueUrl });
    expect(await aws.ok(['sqs', 'list-queues', '--queue-name-prefix', 'x-json-'])).toEqual({ QueueUrls: [QueueUrl] });
    const viaCli = await aws.ok<{ Attributes: Record<string, string> }>(['sqs', 'get-queue-attributes', '--queue-url', QueueUrl ?? '', '--attribute-names', 'All']);
    const viaSdk = await sdk.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(viaCli.Attributes).toEqual(viaSdk.Attributes);
    expect(viaCli.Attributes.VisibilityTimeout).toBe('77');
    expect(await aws.ok(['sqs', 'list-queue-tags', '--queue-url', QueueUrl ?? ''])).toEqual({ Tags: { k: 'v' } });
  });

  test('a queue created through the CLI is seen by the JSON SDK', SLOW, async () => {
    const aws = cli();
    const { QueueUrl } = await aws.ok<{ QueueUrl: string }>([
      'sqs', 'create-queue', '--queue-name', 'x-cli-made.fifo', '--attributes', 'FifoQueue=true,ContentBasedDeduplication=true', '--tags', 'made=cli',
    ]);
    expect(QueueUrl).toBe(`${sy.endpoint}/${ACCOUNT}/x-cli-made.fifo`);
    expect((await sdk.send(new GetQueueUrlCommand({ QueueName: 'x-cli-made.fifo' }))).QueueUrl).toBe(QueueUrl);
    const attrs = await sdk.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['FifoQueue', 'ContentBasedDeduplication'] }));
    expect(attrs.Attributes).toEqual({ FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    expect((await sdk.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ made: 'cli' });
  });

  test('JSON SDK sends, the CLI receives the same body, attributes and MD5s', SLOW, async () => {
    const { QueueUrl = '' } = await sdk.send(new CreateQueueCommand({ QueueName: 'x-sdk-to-cli' }));
    const sent = await sdkSend(QueueUrl);
    const r = await cli().ok<{ Messages?: Message[] }>([
      'sqs', 'receive-message', '--queue-url', QueueUrl, '--message-attribute-names', 'All', '--max-number-of-messages', '10', '--wait-time-seconds', '1',
    ]);
    expectSameMessage(r.Messages ?? [], sent);
  });

  test('the CLI sends, the JSON SDK receives the same body, attributes and MD5s', SLOW, async () => {
    const { QueueUrl = '' } = await sdk.send(new CreateQueueCommand({ QueueName: 'x-cli-to-sdk' }));
    const sent = await cli().ok<SendResult>([
      'sqs', 'send-message', '--queue-url', QueueUrl, '--message-body', BODY, '--message-attributes', JSON.stringify(WIRE_ATTRIBUTES),
    ]);
    expectSameMessage(await sdkReceive(QueueUrl), sent);
  });

  test('a CLI long poll returns when the JSON SDK sends', SLOW, async () => {
    const { QueueUrl = '' } = await sdk.send(new CreateQueueCommand({ QueueName: 'x-cli-poll' }));
    let sending: Promise<unknown> | undefined;
    let sentAt = 0;
    let debugLog = '';
    const polled = cli().run(['--debug', 'sqs', 'receive-message', '--queue-url', QueueUrl, '--wait-time-seconds', '20'], {
      onStderr: (chunk) => {
        debugLog += chunk;
        // botocore logs this just before it writes the request; give the request a moment to arrive
        if (!sending && debugLog.includes('Making request for OperationModel(name=ReceiveMessage)')) {
          sending = new Promise((resolve) => setTimeout(resolve, 1_000)).then(() => {
            sentAt = Date.now();
            return sdk.send(new SendMessageCommand({ QueueUrl, MessageBody: 'wake up' }));
          });
        }
      },
    });
    const r = await polled;
    await sending;
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect((r.json as { Messages?: Message[] } | undefined)?.Messages?.map((m) => m.Body)).toEqual(['wake up']);
    expect(sentAt).toBeGreaterThan(0);
    // the answer came with the message, not at the end of the 20 s wait
    expect(Date.now() - sentAt).toBeLessThan(15_000);
  });
});

describe.skipIf(botoMissing !== undefined).concurrent('JSON SDK and boto3 (query)', () => {
  const py = (): DebianBoto3 => new DebianBoto3(sy.endpoint, home.path);

  test('queues created by either are listed by the other', SLOW, async () => {
    const { QueueUrl: fromSdk } = await sdk.send(new CreateQueueCommand({ QueueName: 'y-made-sdk' }));
    const fromBoto = await py().run<{ QueueUrl: string }>(CROSS, { step: 'create', name: 'y-made-boto', attributes: { DelaySeconds: '2' } });
    expect(fromBoto.QueueUrl).toBe(`${sy.endpoint}/${ACCOUNT}/y-made-boto`);
    const listed = await py().run<{ QueueUrls?: string[] }>(CROSS, { step: 'list', prefix: 'y-made-' });
    expect([...(listed.QueueUrls ?? [])].sort()).toEqual([fromBoto.QueueUrl, fromSdk].sort());
    const attrs = await sdk.send(new GetQueueAttributesCommand({ QueueUrl: fromBoto.QueueUrl, AttributeNames: ['DelaySeconds'] }));
    expect(attrs.Attributes).toEqual({ DelaySeconds: '2' });
  });

  test('JSON SDK sends, boto3 receives the same body, attributes and MD5s', SLOW, async () => {
    const { QueueUrl = '' } = await sdk.send(new CreateQueueCommand({ QueueName: 'y-sdk-to-boto' }));
    const sent = await sdkSend(QueueUrl);
    const r = await py().run<{ Messages?: Message[] }>(CROSS, { step: 'receive', url: QueueUrl });
    expectSameMessage(r.Messages ?? [], sent);
  });

  test('boto3 sends, the JSON SDK receives the same body, attributes and MD5s', SLOW, async () => {
    const { QueueUrl = '' } = await sdk.send(new CreateQueueCommand({ QueueName: 'y-boto-to-sdk' }));
    const sent = await py().run<SendResult>(CROSS, { step: 'send', url: QueueUrl, body: BODY, attributes: WIRE_ATTRIBUTES });
    expectSameMessage(await sdkReceive(QueueUrl), sent);
  });
});
