import {
  CreatePlatformApplicationCommand,
  CreatePlatformEndpointCommand,
  CreateTopicCommand,
  DeleteEndpointCommand,
  GetEndpointAttributesCommand,
  ListEndpointsByPlatformApplicationCommand,
  ListPlatformApplicationsCommand,
  PublishCommand,
  SetEndpointAttributesCommand,
  SubscribeCommand,
  ConfirmSubscriptionCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { deliver } from '../../core/targets.js';
import { lambdaEvent } from './envelope.js';
import { startSnsHarness, verifySnsSignature, type SnsHarness } from './harness.js';

let h: SnsHarness;
beforeAll(async () => {
  h = await startSnsHarness({ fakeClock: true });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

const createTopic = async (Name: string): Promise<string> => (await h.sns.send(new CreateTopicCommand({ Name }))).TopicArn ?? '';
const confirmAll = async (topic: string): Promise<void> => {
  for (const e of h.internal().outbox()) {
    if (e.type !== 'SubscriptionConfirmation') continue;
    const token = /Token=([0-9a-f]+)/.exec(e.message)?.[1];
    await h.sns.send(new ConfirmSubscriptionCommand({ TopicArn: topic, Token: token }));
  }
  h.internal().clearOutbox();
};

describe('the outbox: nothing leaves the machine', () => {
  test('email gets the text, email-json the envelope, sms the text; only after confirmation', async () => {
    const topic = await createTopic('notify');
    await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'a@example.com' }));
    await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email-json', Endpoint: 'b@example.com' }));
    await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sms', Endpoint: '+15555550100' }));
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'before', Subject: 'S' }));
    expect(h.internal().outbox().filter((e) => e.type === 'Notification').map((e) => e.protocol)).toEqual(['sms']);
    const email = h.internal().outbox().find((e) => e.protocol === 'email');
    expect(email?.subject).toBe('AWS Notification - Subscription Confirmation');
    await confirmAll(topic);
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'hello', Subject: 'S' }));
    const out = h.internal().outbox();
    expect(out.map((e) => [e.protocol, e.endpoint])).toEqual([
      ['email', 'a@example.com'],
      ['email-json', 'b@example.com'],
      ['sms', '+15555550100'],
    ]);
    expect(out[0]).toMatchObject({ type: 'Notification', subject: 'S', message: 'hello', topicArn: topic });
    expect(JSON.parse(out[1]?.message ?? '{}')).toMatchObject({ Type: 'Notification', Message: 'hello', Subject: 'S', TopicArn: topic });
    expect(out[2]?.message).toBe('hello');
    h.internal().clearOutbox();
    expect(h.internal().outbox()).toEqual([]);
  });

  test('Publish to a phone number', async () => {
    const r = await h.sns.send(new PublishCommand({ PhoneNumber: '+15555550123', Message: 'code 1234' }));
    expect(h.internal().outbox()).toMatchObject([{ protocol: 'sms', endpoint: '+15555550123', message: 'code 1234', messageId: r.MessageId }]);
    const bad = await h.sns.send(new PublishCommand({ PhoneNumber: 'abc', Message: 'x' })).catch((e: Error) => e);
    expect((bad as Error).name).toBe('InvalidParameterException');
  });

  test('platform applications and endpoints; Publish to an endpoint uses its platform entry', async () => {
    const app = await h.sns.send(
      new CreatePlatformApplicationCommand({ Name: 'app', Platform: 'GCM', Attributes: { PlatformCredential: 'secret' } }),
    );
    expect(app.PlatformApplicationArn).toBe('arn:aws:sns:us-east-1:000000000000:app/GCM/app');
    const ep = await h.sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: app.PlatformApplicationArn, Token: 'tok', CustomUserData: 'u' }));
    const again = await h.sns.send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: app.PlatformApplicationArn, Token: 'tok', CustomUserData: 'u' }));
    expect(again.EndpointArn).toBe(ep.EndpointArn);
    expect((await h.sns.send(new GetEndpointAttributesCommand({ EndpointArn: ep.EndpointArn }))).Attributes).toMatchObject({
      Token: 'tok',
      Enabled: 'true',
      CustomUserData: 'u',
    });
    expect((await h.sns.send(new ListPlatformApplicationsCommand({}))).PlatformApplications).toHaveLength(1);
    expect((await h.sns.send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: app.PlatformApplicationArn }))).Endpoints).toHaveLength(1);
    await h.sns.send(
      new PublishCommand({ TargetArn: ep.EndpointArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'd', GCM: '{"data":1}' }) }),
    );
    expect(h.internal().outbox()).toMatchObject([{ protocol: 'application', endpoint: ep.EndpointArn, message: '{"data":1}' }]);
    await h.sns.send(new SetEndpointAttributesCommand({ EndpointArn: ep.EndpointArn, Attributes: { Enabled: 'false' } }));
    const disabled = await h.sns.send(new PublishCommand({ TargetArn: ep.EndpointArn, Message: 'x' })).catch((e: Error) => e);
    expect((disabled as Error).name).toBe('EndpointDisabledException');
    // a topic subscription of protocol application
    const topic = await createTopic('push');
    await h.sns.send(new SetEndpointAttributesCommand({ EndpointArn: ep.EndpointArn, Attributes: { Enabled: 'true' } }));
    await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'application', Endpoint: ep.EndpointArn }));
    h.internal().clearOutbox();
    await h.sns.send(new PublishCommand({ TopicArn: topic, MessageStructure: 'json', Message: JSON.stringify({ default: 'd', GCM: 'g' }) }));
    expect(h.internal().outbox().map((e) => e.message)).toEqual(['g']);
    await h.sns.send(new DeleteEndpointCommand({ EndpointArn: ep.EndpointArn }));
    const gone = await h.sns.send(new GetEndpointAttributesCommand({ EndpointArn: ep.EndpointArn })).catch((e: Error) => e);
    expect((gone as Error).name).toBe('NotFoundException');
  });
});

describe('SNS as a delivery target', () => {
  test('core/targets deliver() publishes to a topic', async () => {
    const topic = await createTopic('target');
    const q = await h.queue('target-q');
    await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const r = await deliver(h.sy.instance, topic, { body: '{"from":"events"}' }, { account: '000000000000', region: 'us-east-1', service: 'eventbridge' });
    expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await h.receive(q.url)).map((m) => m.Body)).toEqual(['{"from":"events"}']);
  });
});

describe('the Lambda event', () => {
  test('Records[0].Sns with Lambda spellings, null Subject, empty MessageAttributes, signed', async () => {
    const e = JSON.parse(
      lambdaEvent({
        messageId: 'm',
        topicArn: 'arn:aws:sns:us-east-1:000000000000:t',
        subscriptionArn: 'arn:aws:sns:us-east-1:000000000000:t:s',
        subject: undefined,
        message: 'hi',
        timestamp: Date.UTC(2026, 0, 1),
        sequenceNumber: undefined,
        attributes: {},
        signatureVersion: '1',
        baseUrl: h.sy.endpoint,
        region: 'us-east-1',
      }),
    ) as { Records: { EventSource: string; EventVersion: string; EventSubscriptionArn: string; Sns: Record<string, unknown> }[] };
    const [r] = e.Records;
    expect(r).toMatchObject({ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:t:s' });
    expect(r?.Sns).toMatchObject({ Type: 'Notification', Subject: null, Message: 'hi', MessageAttributes: {}, Timestamp: '2026-01-01T00:00:00.000Z' });
    expect(r?.Sns).toHaveProperty('SigningCertUrl');
    expect(r?.Sns).toHaveProperty('UnsubscribeUrl');
    expect(await verifySnsSignature(r?.Sns ?? {})).toBe(true);
  });
});
