// Test support: a Switchyard (optionally on a fake clock) with EventBridge and SQS clients, per account.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { FakeClock } from '../../core/clock.js';
import { startSwitchyard, type RunningSwitchyard } from '../../index.js';

export interface EventBridgeHarness {
  readonly sy: RunningSwitchyard;
  readonly eb: EventBridgeClient;
  readonly sqs: SQSClient;
  readonly clock: FakeClock | undefined;
  /** Clients whose 12-digit access key selects another account. */
  clients(accessKeyId: string): { eb: EventBridgeClient; sqs: SQSClient };
  queue(name: string, attributes?: Record<string, string>, sqs?: SQSClient): Promise<{ url: string; arn: string }>;
  receive(url: string, sqs?: SQSClient): Promise<Message[]>;
  close(): Promise<void>;
}

export async function startEventBridgeHarness(options: { fakeClock?: boolean } = {}): Promise<EventBridgeHarness> {
  const clock = options.fakeClock ? new FakeClock() : undefined;
  const sy = await startSwitchyard({ port: 0, logLevel: 'silent', ...(clock ? { clock } : {}) });
  const destroy: { destroy(): void }[] = [];
  const clients = (accessKeyId: string): { eb: EventBridgeClient; sqs: SQSClient } => {
    const config = { endpoint: sy.endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1 };
    const pair = { eb: new EventBridgeClient(config), sqs: new SQSClient(config) };
    destroy.push(pair.eb, pair.sqs);
    return pair;
  };
  const main = clients('test');
  return {
    sy,
    eb: main.eb,
    sqs: main.sqs,
    clock,
    clients,
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
