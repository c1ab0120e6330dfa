import { EventBridgeClient, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../index.js';

const event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

let sy: RunningSwitchyard;
let eb: EventBridgeClient;
beforeAll(async () => {
  sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
  eb = new EventBridgeClient({
    endpoint: sy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  eb.destroy();
  await sy.stop();
});

const testPattern = (pattern: unknown, ev: unknown = event) =>
  eb.send(
    new TestEventPatternCommand({
      EventPattern: typeof pattern === 'string' ? pattern : JSON.stringify(pattern),
      Event: typeof ev === 'string' ? ev : JSON.stringify(ev),
    }),
  );

describe('TestEventPattern', () => {
  test('matches the documentation example', async () => {
    const r = await testPattern({
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    });
    expect(r.Result).toBe(true);
  });

  test('does not match a different state', async () => {
    const r = await testPattern({ source: ['aws.ec2'], detail: { state: ['running'] } });
    expect(r.Result).toBe(false);
  });

  test('content filters', async () => {
    expect((await testPattern({ detail: { state: [{ 'anything-but': 'running' }] } })).Result).toBe(true);
    expect((await testPattern({ time: [{ prefix: '2017-12-22' }] })).Result).toBe(true);
    expect((await testPattern({ source: [{ suffix: '.EC2' }] })).Result).toBe(false);
    expect((await testPattern({ source: [{ 'equals-ignore-case': 'AWS.EC2' }] })).Result).toBe(true);
    expect((await testPattern({ detail: { 'c-count': [{ exists: false }] } })).Result).toBe(true);
  });

  test('an invalid pattern is InvalidEventPatternException with the reason', async () => {
    await expect(testPattern('{"source": "aws.ec2"}')).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
      message:
        'Event pattern is not valid. Reason: "source" must be an object or an array\n' +
        ' at [Source: (String)"{"source": "aws.ec2"}"; line: 1, column: 13]',
    });
    await expect(testPattern('{}')).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
      message: expect.stringContaining('Empty objects are not allowed') as unknown,
    });
  });

  test('an event without a required field is not valid', async () => {
    const { id: _id, ...withoutId } = event;
    await expect(testPattern({ source: ['aws.ec2'] }, withoutId)).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Parameter Event is not valid.',
    });
    await expect(testPattern({ source: ['aws.ec2'] }, 'not json')).rejects.toMatchObject({
      name: 'ValidationException',
    });
    // `resources` is listed as mandatory but AWS does not insist on it.
    const { resources: _r, ...withoutResources } = event;
    expect((await testPattern({ source: ['aws.ec2'] }, withoutResources)).Result).toBe(true);
  });

  test('a pattern longer than 4096 characters is refused', async () => {
    const long = JSON.stringify({ source: ['x'.repeat(5000)] });
    await expect(testPattern(long)).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
