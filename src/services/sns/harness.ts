// Test support: a Switchyard with SNS and SQS clients (optionally on a fake clock), and helpers for topic -> queue.
import { createVerify } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { FakeClock } from '../../core/clock.js';
import { startSwitchyard, type RunningSwitchyard } from '../../index.js';
import type { SnsInternal } from './provider.js';

export interface SnsHarness {
  readonly sy: RunningSwitchyard;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly clock: FakeClock | undefined;
  /** SNS and SQS clients whose 12-digit access key selects another account. */
  clients(accessKeyId: string): { sns: SNSClient; sqs: SQSClient };
  internal(): SnsInternal;
  /** Makes a queue and answers its URL and ARN. */
  queue(name: string, attributes?: Record<string, string>, sqs?: SQSClient): Promise<{ url: string; arn: string }>;
  /** Receives what is in a queue now (up to 10 messages, with all attributes). */
  receive(url: string, sqs?: SQSClient): Promise<Message[]>;
  close(): Promise<void>;
}

export async function startSnsHarness(options: { fakeClock?: boolean } = {}): Promise<SnsHarness> {
  const clock = options.fakeClock ? new FakeClock() : undefined;
  const sy = await startSwitchyard({ port: 0, logLevel: 'silent', ...(clock ? { clock } : {}) });
  const destroy: { destroy(): void }[] = [];
  const clients = (accessKeyId: string): { sns: SNSClient; sqs: SQSClient } => {
    const config = {
      endpoint: sy.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey: 'test' },
      maxAttempts: 1,
    };
    const pair = { sns: new SNSClient(config), sqs: new SQSClient(config) };
    destroy.push(pair.sns, pair.sqs);
    return pair;
  };
  const main = clients('test');
  return {
    sy,
    sns: main.sns,
    sqs: main.sqs,
    clock,
    clients,
    internal: () => sy.instance.runningProvider('sns')?.internal as SnsInternal,
    queue: async (name, attributes, sqs = main.sqs) => {
      const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl ?? '';
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
      return { url, arn: attrs.Attributes?.QueueArn ?? '' };
    },
    receive: async (url, sqs = main.sqs) =>
      (
        await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
          }),
        )
      ).Messages ?? [],
    close: async () => {
      for (const c of destroy) c.destroy();
      await sy.stop();
    },
  };
}

/**
 * Checks an SNS message's signature as AWS's guide describes, with node:crypto alone: fetches SigningCertURL and
 * verifies the `Name\nvalue\n` string of the signed fields (SHA1withRSA for version 1, SHA256withRSA for 2).
 */
export async function verifySnsSignature(doc: Readonly<Record<string, unknown>>): Promise<boolean> {
  const names =
    doc.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  let text = '';
  for (const k of names) if (typeof doc[k] === 'string') text += `${k}\n${doc[k]}\n`;
  const certUrl = String(doc.SigningCertURL ?? doc.SigningCertUrl);
  const res = await fetch(certUrl);
  if (res.status !== 200) return false;
  const cert = await res.text();
  const algorithm = doc.SignatureVersion === '2' ? 'RSA-SHA256' : doc.SignatureVersion === '1' ? 'RSA-SHA1' : undefined;
  if (!algorithm) return false;
  return createVerify(algorithm).update(text, 'utf8').verify(cert, String(doc.Signature), 'base64');
}
