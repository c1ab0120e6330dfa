// The AWS CLI v2 from Debian (/usr/bin/aws, awsJson1_1) against Switchyard's CloudWatch Logs: the commands a user
// types, `aws logs tail` among them (it reads with FilterLogEvents), and the exit code and message of a service error.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../src/index.js';
import { DebianAwsCli, debianAwsCliMissing, tempHome, warnSkipped } from '../support/debian-clients.js';

const missing = debianAwsCliMissing();
if (missing) warnSkipped('logs-awscli', missing);

const SLOW = 300_000;

describe.skipIf(missing !== undefined)('AWS CLI v2 from Debian against CloudWatch Logs', () => {
  let sy: RunningSwitchyard;
  let aws: DebianAwsCli;
  let home: ReturnType<typeof tempHome>;

  beforeAll(async () => {
    home = tempHome();
    sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
    aws = new DebianAwsCli(sy.endpoint, home.path);
  });
  afterAll(async () => {
    await sy.stop();
    home.dispose();
  });

  // 7 CLI calls
  test('create, put-log-events, get-log-events, filter-log-events, tail, describe, and an error', { timeout: SLOW }, async () => {
    await aws.ok(['logs', 'create-log-group', '--log-group-name', '/cli/app']);
    await aws.ok(['logs', 'create-log-stream', '--log-group-name', '/cli/app', '--log-stream-name', 'web']);
    const now = Date.now();
    const events = [
      { timestamp: now - 2000, message: 'INFO started' },
      { timestamp: now - 1000, message: 'ERROR failed to connect' },
      { timestamp: now - 500, message: JSON.stringify({ level: 'warn', latency: 812 }) },
    ];
    const put = await aws.ok<{ nextSequenceToken?: string }>([
      'logs', 'put-log-events', '--log-group-name', '/cli/app', '--log-stream-name', 'web',
      '--log-events', JSON.stringify(events),
    ]);
    expect(put.nextSequenceToken).toMatch(/^\d+$/);

    const got = await aws.ok<{ events: { message: string }[]; nextForwardToken: string }>([
      'logs', 'get-log-events', '--log-group-name', '/cli/app', '--log-stream-name', 'web', '--start-from-head',
    ]);
    expect(got.events.map((e) => e.message)).toEqual(events.map((e) => e.message));

    const filtered = await aws.ok<{ events: { message: string; logStreamName: string }[] }>([
      'logs', 'filter-log-events', '--log-group-name', '/cli/app', '--filter-pattern', '{ $.latency > 500 }',
    ]);
    expect(filtered.events.map((e) => [e.logStreamName, e.message])).toEqual([['web', events[2]?.message]]);

    const tail = await aws.run(['logs', 'tail', '/cli/app', '--since', '1h', '--filter-pattern', '?ERROR ?INFO']);
    expect(tail.code).toBe(0);
    const lines = tail.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\S+ web INFO started$/);
    expect(lines[1]).toMatch(/^\S+ web ERROR failed to connect$/);

    const groups = await aws.ok<{ logGroups: { logGroupName: string; arn: string }[] }>([
      'logs', 'describe-log-groups', '--log-group-name-prefix', '/cli/',
    ]);
    expect(groups.logGroups).toEqual([
      expect.objectContaining({ logGroupName: '/cli/app', arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/cli/app:*' }),
    ]);

    const err = await aws.run(['logs', 'delete-log-group', '--log-group-name', '/cli/missing']);
    expect(err.code).toBe(254);
    expect(err.stderr).toContain('(ResourceNotFoundException)');
    expect(err.stderr).toContain('The specified log group does not exist.');
  });
});
