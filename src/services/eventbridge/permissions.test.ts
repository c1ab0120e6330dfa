import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemovePermissionCommand,
  UpdateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEventBridgeHarness, type EventBridgeHarness } from './harness.js';

let h: EventBridgeHarness;

beforeAll(async () => {
  h = await startEventBridgeHarness();
});
afterAll(async () => {
  await h.close();
});

async function error(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  throw new Error('expected an error');
}

async function eventually<T>(read: () => Promise<T[]>): Promise<T[]> {
  let out = await read();
  for (let i = 0; i < 50 && out.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
    out = await read();
  }
  return out;
}

describe('bus permissions', () => {
  test('PutPermission writes the statement AWS writes; RemovePermission takes it out', async () => {
    const bus = await h.eb.send(new CreateEventBusCommand({ Name: 'shared' }));
    await h.eb.send(new PutPermissionCommand({ EventBusName: 'shared', Action: 'events:PutEvents', Principal: '111122223333', StatementId: 'acct' }));
    await h.eb.send(
      new PutPermissionCommand({
        EventBusName: 'shared',
        Action: 'events:PutEvents',
        Principal: '*',
        StatementId: 'org',
        Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-1234567890' },
      }),
    );
    const d = await h.eb.send(new DescribeEventBusCommand({ Name: 'shared' }));
    expect(JSON.parse(d.Policy ?? '')).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'acct', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'events:PutEvents', Resource: bus.EventBusArn },
        {
          Sid: 'org',
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: bus.EventBusArn,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1234567890' } },
        },
      ],
    });
    const badPrincipal = await error(h.eb.send(new PutPermissionCommand({ EventBusName: 'shared', Action: 'events:PutEvents', Principal: 'bob', StatementId: 'x' })));
    expect(badPrincipal.name).toBe('ValidationException');
    await h.eb.send(new RemovePermissionCommand({ EventBusName: 'shared', StatementId: 'acct' }));
    expect(await error(h.eb.send(new RemovePermissionCommand({ EventBusName: 'shared', StatementId: 'acct' })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'Statement with the provided id does not exist.',
    });
    await h.eb.send(new RemovePermissionCommand({ EventBusName: 'shared', RemoveAllPermissions: true }));
    expect((await h.eb.send(new DescribeEventBusCommand({ Name: 'shared' }))).Policy).toBeUndefined();
  });

  test('another account PutEvents is refused until the bus policy allows it', async () => {
    const owner = h.clients('333333333333');
    const sender = h.clients('444444444444');
    const bus = await owner.eb.send(new CreateEventBusCommand({ Name: 'guarded' }));
    const q = await h.queue('guarded-q', undefined, owner.sqs);
    await owner.eb.send(new PutRuleCommand({ Name: 'all', EventBusName: 'guarded', EventPattern: JSON.stringify({ source: ['ext'] }) }));
    await owner.eb.send(new PutTargetsCommand({ Rule: 'all', EventBusName: 'guarded', Targets: [{ Id: 'q', Arn: q.arn }] }));
    const entry = { Source: 'ext', DetailType: 'T', Detail: '{}', EventBusName: bus.EventBusArn };
    const refused = await sender.eb.send(new PutEventsCommand({ Entries: [entry] }));
    expect(refused.FailedEntryCount).toBe(1);
    expect(refused.Entries?.[0]).toEqual({
      ErrorCode: 'AccessDeniedException',
      ErrorMessage: `User: arn:aws:iam::444444444444:root is not authorized to perform: events:PutEvents on resource: ${bus.EventBusArn} because no resource-based policy allows the events:PutEvents action`,
    });
    // A statement that needs an organization does not let it in either.
    await owner.eb.send(new PutPermissionCommand({ EventBusName: 'guarded', Action: 'events:PutEvents', Principal: '*', StatementId: 'org', Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-1' } }));
    expect((await sender.eb.send(new PutEventsCommand({ Entries: [entry] }))).FailedEntryCount).toBe(1);
    // A whole policy naming the account does.
    await owner.eb.send(
      new PutPermissionCommand({
        EventBusName: 'guarded',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 's', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444444444444:root' }, Action: 'events:PutEvents', Resource: bus.EventBusArn }],
        }),
      }),
    );
    expect((await sender.eb.send(new PutEventsCommand({ Entries: [entry] }))).FailedEntryCount).toBe(0);
    const messages = await eventually(() => h.receive(q.url, owner.sqs));
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0]?.Body ?? '')).toMatchObject({ account: '444444444444', source: 'ext' });
  });

  test('a bus target in another account is refused without the policy: the event goes to the dead-letter queue', async () => {
    const owner = h.clients('555555555555');
    const remote = await owner.eb.send(new CreateEventBusCommand({ Name: 'closed' }));
    const dlq = await h.queue('closed-dlq');
    await h.eb.send(new PutRuleCommand({ Name: 'fwd-closed', EventPattern: JSON.stringify({ source: ['closed.app'] }) }));
    await h.eb.send(new PutTargetsCommand({ Rule: 'fwd-closed', Targets: [{ Id: 'b', Arn: remote.EventBusArn, DeadLetterConfig: { Arn: dlq.arn } }] }));
    await h.eb.send(new PutEventsCommand({ Entries: [{ Source: 'closed.app', DetailType: 'T', Detail: '{}' }] }));
    const [m] = await eventually(() => h.receive(dlq.url));
    expect(m?.MessageAttributes?.ERROR_CODE?.StringValue).toBe('AccessDeniedException');
  });

  test('UpdateEventBus and CreateEventBus fields', async () => {
    const dlq = await h.queue('bus-dlq');
    const created = await h.eb.send(new CreateEventBusCommand({ Name: 'described', Description: 'first', DeadLetterConfig: { Arn: dlq.arn } }));
    expect(created).toMatchObject({ Description: 'first', DeadLetterConfig: { Arn: dlq.arn } });
    const updated = await h.eb.send(new UpdateEventBusCommand({ Name: 'described', Description: 'second', KmsKeyIdentifier: 'alias/mine' }));
    expect(updated).toMatchObject({ Name: 'described', Description: 'second', KmsKeyIdentifier: 'alias/mine', DeadLetterConfig: { Arn: dlq.arn } });
    expect(await h.eb.send(new DescribeEventBusCommand({ Name: 'described' }))).toMatchObject({ Description: 'second', KmsKeyIdentifier: 'alias/mine' });
    const bad = await error(h.eb.send(new UpdateEventBusCommand({ Name: 'described', DeadLetterConfig: { Arn: 'arn:aws:sns:us-east-1:000000000000:t' } })));
    expect(bad.name).toBe('ValidationException');
    expect((await error(h.eb.send(new UpdateEventBusCommand({ Name: 'nope' })))).name).toBe('ResourceNotFoundException');
  });
});
