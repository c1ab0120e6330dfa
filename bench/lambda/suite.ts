// The Lambda suite: warm Invoke latency (p50, p99) and invokes per second through @aws-sdk/client-lambda for a Node
// and a Python handler that do nothing, so the figures are Switchyard's overhead plus the runtime's; cold start time
// (CreateFunction then the first Invoke); SQS to Lambda throughput through an event source mapping.
import { spawnSync } from 'node:child_process';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  InvokeCommand,
  LambdaClient,
  type Runtime,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { strToU8, zipSync } from 'fflate';
import { cpuTimeUs } from '../harness/proc.js';
import { startSwitchyardCli, type ServerProcess } from '../harness/processes.js';
import { fmtInt, fmtMs, markdownTable, median, Samples, summarize } from '../harness/stats.js';
import type { SuiteReport } from '../sqs/suite.js';

export type LambdaScenario = 'warm' | 'cold' | 'sqs';
export const LAMBDA_SCENARIOS: readonly LambdaScenario[] = ['warm', 'cold', 'sqs'];

export interface LambdaOptions {
  durationMs: number;
  warmupMs: number;
  /** Concurrent SDK callers for the invokes-per-second window. */
  concurrency: number;
  coldRuns: number;
  /** Messages queued for the SQS to Lambda window. */
  sqsMessages: number;
  scenarios: readonly LambdaScenario[];
  log: (line: string) => void;
}

const ROLE = 'arn:aws:iam::000000000000:role/bench';
const AIM_WARM_NODE_P50_MS = 2;

interface Handler {
  readonly label: string;
  readonly runtime: Runtime;
  readonly handler: string;
  readonly files: Record<string, string>;
}

const HANDLERS: readonly Handler[] = [
  {
    label: 'Node.js 20',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    files: { 'index.js': 'exports.handler = async () => ({ ok: true });' },
  },
  {
    label: 'Python 3.12',
    runtime: 'python3.12',
    handler: 'app.handler',
    files: { 'app.py': 'def handler(event, context):\n    return {"ok": True}\n' },
  },
];

const hasPython = (): boolean => spawnSync('python3', ['--version']).status === 0;

function clients(endpoint: string): { lambda: LambdaClient; sqs: SQSClient } {
  const common = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  return { lambda: new LambdaClient(common), sqs: new SQSClient(common) };
}

async function createFunction(lambda: LambdaClient, name: string, h: Handler, timeout = 30): Promise<void> {
  const zipped = zipSync(Object.fromEntries(Object.entries(h.files).map(([k, v]) => [k, strToU8(v)])));
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: h.runtime,
      Role: ROLE,
      Handler: h.handler,
      Code: { ZipFile: zipped },
      Timeout: timeout,
    }),
  );
}

async function invokeOk(lambda: LambdaClient, name: string): Promise<void> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: strToU8('{}') }));
  if (out.FunctionError) throw new Error(`${name} failed: ${Buffer.from(out.Payload ?? []).toString('utf8')}`);
}

interface WarmRow {
  handler: string;
  p50: number;
  p99: number;
  latencyCount: number;
  invokesPerSecond: number;
  cpuUsPerInvoke: number;
  error?: string;
}

/** Closed loops of `concurrency` SDK callers for `ms`; returns latencies and the count. */
async function loop(lambda: LambdaClient, name: string, concurrency: number, ms: number): Promise<{ samples: Samples; elapsedMs: number }> {
  const samples = new Samples();
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await invokeOk(lambda, name);
        samples.push(performance.now() - t);
      }
    }),
  );
  return { samples, elapsedMs: performance.now() - start };
}

async function warm(sy: ServerProcess, opts: LambdaOptions): Promise<WarmRow[]> {
  const { lambda } = clients(sy.endpoint);
  const rows: WarmRow[] = [];
  try {
    for (const h of HANDLERS) {
      if (h.runtime.startsWith('python') && !hasPython()) {
        rows.push({ handler: h.label, p50: NaN, p99: NaN, latencyCount: 0, invokesPerSecond: NaN, cpuUsPerInvoke: NaN, error: 'python3 missing' });
        continue;
      }
      const name = `warm-${h.runtime.replace(/\W/g, '')}`;
      try {
        await createFunction(lambda, name, h);
        await loop(lambda, name, opts.concurrency, opts.warmupMs);
        // Latency at concurrency 1, then throughput with `concurrency` callers (as many warm environments).
        const serial = await loop(lambda, name, 1, opts.durationMs);
        const stats = summarize(serial.samples.view());
        const cpuBefore = cpuTimeUs(sy.pid);
        const parallel = await loop(lambda, name, opts.concurrency, opts.durationMs);
        const cpu = cpuTimeUs(sy.pid) - cpuBefore;
        const row: WarmRow = {
          handler: h.label,
          p50: stats.p50,
          p99: stats.p99,
          latencyCount: stats.count,
          invokesPerSecond: (parallel.samples.length * 1000) / parallel.elapsedMs,
          cpuUsPerInvoke: cpu / parallel.samples.length,
        };
        rows.push(row);
        opts.log(
          `  ${h.label.padEnd(12)} concurrency 1: p50 ${fmtMs(row.p50)} ms  p99 ${fmtMs(row.p99)} ms (${fmtInt(row.latencyCount)} invokes); ` +
            `concurrency ${opts.concurrency}: ${fmtInt(row.invokesPerSecond)} invokes/s, Switchyard CPU ${fmtInt(row.cpuUsPerInvoke)} µs/invoke`,
        );
      } catch (err) {
        rows.push({ handler: h.label, p50: NaN, p99: NaN, latencyCount: 0, invokesPerSecond: NaN, cpuUsPerInvoke: NaN, error: (err as Error).message });
        opts.log(`  ${h.label.padEnd(12)} ERROR ${(err as Error).message}`);
      }
    }
  } finally {
    lambda.destroy();
  }
  return rows;
}

interface ColdRow {
  handler: string;
  medianMs: number;
  runs: number;
  error?: string;
}

/** Cold start: the first Invoke of a function just created (a new execution environment, init included). */
async function cold(sy: ServerProcess, opts: LambdaOptions): Promise<ColdRow[]> {
  const { lambda } = clients(sy.endpoint);
  const rows: ColdRow[] = [];
  try {
    for (const h of HANDLERS) {
      if (h.runtime.startsWith('python') && !hasPython()) {
        rows.push({ handler: h.label, medianMs: NaN, runs: 0, error: 'python3 missing' });
        continue;
      }
      const times: number[] = [];
      try {
        for (let i = 0; i < opts.coldRuns; i++) {
          const name = `cold-${h.runtime.replace(/\W/g, '')}-${i}`;
          await createFunction(lambda, name, h);
          const t = performance.now();
          await invokeOk(lambda, name);
          times.push(performance.now() - t);
        }
        rows.push({ handler: h.label, medianMs: median(times), runs: times.length });
        opts.log(`  ${h.label.padEnd(12)} cold start median ${fmtMs(median(times))} ms over ${times.length} runs (${times.map(fmtMs).join(', ')})`);
      } catch (err) {
        rows.push({ handler: h.label, medianMs: NaN, runs: times.length, error: (err as Error).message });
        opts.log(`  ${h.label.padEnd(12)} ERROR ${(err as Error).message}`);
      }
    }
  } finally {
    lambda.destroy();
  }
  return rows;
}

interface SqsRow {
  messages: number;
  elapsedMs: number;
  note: string;
  error?: string;
}

/** SQS to Lambda: a queue filled first, then an event source mapping (batch size 10) drains it into a Node handler. */
async function sqsToLambda(sy: ServerProcess, opts: LambdaOptions): Promise<SqsRow> {
  const { lambda, sqs } = clients(sy.endpoint);
  try {
    const h = HANDLERS[0] as Handler;
    await createFunction(lambda, 'sqs-consumer', h);
    await invokeOk(lambda, 'sqs-consumer');
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench-lambda-source' }))).QueueUrl ?? '';
    const arn =
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn ?? '';
    for (let sent = 0; sent < opts.sqsMessages; sent += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: `{"n":${sent + i}}` })),
        }),
      );
    }
    const left = async (): Promise<number> => {
      const a = (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        )
      ).Attributes;
      return Number(a?.ApproximateNumberOfMessages ?? 0) + Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0);
    };
    const start = performance.now();
    const mapping = await lambda.send(
      new CreateEventSourceMappingCommand({ EventSourceArn: arn, FunctionName: 'sqs-consumer', BatchSize: 10 }),
    );
    const budget = Math.max(opts.durationMs * 6, 30_000);
    let remaining = opts.sqsMessages;
    while (performance.now() - start < budget) {
      remaining = await left();
      if (remaining === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const elapsedMs = performance.now() - start;
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: mapping.UUID }));
    const consumed = opts.sqsMessages - remaining;
    const row: SqsRow = {
      messages: consumed,
      elapsedMs,
      note: remaining === 0 ? 'queue drained' : `${fmtInt(remaining)} left when the time budget ended`,
    };
    opts.log(`  SQS -> Lambda: ${fmtInt((consumed * 1000) / elapsedMs)} messages/s (${fmtInt(consumed)} in ${fmtMs(elapsedMs)} ms, ${row.note})`);
    return row;
  } catch (err) {
    opts.log(`  SQS -> Lambda ERROR ${(err as Error).message}`);
    return { messages: 0, elapsedMs: NaN, note: '', error: (err as Error).message };
  } finally {
    lambda.destroy();
    sqs.destroy();
  }
}

export async function runLambdaSuite(opts: LambdaOptions): Promise<SuiteReport> {
  const sy = await startSwitchyardCli();
  const parts: string[] = [];
  try {
    if (opts.scenarios.includes('warm')) {
      opts.log('warm invokes (SDK, handler returns at once):');
      const rows = await warm(sy, opts);
      parts.push(
        markdownTable(
          ['Handler', 'p50 ms (1 caller)', 'p99 ms (1 caller)', `invokes/s (${opts.concurrency} callers)`, 'Switchyard CPU µs/invoke'],
          rows.map((r) =>
            r.error !== undefined
              ? [r.handler, `error: ${r.error.slice(0, 120)}`, '', '', '']
              : [r.handler, fmtMs(r.p50), fmtMs(r.p99), fmtInt(r.invokesPerSecond), fmtInt(r.cpuUsPerInvoke)],
          ),
        ) +
          `\n\nAim: warm Node.js invoke under ${AIM_WARM_NODE_P50_MS} ms p50 on top of the handler; the latency here is the SDK ` +
          'call end to end (client, HTTP, Switchyard, Runtime API round trip, runtime) with a handler that does nothing.',
      );
    }
    if (opts.scenarios.includes('cold')) {
      opts.log('cold starts (CreateFunction, then the first Invoke):');
      const rows = await cold(sy, opts);
      parts.push(
        markdownTable(
          ['Handler', 'cold start ms (median)', 'runs'],
          rows.map((r) => (r.error !== undefined ? [r.handler, `error: ${r.error.slice(0, 120)}`, String(r.runs)] : [r.handler, fmtMs(r.medianMs), String(r.runs)])),
        ),
      );
    }
    if (opts.scenarios.includes('sqs')) {
      opts.log('SQS -> Lambda (event source mapping, batch size 10, Node handler):');
      const row = await sqsToLambda(sy, opts);
      parts.push(
        markdownTable(
          ['Scenario', 'messages/s', 'messages', 'note'],
          [
            row.error !== undefined
              ? ['SQS -> Lambda, batch 10', `error: ${row.error.slice(0, 120)}`, '', '']
              : ['SQS -> Lambda, batch 10', fmtInt((row.messages * 1000) / row.elapsedMs), fmtInt(row.messages), row.note],
          ],
        ),
      );
    }
  } finally {
    await sy.stop();
  }
  return { title: 'Lambda', markdown: parts.join('\n\n') };
}
