// boto3 1.26 (Debian's python3-boto3, on /usr/bin/python3) against Switchyard's EventBridge (awsJson 1.1): one
// Python process (test/cli/py/events_main.py) runs the main operations, archives and replays included, and prints
// its results as JSON; the assertions live here.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../src/index.js';
import { DebianBoto3, debianBoto3Missing, tempHome, warnSkipped, type Boto3Error } from '../support/debian-clients.js';

const missing = debianBoto3Missing();
if (missing) warnSkipped('events-boto3', missing);

const script = fileURLToPath(new URL('./py/events_main.py', import.meta.url));
const ACCOUNT = '000000000000';
const BUS = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/py-bus`;

interface Result {
  _versions: { boto3: string; boto3_path: string; protocol: string };
  bus: { EventBusArn: string };
  rule: { RuleArn: string };
  targets: { FailedEntryCount: number };
  archive: { ArchiveArn: string; State: string };
  put: { FailedEntryCount: number; Entries: { EventId: string }[] };
  received: Record<string, unknown>[];
  test_pattern: boolean;
  described_archive: { EventCount: number; SizeBytes: number; RetentionDays: number; EventSourceArn: string };
  replay: { ReplayArn: string; State: string };
  described_replay: { State: string; EventSourceArn: string; Destination: { Arn: string } };
  replayed: Record<string, unknown>[];
  policy: { Statement: { Sid: string; Principal: unknown }[] };
  connection: { ConnectionState: string; AuthorizationType: string; AuthParameters: unknown };
  destination: { HttpMethod: string; InvocationEndpoint: string; InvocationRateLimitPerSecond: number; ApiDestinationState: string };
  errors: Record<'missing_rule' | 'bad_pattern' | 'archive_exists' | 'cancel_done', Boto3Error>;
}

describe.skipIf(missing !== undefined)('boto3 1.26 against EventBridge', () => {
  let sy: RunningSwitchyard;
  let py: DebianBoto3;
  let home: ReturnType<typeof tempHome>;
  beforeAll(async () => {
    home = tempHome();
    sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
    py = new DebianBoto3(sy.endpoint, home.path);
  });
  afterAll(async () => {
    await sy.stop();
    home.dispose();
  });

  test('buses, rules, SQS targets, PutEvents, archive and replay, permissions, connections, errors', { timeout: 120_000 }, async () => {
    const r = await py.run<Result>(script);
    expect(r._versions.boto3).toMatch(/^1\.26\./);
    expect(r._versions.boto3_path).toMatch(/^\/usr\/lib\/python3\/dist-packages\//);
    expect(r._versions.protocol).toBe('json');
    expect(r.bus).toEqual({ EventBusArn: BUS });
    expect(r.rule.RuleArn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:rule/py-bus/py-rule`);
    expect(r.targets.FailedEntryCount).toBe(0);
    expect(r.archive).toMatchObject({ ArchiveArn: `arn:aws:events:us-east-1:${ACCOUNT}:archive/py-archive`, State: 'ENABLED' });
    expect(r.put.FailedEntryCount).toBe(0);
    expect(r.received).toHaveLength(1);
    expect(r.received[0]).toMatchObject({ source: 'py.app', detail: { n: 2 }, id: r.put.Entries[1]?.EventId });
    expect(r.test_pattern).toBe(true);
    expect(r.described_archive).toMatchObject({ EventCount: 2, RetentionDays: 1, EventSourceArn: BUS });
    expect(r.described_archive.SizeBytes).toBeGreaterThan(0);
    expect(r.replay).toMatchObject({ ReplayArn: `arn:aws:events:us-east-1:${ACCOUNT}:replay/py-replay`, State: 'STARTING' });
    expect(r.described_replay).toMatchObject({ State: 'COMPLETED', Destination: { Arn: BUS } });
    expect(r.replayed).toHaveLength(1);
    expect(r.replayed[0]).toMatchObject({ source: 'py.app', detail: { n: 2 }, 'replay-name': 'py-replay' });
    expect(r.policy.Statement).toEqual([
      expect.objectContaining({ Sid: 'partner', Principal: { AWS: 'arn:aws:iam::111122223333:root' } }),
    ]);
    expect(r.connection).toMatchObject({ ConnectionState: 'AUTHORIZED', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-key' } } });
    expect(r.destination).toMatchObject({ HttpMethod: 'POST', InvocationEndpoint: 'https://example.com/hook/*', InvocationRateLimitPerSecond: 5, ApiDestinationState: 'ACTIVE' });
    expect(r.errors.missing_rule).toMatchObject({ code: 'ResourceNotFoundException', message: 'Rule nope does not exist on EventBus py-bus.', status: 400 });
    expect(r.errors.bad_pattern.code).toBe('InvalidEventPatternException');
    expect(r.errors.archive_exists).toMatchObject({ code: 'ResourceAlreadyExistsException', message: 'Archive py-archive already exists.' });
    expect(r.errors.cancel_done).toMatchObject({ code: 'IllegalStatusException', message: 'Replay py-replay is not in a valid state for this operation.' });
  });
});
