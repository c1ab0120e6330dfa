import {
  CheckIfPhoneNumberIsOptedOutCommand,
  CreateTopicCommand,
  GetSMSAttributesCommand,
  ListPhoneNumbersOptedOutCommand,
  OptInPhoneNumberCommand,
  PublishCommand,
  SetSMSAttributesCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startSnsHarness, type SnsHarness } from './harness.js';

let h: SnsHarness;
beforeAll(async () => {
  h = await startSnsHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

const PHONE = '+15555550100';

describe('SMS settings', () => {
  test("per-message AWS.SNS.SMS.* attributes, else the account's SMS attributes, say how the SMS goes out", async () => {
    await h.sns.send(new PublishCommand({ PhoneNumber: PHONE, Message: 'default' }));
    await h.sns.send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Transactional', DefaultSenderID: 'MyShop' } }));
    await h.sns.send(new PublishCommand({ PhoneNumber: PHONE, Message: 'account defaults' }));
    await h.sns.send(
      new PublishCommand({
        PhoneNumber: PHONE,
        Message: 'own settings',
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Promotional' },
          'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'Promo1' },
          'AWS.SNS.SMS.MaxPrice': { DataType: 'Number', StringValue: '0.50' },
          'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: '+15555550199' },
        },
      }),
    );
    expect(h.internal().outbox().map((e) => [e.message, e.sms])).toEqual([
      ['default', { type: 'Promotional' }],
      ['account defaults', { type: 'Transactional', senderId: 'MyShop' }],
      ['own settings', { type: 'Promotional', senderId: 'Promo1', originationNumber: '+15555550199', maxPrice: '0.50' }],
    ]);
    const topic = (await h.sns.send(new CreateTopicCommand({ Name: 'texts' }))).TopicArn ?? '';
    await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sms', Endpoint: '+1 (555) 555-0101' }));
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'via topic' }));
    expect(h.internal().outbox().at(-1)).toMatchObject({ protocol: 'sms', message: 'via topic', sms: { type: 'Transactional', senderId: 'MyShop' } });
  });

  test('bad SMS settings are refused; AWS-reserved names outside the SMS and mobile ones too', async () => {
    const cases: [Record<string, { DataType: string; StringValue: string }>, string][] = [
      [{ 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Urgent' } }, "The message attribute 'AWS.SNS.SMS.SMSType' has an invalid value 'Urgent'."],
      [{ 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'Has Space' } }, "The message attribute 'AWS.SNS.SMS.SenderID' has an invalid value 'Has Space'."],
      [{ 'AWS.Other': { DataType: 'String', StringValue: 'x' } }, "The message attribute name 'AWS.Other' is invalid."],
    ];
    for (const [MessageAttributes, message] of cases) {
      await expect(h.sns.send(new PublishCommand({ PhoneNumber: PHONE, Message: 'x', MessageAttributes }))).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: `Invalid parameter: ${message}`,
      });
    }
    const set = (attributes: Record<string, string>): Promise<unknown> => h.sns.send(new SetSMSAttributesCommand({ attributes }));
    await expect(set({ DefaultSMSType: 'Bulk' })).rejects.toThrow('Invalid parameter: attributes Reason: DefaultSMSType: Invalid value [Bulk]');
    await expect(set({ MonthlySpendLimit: '-1' })).rejects.toThrow('Invalid parameter: attributes Reason: MonthlySpendLimit: Invalid value [-1]');
    await expect(set({ Color: 'blue' })).rejects.toThrow('Invalid parameter: attributes Reason: Color is not a valid SMS attribute');
    await set({ MonthlySpendLimit: '5', DeliveryStatusSuccessSamplingRate: '10' });
    await set({ DeliveryStatusSuccessSamplingRate: '' });
    expect((await h.sns.send(new GetSMSAttributesCommand({}))).attributes).toEqual({ MonthlySpendLimit: '5' });
  });
});

describe('opt-out', () => {
  test('a number that replied STOP is opted out: listed, checked, skipped; OptInPhoneNumber brings it back', async () => {
    expect((await h.sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: PHONE }))).isOptedOut).toBe(false);
    h.internal().optOut('000000000000', 'us-east-1', PHONE);
    expect((await h.sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: PHONE }))).isOptedOut).toBe(true);
    expect((await h.sns.send(new ListPhoneNumbersOptedOutCommand({}))).phoneNumbers).toEqual([PHONE]);
    const r = await h.sns.send(new PublishCommand({ PhoneNumber: PHONE, Message: 'not sent' }));
    expect(r.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const topic = (await h.sns.send(new CreateTopicCommand({ Name: 'alerts' }))).TopicArn ?? '';
    await h.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sms', Endpoint: PHONE }));
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'not sent either' }));
    expect(h.internal().outbox()).toEqual([]);
    // another account's opt-out list is its own
    const other = h.clients('111122223333').sns;
    expect((await other.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: PHONE }))).isOptedOut).toBe(false);
    await h.sns.send(new OptInPhoneNumberCommand({ phoneNumber: PHONE }));
    expect((await h.sns.send(new ListPhoneNumbersOptedOutCommand({}))).phoneNumbers).toEqual([]);
    await h.sns.send(new PublishCommand({ TopicArn: topic, Message: 'sent' }));
    expect(h.internal().outbox().map((e) => e.message)).toEqual(['sent']);
  });

  test('ListPhoneNumbersOptedOut pages by 100 with nextToken', async () => {
    for (let i = 0; i < 150; i++) h.internal().optOut('000000000000', 'us-east-1', `+1555555${String(i).padStart(4, '0')}`);
    const first = await h.sns.send(new ListPhoneNumbersOptedOutCommand({}));
    expect(first.phoneNumbers).toHaveLength(100);
    const second = await h.sns.send(new ListPhoneNumbersOptedOutCommand({ nextToken: first.nextToken }));
    expect(second.phoneNumbers).toHaveLength(50);
    expect(second.nextToken).toBeUndefined();
  });
});
