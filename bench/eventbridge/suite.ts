// The EventBridge suite: raw PutEvents throughput (1 and 10 entries) against Switchyard with 1 or 100 rules on the
// default bus delivering to an SQS queue, and against a canned server; then pattern matching in-process, and the
// CityLots-like matching benchmark against 10, 100 and 1,000 rules of each operator kind (./citylots-matching.ts).
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { compilePattern, RuleSet } from '../../src/services/eventbridge/pattern/index.js';
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
import { fmtInt, markdownTable } from '../harness/stats.js';
import { wire } from '../sqs/sdk-requests.js';
import { parseOnlyRate, RULE_COUNTS, runCityLots } from './citylots-matching.js';
import { EVENT_RULER_EPS, OPERATOR_KINDS } from './citylots.js';
import type { SuiteReport } from '../sqs/suite.js';

export type EventBridgeScenario = 'throughput' | 'matching' | 'citylots';
export const EVENTBRIDGE_SCENARIOS: readonly EventBridgeScenario[] = ['throughput', 'matching', 'citylots'];

export interface EventBridgeOptions {
  durationMs: number;
  warmupMs: number;
  connections: number;
  /** Events matched against the in-process rule set, and the time budget for it. */
  events: number;
  matchingMs: number;
  scenarios: readonly EventBridgeScenario[];
  log: (line: string) => void;
}

const ACCOUNT = '000000000000';
const QUEUE = 'bench-eb-target';
/** The event every PutEvents entry carries: it matches the hot rules whose amount threshold is below 50. */
const EVENT = {
  Source: 'bench.orders',
  DetailType: 'OrderPlaced',
  Detail: JSON.stringify({ orderId: 'o-1234567890', amount: 50, currency: 'EUR', items: 3 }),
};
/** Thresholds of the hot rules (source and detail-type of EVENT): amount 50 passes the first two. */
const HOT_THRESHOLDS = [0, 10, 100];

/**
 * Rule i: source/detail-type and a numeric condition on detail.amount. In a set of n rules the first min(n, 3) are
 * the hot ones (same source and detail-type as EVENT), the rest name other sources: 2 of them match EVENT (1 of 1).
 */
function rulePattern(i: number): string {
  const hot = i < HOT_THRESHOLDS.length;
  return JSON.stringify({
    source: [hot ? EVENT.Source : `bench.service-${i}`],
    'detail-type': [hot ? EVENT.DetailType : `Type${i % 7}`],
    detail: { amount: [{ numeric: ['>', HOT_THRESHOLDS[i] ?? i] }] },
  });
}

const matchesOf = (rules: number): number => HOT_THRESHOLDS.slice(0, rules).filter((t) => t < 50).length;

function ebClient(endpoint: string): EventBridgeClient {
  return new EventBridgeClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
}

function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
}

/** A fresh store, the target queue, and `rules` rules on the default bus, each targeting the queue. */
async function setUp(endpoint: string, rules: number): Promise<string> {
  await resetSwitchyard(endpoint);
  const eb = ebClient(endpoint);
  const sqs = sqsClient(endpoint);
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: QUEUE }));
    if (!QueueUrl) throw new Error('CreateQueue returned no QueueUrl');
    for (let i = 0; i < rules; i++) {
      const Name = `bench-rule-${i}`;
      await eb.send(new PutRuleCommand({ Name, EventPattern: rulePattern(i) }));
      const out = await eb.send(
        new PutTargetsCommand({ Rule: Name, Targets: [{ Id: 'q', Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:${QUEUE}` }] }),
      );
      if (out.FailedEntryCount) throw new Error(`PutTargets failed: ${JSON.stringify(out.FailedEntries)}`);
    }
    return QueueUrl;
  } finally {
    eb.destroy();
    sqs.destroy();
  }
}

async function capturePutEvents(endpoint: string, entries: number): Promise<string> {
  const req = await captureRequest(
    (requestHandler) =>
      new EventBridgeClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1, requestHandler }),
    (c) => c.send(new PutEventsCommand({ Entries: Array.from({ length: entries }, () => ({ ...EVENT })) })),
  );
  return wire(req);
}

async function queued(endpoint: string, url: string): Promise<number> {
  const sqs = sqsClient(endpoint);
  try {
    const out = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(out.Attributes?.ApproximateNumberOfMessages ?? Number.NaN) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  } finally {
    sqs.destroy();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function throughput(opts: EventBridgeOptions, rows: Row[]): Promise<void> {
  const sy = await startSwitchyardCli();
  const canned = await startScriptServer('canned', '../eventbridge/canned-server.ts');
  try {
    for (const entries of [1, 10]) {
      const cannedWire = await capturePutEvents(canned.endpoint, entries);
      for (const rules of [1, 100]) {
        const operation = `PutEvents ×${entries}, ${rules} rule${rules > 1 ? 's' : ''} (${matchesOf(rules)} match)`;
        opts.log(`\n${operation}: ${opts.connections} connections, ${opts.durationMs / 1000} s after ${opts.warmupMs / 1000} s warm-up`);
        for (const server of [sy, canned] as ServerProcess[]) {
          const row = await guard(operation, server.name, entries, async () => {
            let request = cannedWire;
            let queueUrl = '';
            if (server === sy) {
              queueUrl = await setUp(sy.endpoint, rules);
              request = await capturePutEvents(sy.endpoint, entries);
            }
            const job: LoadJob = {
              kind: 'closed-loop',
              port: server.port,
              connections: opts.connections,
              warmupMs: opts.warmupMs,
              durationMs: opts.durationMs,
              workload: { type: 'repeat', request, messagesPerRequest: 1 },
            };
            const row = measuredRow(operation, server.name, entries, await runLoad(job, server.pid));
            if (server === sy && row.load) {
              // Every event sent (warm-up included) should land once per matching rule; let delivery finish.
              await sleep(500);
              const delivered = await queued(sy.endpoint, queueUrl);
              const measured = row.load.result.requests * entries * matchesOf(rules);
              const check = `${fmtInt(delivered)} messages delivered to the queue (${fmtInt(measured)} from the measured window alone)`;
              opts.log(`  ${check}`);
              if (!(delivered >= measured)) row.note = [row.note, `too few deliveries: ${check}`].filter(Boolean).join('; ');
            }
            return row;
          });
          opts.log(describeLoad(row));
          rows.push(row);
        }
      }
    }
  } finally {
    await sy.stop();
    await canned.stop();
  }
}

interface MatchingFigures {
  rules: number;
  events: number;
  linearEvents: number;
  indexedNs: number;
  linearNs: number;
  matchesPerEvent: number;
}

/** Events as EventBridge hands them to rules: a mix of hot events (10%) and events of other sources and types. */
function sampleEvents(count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => ({
    version: '0',
    id: `e-${i}`,
    'detail-type': i % 10 === 0 ? EVENT.DetailType : `Type${i % 7}`,
    source: i % 10 === 0 ? EVENT.Source : `bench.service-${(i * 7919) % 2000}`,
    account: ACCOUNT,
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: { orderId: `o-${i}`, amount: (i * 37) % 2000, currency: 'EUR', items: i % 5 },
  }));
}

/** 1,000 rules (the same shapes as the throughput rules) matched in-process, indexed (RuleSet) and one by one. */
function matching(opts: EventBridgeOptions): MatchingFigures {
  const RULES = 1000;
  const patterns = Array.from({ length: RULES }, (_, i) => compilePattern(rulePattern(i)));
  const set = new RuleSet<number>();
  patterns.forEach((p, i) => set.add(i, p));
  const events = sampleEvents(Math.min(opts.events, 10_000));
  const time = (each: (event: unknown) => number): { ns: number; matches: number; n: number } => {
    for (let i = 0; i < Math.min(events.length, 1000); i++) each(events[i]); // warm-up
    let matches = 0;
    let n = 0;
    const deadline = performance.now() + opts.matchingMs / 2;
    const started = process.hrtime.bigint();
    while (n < opts.events) {
      matches += each(events[n % events.length]);
      n++;
      if ((n & 1023) === 0 && performance.now() > deadline) break;
    }
    return { ns: Number(process.hrtime.bigint() - started) / n, matches, n };
  };
  const indexed = time((e) => set.matching(e).length);
  const linear = time((e) => {
    let m = 0;
    for (const p of patterns) if (p.matches(e)) m++;
    return m;
  });
  if (indexed.matches / indexed.n !== linear.matches / linear.n && indexed.n === linear.n) {
    throw new Error(`RuleSet found ${indexed.matches} matches, one-by-one ${linear.matches}`);
  }
  return { rules: RULES, events: indexed.n, linearEvents: linear.n, indexedNs: indexed.ns, linearNs: linear.ns, matchesPerEvent: indexed.matches / indexed.n };
}

export async function runEventBridgeSuite(opts: EventBridgeOptions): Promise<SuiteReport> {
  const sections: string[] = [];
  if (opts.scenarios.includes('throughput')) {
    const rows: Row[] = [];
    await throughput(opts, rows);
    sections.push(
      `Raw PutEvents (the exact awsJson 1.1 request of @aws-sdk/client-eventbridge) over ${opts.connections} keep-alive ` +
        `connections, ${opts.durationMs / 1000} s each after ${opts.warmupMs / 1000} s warm-up; rules on the default bus ` +
        `match on source, detail-type and a numeric condition, each targets one SQS queue; ratio = Switchyard / canned ` +
        `(a fixed PutEvents response).\n\n` +
        throughputTable(rows, 'events') +
        othersNote(rows),
    );
  }
  if (opts.scenarios.includes('matching')) {
    const f = matching(opts);
    opts.log(
      `\nPattern matching in-process, ${f.rules} rules, ${fmtInt(f.events)} events: RuleSet ${f.indexedNs.toFixed(0)} ns/event, ` +
        `one by one ${f.linearNs.toFixed(0)} ns/event (${fmtInt(f.linearEvents)} events in its time budget), ${f.matchesPerEvent.toFixed(2)} matches/event`,
    );
    sections.push(
      `Pattern matching in-process (RuleSet from src/services/eventbridge/pattern), ${fmtInt(f.rules)} rules of the ` +
        `same shapes, events of which 1 in 10 comes from the hot source:\n\n` +
        markdownTable(
          ['Matcher', 'events timed', 'ns/event', 'events/s', 'matches/event'],
          [
            ['RuleSet (indexed)', fmtInt(f.events), f.indexedNs.toFixed(0), fmtInt(1e9 / f.indexedNs), f.matchesPerEvent.toFixed(2)],
            ['every pattern in turn', fmtInt(f.linearEvents), f.linearNs.toFixed(0), fmtInt(1e9 / f.linearNs), f.matchesPerEvent.toFixed(2)],
          ],
        ),
    );
  }
  if (opts.scenarios.includes('citylots')) sections.push(cityLotsSection(opts));
  return { title: 'EventBridge', markdown: sections.join('\n\n') };
}

/** Events per second against 10, 100 and 1,000 rules of each operator kind, beside event-ruler's figures. */
function cityLotsSection(opts: EventBridgeOptions): string {
  const budgetMs = 1_500;
  const parseRate = parseOnlyRate(opts.events, 1_000);
  opts.log(`\nJSON.parse alone over the same lines: ${fmtInt(parseRate)} events/s`);
  const report = runCityLots({ features: opts.events, budgetMs, log: opts.log });
  const rows: string[][] = [];
  for (const kind of OPERATOR_KINDS) {
    for (const rules of RULE_COUNTS) {
      const r = report.rows.find((x) => x.kind === kind && x.rules === rules);
      if (!r) continue;
      rows.push([kind, fmtInt(rules), fmtInt(r.eventsPerSecond), fmtInt(r.parsedEventsPerSecond), r.matchesPerEvent.toFixed(2), rules === 10 ? fmtInt(EVENT_RULER_EPS[kind]) : '']);
    }
  }
  return (
    `Pattern matching in-process on a generated CityLots-like data set (${fmtInt(report.features)} GeoJSON features of ` +
    `${Math.round(report.averageBytes)} bytes on average, generated in ${report.generationSeconds.toFixed(1)} s; each figure ` +
    `is the events matched within ${budgetMs / 1000} s): "from JSON text" parses each line and matches it, as event-ruler's ` +
    `figures do; "parsed" matches already parsed events (a pool of 20,000), which is what PutEvents pays. JSON.parse ` +
    `alone manages ${fmtInt(parseRate)} lines/s on this machine.\n\n` +
    markdownTable(['Operator', 'rules', 'events/s from JSON text', 'events/s parsed', 'matches/event', 'event-ruler events/s'], rows)
  );
}
