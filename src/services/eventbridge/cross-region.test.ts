// Bus-to-bus targets across regions: an event sent to a bus in another region keeps its own account and region.
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../index.js';

let sy: RunningSwitchyard;
const clients: { destroy(): void }[] = [];
const config = (region: string) => ({
  endpoint: sy.endpoint,
  region,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

beforeAll(async () => {
  sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await sy.stop();
});

describe('bus targets in another region', () => {
  it("routes the event on the other region's bus, keeping its region", async () => {
    const east = new EventBridgeClient(config('us-east-1'));
    const west = new EventBridgeClient(config('eu-west-1'));
    const sqsWest = new SQSClient(config('eu-west-1'));
    clients.push(east, west, sqsWest);
    const url = (await sqsWest.send(new CreateQueueCommand({ QueueName: 'west-inbox' }))).QueueUrl ?? '';
    await west.send(new PutRuleCommand({ Name: 'from-east', EventPattern: JSON.stringify({ source: ['app'] }) }));
    await west.send(new PutTargetsCommand({ Rule: 'from-east', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:eu-west-1:000000000000:west-inbox' }] }));
    await east.send(new PutRuleCommand({ Name: 'forward', EventPattern: JSON.stringify({ source: ['app'] }) }));
    await east.send(
      new PutTargetsCommand({ Rule: 'forward', Targets: [{ Id: 'bus', Arn: 'arn:aws:events:eu-west-1:000000000000:event-bus/default' }] }),
    );
    await east.send(new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 'Ping', Detail: '{"n":1}' }] }));
    const got = await sqsWest.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
    const event = JSON.parse(got.Messages?.[0]?.Body ?? '{}') as Record<string, unknown>;
    expect(event).toMatchObject({ source: 'app', 'detail-type': 'Ping', region: 'us-east-1', account: '000000000000', detail: { n: 1 } });
  });
});
