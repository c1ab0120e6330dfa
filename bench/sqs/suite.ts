// The SQS suite: raw-HTTP throughput against Switchyard and against the canned server in the same run, the SDK
// at concurrency 1 and 16, startup time, idle memory and memory per stored message.
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { LoadJob, Workload } from '../harness/load-jobs.js';
import {
  ask,
  freePort,
  ROOT,
  runLoad,
  startScriptServer,
  startSwitchyardCli,
  track,
  type MeasuredLoad,
  type ServerProcess,
} from '../harness/processes.js';
import { rssBytes } from '../harness/proc.js';
import { fmtInt, fmtMB, fmtMs, fmtPct, fmtRatio, markdownTable, median } from '../harness/stats.js';
import { captureSqsRequests, type SqsWireRequests } from './sdk-requests.js';
import { ACCOUNT, BATCH_SIZE, BODY, batchEntries, QUEUES } from './workload.js';

export type SqsScenario = 'throughput' | 'sdk' | 'startup' | 'memory';
export const SQS_SCENARIOS: readonly SqsScenario[] = ['throughput', 'sdk', 'startup', 'memory'];

export interface SqsOptions {
  durationMs: number;
  warmupMs: number;
  connections: number;
  /** Messages in the queue before the receive-delete cycle starts. */
  depth: number;
  /** Time budget for the prefill of the receive-delete queue. */
  prefillMs: number;
  /** Messages stored for the memory measurement, and the time budget for storing them. */
  messages: number;
  memoryMs: number;
  startupRuns: number;
  scenarios: readonly SqsScenario[];
  log: (line: string) => void;
}

export interface SuiteReport {
  title: string;
  markdown: string;
}

interface Row {
  operation: string;
  server: string;
  load?: MeasuredLoad;
  /** Set when the operation failed: the row shows this instead of figures. */
  error?: string;
  note?: string;
}

const AIM_CPU_RATIO = 2;
const AIM_STARTUP_MS = 300;
const AIM_IDLE_RSS = 60 * 1024 * 1024;

function sdkClient(endpoint: string): SQSClient {
  return new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

async function createQueues(endpoint: string, names: readonly string[]): Promise<Record<string, string>> {
  const client = sdkClient(endpoint);
  try {
    const urls: Record<string, string> = {};
    for (const name of names) {
      const out = await client.send(new CreateQueueCommand({ QueueName: name }));
      if (!out.QueueUrl) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
      urls[name] = out.QueueUrl;
    }
    return urls;
  } finally {
    client.destroy();
  }
}

async function resetSwitchyard(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/_switchyard/reset`, { method: 'POST' });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`reset answered ${res.status}`);
}

/** Whether SendMessageBatch works on this server (it lands later than SendMessage in the SQS provider). */
async function batchWorks(endpoint: string, queueUrl: string): Promise<string | undefined> {
  const client = sdkClient(endpoint);
  try {
    const out = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batchEntries() }));
    return out.Successful?.length === BATCH_SIZE ? undefined : `SendMessageBatch stored ${out.Successful?.length ?? 0}/10`;
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  } finally {
    client.destroy();
  }
}

/** Checks that the receive-delete cycle really deleted: what is left plus what was deleted cannot exceed the fill. */
async function leftInQueue(endpoint: string, queueUrl: string, filled: number, deleted: number): Promise<string> {
  const client = sdkClient(endpoint);
  try {
    const out = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const left =
      Number(out.Attributes?.ApproximateNumberOfMessages ?? Number.NaN) +
      Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? Number.NaN);
    if (!Number.isFinite(left)) return 'messages left not checked (no counts in GetQueueAttributes)';
    const ok = left + deleted <= filled;
    return `${fmtInt(left)} messages left after ${fmtInt(deleted)} measured deletes${ok ? '' : ' — MORE THAN FILLED: deletes did not take'}`;
  } catch (err) {
    return `messages left not checked (GetQueueAttributes: ${(err as Error).name})`;
  } finally {
    client.destroy();
  }
}

function errorOf(load: MeasuredLoad): string | undefined {
  const r = load.result;
  if (r.requests === 0) return r.firstError ?? 'no request completed';
  if (r.errors >= r.requests) return r.firstError ?? 'every request failed';
  return undefined;
}

function rowNote(load: MeasuredLoad): string | undefined {
  const r = load.result;
  const notes: string[] = [];
  if (r.errors > 0) notes.push(`${r.errors} errors, first: ${r.firstError ?? '?'}`);
  if (r.emptyReceives > 0) notes.push(`${r.emptyReceives} empty receives (queue drained: raise --depth)`);
  return notes.length ? notes.join('; ') : undefined;
}

function perSecond(n: number, load: MeasuredLoad): number {
  return (n * 1000) / load.result.elapsedMs;
}

function cpuPerRequest(load: MeasuredLoad): number {
  return load.serverCpuUs / load.result.requests;
}

function describeLoad(row: Row): string {
  if (row.error !== undefined || !row.load) return `  ${row.server.padEnd(12)} ERROR ${row.error ?? ''}`;
  const l = row.load;
  const r = l.result;
  return (
    `  ${row.server.padEnd(12)} ${fmtInt(perSecond(r.requests, l)).padStart(8)} req/s ` +
    `${fmtInt(perSecond(r.messages, l)).padStart(8)} msgs/s  p50 ${fmtMs(r.p50Ms).padStart(6)} ms  ` +
    `p99 ${fmtMs(r.p99Ms).padStart(6)} ms  server CPU ${fmtInt(cpuPerRequest(l)).padStart(5)} µs/req  ` +
    `generator CPU ${fmtInt(r.generatorCpuUs / r.requests)} µs/req  others ${fmtPct(l.othersShare)} of the machine` +
    (row.note ? `\n    note: ${row.note}` : '')
  );
}

function measuredRow(operation: string, server: string, load: MeasuredLoad): Row {
  const error = errorOf(load);
  const note = rowNote(load);
  return { operation, server, load, ...(error === undefined ? {} : { error }), ...(note === undefined ? {} : { note }) };
}

async function guard(operation: string, server: string, work: () => Promise<Row>): Promise<Row> {
  try {
    return await work();
  } catch (err) {
    return { operation, server, error: (err as Error).message };
  }
}

interface Target {
  server: ServerProcess;
  wire: SqsWireRequests;
  /** Prepares the server before a scenario (Switchyard: empty store, fresh queues, optional prefill). */
  prepare: () => Promise<void>;
}

async function throughput(opts: SqsOptions, rows: Row[]): Promise<void> {
  const sy = await startSwitchyardCli();
  const canned = await startScriptServer('canned', '../sqs/canned-server.ts');
  try {
    const names = [QUEUES.send, QUEUES.batch, QUEUES.receive];
    const syUrls = await createQueues(sy.endpoint, names);
    const cannedUrl = (name: string): string => `${canned.endpoint}/${ACCOUNT}/${name}`;
    const syWire = await captureSqsRequests(sy.endpoint, {
      send: syUrls[QUEUES.send] ?? '',
      batch: syUrls[QUEUES.batch] ?? '',
      receive: syUrls[QUEUES.receive] ?? '',
    });
    const cannedWire = await captureSqsRequests(canned.endpoint, {
      send: cannedUrl(QUEUES.send),
      batch: cannedUrl(QUEUES.batch),
      receive: cannedUrl(QUEUES.receive),
    });
    opts.log(`  request replayed for SendMessage (from @aws-sdk/client-sqs):`);
    for (const [k, v] of Object.entries(syWire.sample.headers)) opts.log(`    ${k}: ${v.length > 90 ? `${v.slice(0, 90)}…` : v}`);

    let prefilled = 0;
    const prefill = async (): Promise<string> => {
      const url = syUrls[QUEUES.receive] ?? '';
      const batchError = await batchWorks(sy.endpoint, url);
      const perRequest = batchError ? 1 : BATCH_SIZE;
      const started = performance.now();
      const fill = await runLoad(
        {
          kind: 'fill',
          port: sy.port,
          connections: opts.connections,
          request: batchError ? syWire.fillSend : syWire.fillBatch,
          messagesPerRequest: perRequest,
          messages: opts.depth - (batchError ? 0 : BATCH_SIZE),
          maxMs: opts.prefillMs,
        },
        sy.pid,
      );
      if (fill.result.errors > 0) throw new Error(`prefill failed: ${fill.result.firstError ?? '?'}`);
      const secs = (performance.now() - started) / 1000;
      const stored = fill.result.messages + (batchError ? 0 : BATCH_SIZE);
      prefilled = stored;
      const budget = stored < opts.depth ? ` (time budget of ${opts.prefillMs / 1000} s hit)` : '';
      return `queue prefilled with ${fmtInt(stored)} messages in ${secs.toFixed(1)} s${budget}${batchError ? ' with SendMessage (batch failed)' : ''}`;
    };

    const targets: Target[] = [
      {
        server: sy,
        wire: syWire,
        prepare: async () => {
          await resetSwitchyard(sy.endpoint);
          await createQueues(sy.endpoint, names);
        },
      },
      { server: canned, wire: cannedWire, prepare: async () => undefined },
    ];
    const scenarios: { operation: string; workload: (w: SqsWireRequests) => Workload; prefill: boolean }[] = [
      { operation: 'SendMessage', workload: (w) => ({ type: 'repeat', request: w.sendMessage, messagesPerRequest: 1 }), prefill: false },
      {
        operation: `SendMessageBatch (${BATCH_SIZE})`,
        workload: (w) => ({ type: 'repeat', request: w.sendMessageBatch, messagesPerRequest: BATCH_SIZE }),
        prefill: false,
      },
      {
        operation: 'Receive + Delete',
        workload: (w) => ({ type: 'receive-delete', receive: w.receiveMessage, delete: w.deleteMessage }),
        prefill: true,
      },
    ];
    for (const scenario of scenarios) {
      opts.log(`\n${scenario.operation}: ${opts.connections} connections, ${opts.durationMs / 1000} s after ${opts.warmupMs / 1000} s warm-up`);
      for (const target of targets) {
        const row = await guard(scenario.operation, target.server.name, async () => {
          await target.prepare();
          let prefillNote: string | undefined;
          if (scenario.prefill && target.server === sy) {
            prefillNote = await prefill();
            opts.log(`  ${prefillNote}`);
          }
          const job: LoadJob = {
            kind: 'closed-loop',
            port: target.server.port,
            connections: opts.connections,
            warmupMs: opts.warmupMs,
            durationMs: opts.durationMs,
            workload: scenario.workload(target.wire),
          };
          const row = measuredRow(scenario.operation, target.server.name, await runLoad(job, target.server.pid));
          if (prefillNote) {
            const check = await leftInQueue(sy.endpoint, syUrls[QUEUES.receive] ?? '', prefilled, row.load?.result.messages ?? 0);
            opts.log(`  ${check}`);
            row.note = [prefillNote, check, row.note].filter(Boolean).join('; ');
          }
          return row;
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

async function sdkScenarios(opts: SqsOptions, rows: Row[]): Promise<void> {
  const sy = await startSwitchyardCli();
  const canned = await startScriptServer('canned', '../sqs/canned-server.ts');
  try {
    for (const concurrency of [1, 16]) {
      const operation = `SDK SendMessage, concurrency ${concurrency}`;
      opts.log(`\n${operation}: ${opts.durationMs / 1000} s after ${opts.warmupMs / 1000} s warm-up`);
      for (const server of [sy, canned]) {
        const row = await guard(operation, server.name, async () => {
          let queueUrl = `${canned.endpoint}/${ACCOUNT}/${QUEUES.sdk}`;
          if (server === sy) {
            await resetSwitchyard(sy.endpoint);
            queueUrl = (await createQueues(sy.endpoint, [QUEUES.sdk]))[QUEUES.sdk] ?? '';
          }
          const job: LoadJob = {
            kind: 'sdk',
            endpoint: server.endpoint,
            queueUrl,
            body: BODY,
            concurrency,
            warmupMs: opts.warmupMs,
            durationMs: opts.durationMs,
          };
          return measuredRow(operation, server.name, await runLoad(job, server.pid));
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

function getStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Spawns `node args...` (which must listen on `port`) and polls `path` until it answers 200. */
async function timeToFirstAnswer(
  args: string[],
  port: number,
  path: string,
): Promise<{ ms: number; child: ReturnType<typeof spawn> }> {
  const started = performance.now();
  const child = track(spawn(process.execPath, args, { cwd: ROOT, stdio: 'ignore' }));
  try {
    for (;;) {
      if (performance.now() - started > 10_000) throw new Error(`node ${args[0] ?? ''} did not answer within 10 s`);
      if (child.exitCode !== null) throw new Error(`node ${args[0] ?? ''} exited with ${child.exitCode}`);
      try {
        if ((await getStatus(port, path)) === 200) return { ms: performance.now() - started, child };
      } catch {
        await sleep(1);
      }
    }
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}

async function stopChild(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** The smallest Node server, to show what Node's own startup costs on this machine. */
const BARE_SERVER = "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.argv[1]), '127.0.0.1')";

interface StartupFigures {
  startupMs: number[];
  bareMs: number[];
  idleRss: number[];
  afterRequestRss: number[];
  bareRss: number[];
}

async function startup(opts: SqsOptions): Promise<StartupFigures> {
  const figures: StartupFigures = { startupMs: [], bareMs: [], idleRss: [], afterRequestRss: [], bareRss: [] };
  for (let run = 0; run < opts.startupRuns; run++) {
    const barePort = await freePort();
    const b = await timeToFirstAnswer(['-e', BARE_SERVER, String(barePort)], barePort, '/');
    figures.bareMs.push(b.ms);
    await sleep(1000);
    figures.bareRss.push(rssBytes(b.child.pid ?? 0));
    await stopChild(b.child);

    const port = await freePort();
    const sy = await timeToFirstAnswer(
      ['dist/cli/main.js', '--port', String(port), '--log-level', 'silent'],
      port,
      '/_switchyard/health',
    );
    try {
      figures.startupMs.push(sy.ms);
      const pid = sy.child.pid ?? 0;
      await sleep(1000);
      figures.idleRss.push(rssBytes(pid));
      const client = sdkClient(`http://127.0.0.1:${port}`);
      try {
        const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: QUEUES.send }));
        await client.send(new SendMessageCommand({ QueueUrl, MessageBody: BODY }));
      } finally {
        client.destroy();
      }
      await sleep(500);
      figures.afterRequestRss.push(rssBytes(pid));
    } finally {
      await stopChild(sy.child);
    }
  }
  const list = (xs: number[]): string => xs.map((ms) => ms.toFixed(0)).join(', ');
  opts.log(`\nStartup, spawn to first 200 from /_switchyard/health, ${opts.startupRuns} runs:`);
  opts.log(`  switchyard       ${list(figures.startupMs)} ms; median ${median(figures.startupMs).toFixed(0)} ms`);
  opts.log(`  bare node:http   ${list(figures.bareMs)} ms; median ${median(figures.bareMs).toFixed(0)} ms (Node's own floor)`);
  opts.log(`  idle RSS 1 s after start: median ${fmtMB(median(figures.idleRss))} (bare node:http ${fmtMB(median(figures.bareRss))})`);
  opts.log(`  RSS after CreateQueue + SendMessage: median ${fmtMB(median(figures.afterRequestRss))}`);
  return figures;
}

interface MemoryFigures {
  messages: number;
  seconds: number;
  rssPerMessage: number;
  heapPerMessage: number;
  rssBefore: number;
  rssAfter: number;
  gc: boolean;
  via: string;
  /** Set when the time budget ran out before all the requested messages were stored. */
  budgetHit: boolean;
}

interface MemoryReply {
  type: 'memory';
  gc: boolean;
  rss: number;
  heapUsed: number;
}

async function memory(opts: SqsOptions): Promise<MemoryFigures> {
  const host = await startScriptServer('switchyard-host', './switchyard-host.ts', ['--expose-gc']);
  try {
    const urls = await createQueues(host.endpoint, [QUEUES.memory]);
    const url = urls[QUEUES.memory] ?? '';
    const wire = await captureSqsRequests(host.endpoint, { send: url, batch: url, receive: url });
    // One message through each path first, so that code and models loaded on first use are not counted.
    const batchError = await batchWorks(host.endpoint, url);
    const warm = sdkClient(host.endpoint);
    await warm.send(new SendMessageCommand({ QueueUrl: url, MessageBody: BODY })).finally(() => warm.destroy());
    const before = await ask<MemoryReply>(host, { type: 'memory' }, 'memory');
    const perRequest = batchError ? 1 : BATCH_SIZE;
    opts.log(`\nMemory: storing ${fmtInt(opts.messages)} messages of ${BODY.length} bytes with ${batchError ? 'SendMessage' : 'SendMessageBatch'}…`);
    if (batchError) opts.log(`  (SendMessageBatch failed: ${batchError})`);
    const started = performance.now();
    const fill = await runLoad(
      {
        kind: 'fill',
        port: host.port,
        connections: opts.connections,
        request: batchError ? wire.sendMessage : wire.sendMessageBatch,
        messagesPerRequest: perRequest,
        messages: opts.messages,
        maxMs: opts.memoryMs,
      },
      host.pid,
    );
    const seconds = (performance.now() - started) / 1000;
    if (fill.result.errors > 0) throw new Error(`storing failed: ${fill.result.firstError ?? '?'}`);
    const after = await ask<MemoryReply>(host, { type: 'memory' }, 'memory');
    const stored = fill.result.messages;
    const figures: MemoryFigures = {
      messages: stored,
      seconds,
      rssPerMessage: (after.rss - before.rss) / stored,
      heapPerMessage: (after.heapUsed - before.heapUsed) / stored,
      rssBefore: before.rss,
      rssAfter: after.rss,
      gc: after.gc,
      via: batchError ? 'SendMessage' : 'SendMessageBatch',
      budgetHit: stored < opts.messages,
    };
    opts.log(
      `  stored ${fmtInt(stored)}${figures.budgetHit ? ` (time budget of ${opts.memoryMs / 1000} s hit)` : ''} in ${seconds.toFixed(1)} s (${fmtInt(stored / seconds)} msgs/s); RSS ${fmtMB(before.rss)} -> ` +
        `${fmtMB(after.rss)}: ${fmtInt(figures.rssPerMessage)} B/message RSS, ${fmtInt(figures.heapPerMessage)} B/message ` +
        `JS heap${after.gc ? ' (after forced GC)' : ' (no GC exposed)'}`,
    );
    return figures;
  } finally {
    await host.stop();
  }
}

/** The busiest neighbour load seen over the measured windows, for the caveat under the tables. */
function othersNote(rows: Row[]): string {
  const shares = rows.map((r) => r.load?.othersShare ?? Number.NaN).filter(Number.isFinite);
  if (shares.length === 0) return '';
  return `\n\nOther processes used ${fmtPct(Math.min(...shares))}–${fmtPct(Math.max(...shares))} of the machine's CPU during these windows.`;
}

function throughputTable(rows: Row[]): string {
  const header = ['Operation', 'Server', 'req/s', 'msgs/s', 'p50 ms', 'p99 ms', 'server CPU µs/req'];
  const out: string[][] = [];
  const byOp = new Map<string, Row[]>();
  for (const r of rows) byOp.set(r.operation, [...(byOp.get(r.operation) ?? []), r]);
  for (const [operation, group] of byOp) {
    for (const r of group) {
      if (r.error !== undefined || !r.load) {
        out.push([operation, r.server, `error: ${r.error?.slice(0, 160) ?? '?'}`, '', '', '', '']);
        continue;
      }
      const l = r.load;
      out.push([
        operation,
        r.server,
        fmtInt(perSecond(l.result.requests, l)),
        fmtInt(perSecond(l.result.messages, l)),
        fmtMs(l.result.p50Ms),
        fmtMs(l.result.p99Ms),
        fmtInt(cpuPerRequest(l)),
      ]);
    }
    const syRow = group.find((r) => r.server === 'switchyard');
    const cannedRow = group.find((r) => r.server === 'canned');
    const sy = syRow?.load;
    const canned = cannedRow?.load;
    if (sy && canned && syRow?.error === undefined && cannedRow?.error === undefined) {
      out.push([
        operation,
        '**ratio**',
        fmtRatio(perSecond(sy.result.requests, sy) / perSecond(canned.result.requests, canned)),
        fmtRatio(perSecond(sy.result.messages, sy) / perSecond(canned.result.messages, canned)),
        fmtRatio(sy.result.p50Ms / canned.result.p50Ms),
        fmtRatio(sy.result.p99Ms / canned.result.p99Ms),
        `**${fmtRatio(cpuPerRequest(sy) / cpuPerRequest(canned))}**`,
      ]);
    }
  }
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.operation}, ${r.server}: ${r.note ?? ''}`);
  return markdownTable(header, out) + (notes.length ? `\n\n${notes.join('\n')}` : '');
}

const verdict = (ok: boolean): string => (ok ? 'met' : '**missed**');

export async function runSqsSuite(opts: SqsOptions): Promise<SuiteReport> {
  const want = (s: SqsScenario): boolean => opts.scenarios.includes(s);
  const sections: string[] = [];
  const aims: string[][] = [];

  if (want('throughput')) {
    const rows: Row[] = [];
    await throughput(opts, rows);
    sections.push(
      `Raw HTTP/1.1, the SDK's exact requests replayed over ${opts.connections} keep-alive connections (closed loop, ` +
        `${opts.durationMs / 1000} s each after ${opts.warmupMs / 1000} s warm-up); ratio = Switchyard / canned. ` +
        `Receive + Delete: req/s counts both calls, msgs/s the deleted messages, latency is per call.\n\n` +
        throughputTable(rows) +
        othersNote(rows),
    );
    const send = rows.filter((r) => r.operation === 'SendMessage');
    const sy = send.find((r) => r.server === 'switchyard');
    const canned = send.find((r) => r.server === 'canned');
    if (sy?.load && canned?.load && sy.error === undefined) {
      const ratio = cpuPerRequest(sy.load) / cpuPerRequest(canned.load);
      aims.push(['CPU per SendMessage vs canned', fmtRatio(ratio), `≤ ${AIM_CPU_RATIO}x`, verdict(ratio <= AIM_CPU_RATIO)]);
    } else aims.push(['CPU per SendMessage vs canned', `error: ${sy?.error ?? canned?.error ?? '?'}`, `≤ ${AIM_CPU_RATIO}x`, '–']);
  }
  if (want('sdk')) {
    const rows: Row[] = [];
    await sdkScenarios(opts, rows);
    sections.push(
      `The official SDK (@aws-sdk/client-sqs), SendMessage, ${opts.durationMs / 1000} s each: what a user sees ` +
        `(against canned: the client's own cost).\n\n${throughputTable(rows)}${othersNote(rows)}`,
    );
  }
  if (want('startup')) {
    try {
      const f = await startup(opts);
      const ms = median(f.startupMs);
      aims.push([
        `Startup to first answered request (median of ${opts.startupRuns}; bare node:http ${median(f.bareMs).toFixed(0)} ms)`,
        `${ms.toFixed(0)} ms`,
        `< ${AIM_STARTUP_MS} ms`,
        verdict(ms < AIM_STARTUP_MS),
      ]);
      const idle = median(f.idleRss);
      aims.push([
        `Idle RSS after start (bare node:http ${fmtMB(median(f.bareRss))})`,
        fmtMB(idle),
        `< ${AIM_IDLE_RSS / 1024 / 1024} MB`,
        verdict(idle < AIM_IDLE_RSS),
      ]);
      aims.push(['RSS after CreateQueue + SendMessage', fmtMB(median(f.afterRequestRss)), '–', '']);
    } catch (err) {
      aims.push(['Startup', `error: ${(err as Error).message}`, `< ${AIM_STARTUP_MS} ms`, '–']);
    }
  }
  if (want('memory')) {
    try {
      const m = await memory(opts);
      aims.push([
        `Memory per stored message (${fmtInt(m.messages)} × ${BODY.length} B via ${m.via} in ${m.seconds.toFixed(0)} s` +
          `${m.budgetHit ? `: time budget hit before ${fmtInt(opts.messages)}` : ''})`,
        `${fmtInt(m.rssPerMessage)} B RSS (${fmtInt(m.heapPerMessage)} B JS heap)`,
        '–',
        `RSS ${fmtMB(m.rssBefore)} → ${fmtMB(m.rssAfter)}`,
      ]);
    } catch (err) {
      aims.push(['Memory per stored message', `error: ${(err as Error).message}`, '–', '']);
    }
  }
  if (aims.length) sections.push(markdownTable(['Measure', 'Result', 'Aim', ''], aims));
  return { title: 'SQS', markdown: sections.join('\n\n') };
}
