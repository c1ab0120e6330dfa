// The SNS suite: raw Publish throughput against Switchyard (topic with 1 or 10 SQS subscriptions, with and without
// a filter policy) and against a canned server, then end-to-end latency from Publish to ReceiveMessage.
import { PublishCommand, SNSClient, SubscribeCommand, CreateTopicCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { captureRequest } from '../harness/capture.js';
import type { LoadJob } from '../harness/load-jobs.js';
import { runLoad, startScriptServer, startSwitchyardCli, type ServerProcess } from '../harness/processes.js';
import {
  CREDENTIALS,
  describeLoad,
  guard,
  measuredRow,
  othersNote,
  resetSwitchyard,
  throughputTable,
  type Row,
} from '../harness/report.js';
import { fmtInt, fmtMs, markdownTable, summarize } from '../harness/stats.js';
import { wire } from '../sqs/sdk-requests.js';
import type { SuiteReport } from '../sqs/suite.js';

export type SnsScenario = 'throughput' | 'latency';
export const SNS_SCENARIOS: readonly SnsScenario[] = ['throughput', 'latency'];

export interface SnsOptions {
  durationMs: number;
  warmupMs: number;
  connections: number;
  /** End-to-end samples per configuration, and the time budget for each configuration. */
  samples: number;
  latencyMs: number;
  scenarios: readonly SnsScenario[];
  log: (line: string) => void;
}

const ACCOUNT = '000000000000';
const BODY = 'switchyard-bench '.padEnd(100, 'x');
const FILTER_POLICY = JSON.stringify({ kind: ['keep'] });

interface Config {
  subscriptions: number;
  filter: boolean;
}

const CONFIGS: readonly Config[] = [
  { subscriptions: 1, filter: false },
  { subscriptions: 10, filter: false },
  { subscriptions: 1, filter: true },
  { subscriptions: 10, filter: true },
];

const label = (c: Config): string => `${c.subscriptions} subscription${c.subscriptions > 1 ? 's' : ''}${c.filter ? ', filter policy' : ''}`;

function snsClient(endpoint: string): SNSClient {
  return new SNSClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
}

function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
}

interface Topology {
  topicArn: string;
  queueUrls: string[];
}

/** A fresh store, one topic and `subscriptions` queues subscribed to it (with the filter policy if asked). */
async function setUp(endpoint: string, c: Config): Promise<Topology> {
  await resetSwitchyard(endpoint);
  const sns = snsClient(endpoint);
  const sqs = sqsClient(endpoint);
  try {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'bench-topic' }));
    if (!TopicArn) throw new Error('CreateTopic returned no TopicArn');
    const queueUrls: string[] = [];
    for (let i = 0; i < c.subscriptions; i++) {
      const name = `bench-sub-${i}`;
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      if (!QueueUrl) throw new Error('CreateQueue returned no QueueUrl');
      queueUrls.push(QueueUrl);
      await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`,
          ...(c.filter ? { Attributes: { FilterPolicy: FILTER_POLICY } } : {}),
        }),
      );
    }
    return { topicArn: TopicArn, queueUrls };
  } finally {
    sns.destroy();
    sqs.destroy();
  }
}

function publishInput(topicArn: string, kind: string, body = BODY): PublishCommand {
  return new PublishCommand({
    TopicArn: topicArn,
    Message: body,
    MessageAttributes: { kind: { DataType: 'String', StringValue: kind } },
  });
}

async function capturePublish(endpoint: string, topicArn: string): Promise<string> {
  const req = await captureRequest(
    (requestHandler) => new SNSClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1, requestHandler }),
    (c) => c.send(publishInput(topicArn, 'keep')),
  );
  return wire(req);
}

async function throughput(opts: SnsOptions, rows: Row[]): Promise<void> {
  const sy = await startSwitchyardCli();
  const canned = await startScriptServer('canned', '../sns/canned-server.ts');
  try {
    const cannedWire = await capturePublish(canned.endpoint, `arn:aws:sns:us-east-1:${ACCOUNT}:bench-topic`);
    for (const c of CONFIGS.filter((x) => !(x.filter && x.subscriptions === 1))) {
      const operation = `Publish, ${label(c)}`;
      opts.log(`\n${operation}: ${opts.connections} connections, ${opts.durationMs / 1000} s after ${opts.warmupMs / 1000} s warm-up`);
      for (const server of [sy, canned] as ServerProcess[]) {
        const row = await guard(operation, server.name, 1, async () => {
          let request = cannedWire;
          if (server === sy) request = await capturePublish(sy.endpoint, (await setUp(sy.endpoint, c)).topicArn);
          const job: LoadJob = {
            kind: 'closed-loop',
            port: server.port,
            connections: opts.connections,
            warmupMs: opts.warmupMs,
            durationMs: opts.durationMs,
            workload: { type: 'repeat', request, messagesPerRequest: 1 },
          };
          return measuredRow(operation, server.name, 1, await runLoad(job, server.pid));
        });
        opts.log(describeLoad(row));
        rows.push(row);
      }
    }
  } finally {
    await sy.stop();
    await canned.stop();
  }
}

interface LatencyFigures {
  config: Config;
  samples: number;
  p50: number;
  p99: number;
  /** Messages received that should have been filtered out, or that were not this sample's. */
  wrong: number;
  /** Samples whose message did not arrive on every queue within the long poll. */
  missing: number;
}

/**
 * Per sample: a long-poll ReceiveMessage is already waiting on every subscribed queue; with a filter policy a
 * message the policy drops is published first, then the measured one. Latency: from just before the measured
 * Publish to its receipt on a queue (one figure per queue and sample), through the SDK.
 */
async function latency(endpoint: string, c: Config, opts: SnsOptions): Promise<LatencyFigures> {
  const { topicArn, queueUrls } = await setUp(endpoint, c);
  const sns = snsClient(endpoint);
  const sqs = sqsClient(endpoint);
  const figures: number[] = [];
  let wrong = 0;
  let missing = 0;
  let n = 0;
  try {
    // Warm both paths once.
    await sns.send(publishInput(topicArn, 'keep'));
    for (const url of queueUrls) await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    const deadline = performance.now() + opts.latencyMs;
    for (; n < opts.samples && performance.now() < deadline; n++) {
      const marker = `sample-${n}-`;
      let t0 = Number.NaN;
      const polls = queueUrls.map(async (url) => {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 2, MaxNumberOfMessages: 1 }));
        const at = performance.now();
        const m = out.Messages?.[0];
        if (!m) {
          missing++;
          return;
        }
        if (!m.Body?.includes(marker) || m.Body.includes('drop-me')) wrong++;
        else figures.push(at - t0);
        if (m.ReceiptHandle) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
      });
      // Let the long polls reach the server before publishing.
      await new Promise((r) => setTimeout(r, 2));
      if (c.filter) await sns.send(publishInput(topicArn, 'drop', `${marker}drop-me`));
      t0 = performance.now();
      await sns.send(publishInput(topicArn, 'keep', `${marker}${BODY}`));
      await Promise.all(polls);
    }
  } finally {
    sns.destroy();
    sqs.destroy();
  }
  const s = summarize(Float64Array.from(figures));
  return { config: c, samples: n, p50: s.p50, p99: s.p99, wrong, missing };
}

export async function runSnsSuite(opts: SnsOptions): Promise<SuiteReport> {
  const sections: string[] = [];
  if (opts.scenarios.includes('throughput')) {
    const rows: Row[] = [];
    await throughput(opts, rows);
    sections.push(
      `Raw Publish (the exact awsQuery request of @aws-sdk/client-sns, 100-byte message, one message attribute) over ` +
        `${opts.connections} keep-alive connections, ${opts.durationMs / 1000} s each after ${opts.warmupMs / 1000} s ` +
        `warm-up, to a topic with SQS subscriptions (the filter policy lets the message through); ratio = Switchyard / ` +
        `canned (a fixed PublishResponse). Delivery to the queues may finish after the window closes.\n\n` +
        throughputTable(rows, 'publishes') +
        othersNote(rows),
    );
  }
  if (opts.scenarios.includes('latency')) {
    const out: string[][] = [];
    const sy = await startSwitchyardCli();
    try {
      opts.log(`\nEnd to end, Publish to ReceiveMessage (long poll), up to ${opts.samples} samples per configuration:`);
      for (const c of CONFIGS) {
        try {
          const f = await latency(sy.endpoint, c, opts);
          const checks = [f.wrong ? `${f.wrong} wrong messages` : '', f.missing ? `${f.missing} not received` : ''].filter(Boolean);
          opts.log(`  ${label(c).padEnd(32)} ${f.samples} samples  p50 ${fmtMs(f.p50)} ms  p99 ${fmtMs(f.p99)} ms  ${checks.join(', ')}`);
          out.push([
            label(c),
            fmtInt(f.samples),
            c.filter ? '1 of 2' : 'all',
            fmtMs(f.p50),
            fmtMs(f.p99),
            checks.length ? checks.join(', ') : 'ok',
          ]);
        } catch (err) {
          opts.log(`  ${label(c)} ERROR ${(err as Error).message}`);
          out.push([label(c), `error: ${(err as Error).message.slice(0, 160)}`, '', '', '', '']);
        }
      }
    } finally {
      await sy.stop();
    }
    sections.push(
      `End to end through the SDK: a long-poll ReceiveMessage waits on every subscribed queue, then Publish; time ` +
        `from Publish to the message received, one figure per queue and sample. With the filter policy every measured ` +
        `Publish follows one that the policy drops.\n\n` +
        markdownTable(['Subscriptions', 'Samples', 'Messages delivered', 'p50 ms', 'p99 ms', 'Check'], out),
    );
  }
  return { title: 'SNS', markdown: sections.join('\n\n') };
}
