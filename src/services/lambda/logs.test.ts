// Lambda's invocation logs, read back with @aws-sdk/client-cloudwatch-logs after invoking real Node handlers.
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, InvokeCommand, type CreateFunctionCommandInput } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, startLambdaHarness, zip, type LambdaHarness } from './harness.js';

let h: LambdaHarness;
let logs: CloudWatchLogsClient;
beforeAll(async () => {
  h = await startLambdaHarness();
  logs = new CloudWatchLogsClient({
    endpoint: h.sy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  logs.destroy();
  await h.close();
});

const HANDLER = `
exports.handler = async (event, context) => {
  console.log('event says', event.say);
  if (event.fail) throw new Error('nope');
  return { stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME, group: process.env.AWS_LAMBDA_LOG_GROUP_NAME };
};`;

async function create(name: string, extra: Partial<CreateFunctionCommandInput> = {}): Promise<void> {
  await h.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zip({ 'index.js': HANDLER }) },
      ...extra,
    }),
  );
}

async function invoke(name: string, event: unknown): Promise<{ stream: string; group: string; requestId: string }> {
  const out = await h.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
  const body = JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8')) as { stream?: string; group?: string };
  return { stream: body.stream ?? '', group: body.group ?? '', requestId: out.$metadata.requestId ?? '' };
}

async function messages(group: string, stream: string): Promise<string[]> {
  const got = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }));
  return (got.events ?? []).map((e) => e.message ?? '');
}

describe('Lambda logs in CloudWatch Logs', () => {
  it('gives each execution environment its own stream', async () => {
    await create('parallel-logs', {
      Code: {
        ZipFile: zip({
          'index.js': `exports.handler = async () => { await new Promise((r) => setTimeout(r, 300)); return { stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME }; };`,
        }),
      },
    });
    const [a, b] = await Promise.all([invoke('parallel-logs', {}), invoke('parallel-logs', {})]);
    expect(a.stream).not.toBe(b.stream);
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/parallel-logs' }));
    expect(streams.logStreams?.map((s) => s.logStreamName).sort()).toEqual([a.stream, b.stream].sort());
    for (const stream of [a.stream, b.stream]) {
      expect((await messages('/aws/lambda/parallel-logs', stream)).filter((l) => l.startsWith('REPORT '))).toHaveLength(1);
    }
  });

  it('writes START, the output, END and REPORT to /aws/lambda/NAME in the environment stream', async () => {
    await create('logged');
    const first = await invoke('logged', { say: 'hi' });
    expect(first.group).toBe('/aws/lambda/logged');
    expect(first.stream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    const second = await invoke('logged', { say: 'again' });
    expect(second.stream).toBe(first.stream);
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/logged' }));
    expect(streams.logStreams?.map((s) => s.logStreamName)).toEqual([first.stream]);

    const lines = await messages('/aws/lambda/logged', first.stream);
    const starts = lines.filter((l) => l.startsWith('START '));
    expect(starts).toHaveLength(2);
    expect(starts[0]).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/);
    const requestId = /RequestId: (\S+)/.exec(starts[0] ?? '')?.[1] ?? '';
    expect(lines).toContain(`END RequestId: ${requestId}`);
    expect(lines.some((l) => new RegExp(`^\\S+\\t${requestId}\\tINFO\\tevent says hi$`).test(l))).toBe(true);
    const reports = lines.filter((l) => l.startsWith('REPORT '));
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatch(
      new RegExp(
        `^REPORT RequestId: ${requestId}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\t` +
          'Memory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d{2} ms\\t$',
      ),
    );
    // A warm invocation has no Init Duration.
    expect(reports[1]).toMatch(/\tMax Memory Used: \d+ MB\t$/);
    // In order: START, output, END, REPORT for each invocation.
    const order = lines.map((l) => l.split(' ')[0]?.split('\t')[0]).filter((w) => ['START', 'END', 'REPORT'].includes(w ?? ''));
    expect(order).toEqual(['START', 'END', 'REPORT', 'START', 'END', 'REPORT']);

    const errors = await invoke('logged', { say: 'x', fail: true });
    const filtered = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/lambda/logged', filterPattern: '"Error: nope" ?ERROR' }),
    );
    expect(errors.stream).toBe('');
    expect(filtered.events?.length).toBeGreaterThan(0);
  });

  it('honours LoggingConfig: its LogGroup, JSON platform records and the system log level', async () => {
    await create('jsonlogged', { LoggingConfig: { LogFormat: 'JSON', LogGroup: '/custom/group' } });
    const out = await invoke('jsonlogged', { say: 'json' });
    expect(out.group).toBe('/custom/group');
    const lines = await messages('/custom/group', out.stream);
    const records = lines.map((l) => JSON.parse(l) as { type?: string; level?: string; message?: string; record?: unknown });
    expect(records.map((r) => r.type ?? r.level)).toEqual(['platform.start', 'INFO', 'platform.runtimeDone', 'platform.report']);
    expect(records[1]?.message).toBe('event says json');
    expect(records[3]?.record).toMatchObject({
      metrics: { memorySizeMB: 128, maxMemoryUsedMB: expect.any(Number) as number, initDurationMs: expect.any(Number) as number },
      status: 'success',
    });

    await create('quiet', { LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'WARN' } });
    const quiet = await invoke('quiet', { say: 'only me' });
    const quietLines = await messages('/aws/lambda/quiet', quiet.stream);
    expect(quietLines.map((l) => (JSON.parse(l) as { message?: string }).message)).toEqual(['event says only me']);
  });
});
