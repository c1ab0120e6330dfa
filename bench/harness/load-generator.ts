// The load generator, in its own process: closed loops over N keep-alive connections replaying exact SDK requests,
// or the official SDK client at a given concurrency. It tells its parent when the measured window opens and closes,
// so that the parent reads the server's CPU time over exactly that window.
import type { GeneratorMessage, LoadJob, LoadResult, RequestTemplate, Workload } from './load-jobs.js';
import { RawConnection, type RawResponse } from './raw-http.js';
import { Samples, summarize } from './stats.js';

const send = (m: GeneratorMessage): void => {
  process.send?.(m);
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Window {
  measuring: boolean;
  stopped: boolean;
  requests: number;
  messages: number;
  errors: number;
  emptyReceives: number;
  firstError?: string;
  latencies: Samples;
}

function newWindow(): Window {
  return { measuring: false, stopped: false, requests: 0, messages: 0, errors: 0, emptyReceives: 0, latencies: new Samples() };
}

function describe(res: RawResponse): string {
  return `HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`;
}

function noteError(w: Window, message: string): void {
  if (w.measuring) w.errors++;
  w.firstError ??= message;
}

function fillTemplate(t: RequestTemplate, value: string): string {
  const body = t.bodyBefore + value + t.bodyAfter;
  return `${t.headBeforeLength}${Buffer.byteLength(body)}${t.headAfterLength}${body}`;
}

/** Messages a 200 response stands for: the Successful entries of a batch, else the workload's count. */
function messagesIn(res: RawResponse, perRequest: number): number {
  if (perRequest === 1) return 1;
  const parsed = JSON.parse(res.body.toString('utf8')) as { Successful?: unknown[] };
  return parsed.Successful?.length ?? 0;
}

async function timed(w: Window, conn: RawConnection, bytes: Buffer | string): Promise<RawResponse> {
  const started = performance.now();
  const res = await conn.request(bytes);
  if (w.measuring) {
    w.requests++;
    w.latencies.push(performance.now() - started);
  }
  return res;
}

async function loop(port: number, w: Window, workload: Workload): Promise<void> {
  const repeat = workload.type === 'repeat' ? Buffer.from(workload.request, 'latin1') : undefined;
  const receive = workload.type === 'receive-delete' ? Buffer.from(workload.receive, 'latin1') : undefined;
  let conn: RawConnection | undefined;
  while (!w.stopped) {
    try {
      conn ??= await RawConnection.open(port);
      if (workload.type === 'repeat' && repeat) {
        const res = await timed(w, conn, repeat);
        if (res.status !== 200) noteError(w, describe(res));
        else if (w.measuring) w.messages += messagesIn(res, workload.messagesPerRequest);
      } else if (workload.type === 'receive-delete' && receive) {
        const res = await timed(w, conn, receive);
        if (res.status !== 200) {
          noteError(w, `ReceiveMessage ${describe(res)}`);
          continue;
        }
        const parsed = JSON.parse(res.body.toString('utf8')) as { Messages?: { ReceiptHandle?: string }[] };
        const handle = parsed.Messages?.[0]?.ReceiptHandle;
        if (handle === undefined) {
          if (w.measuring) w.emptyReceives++;
          continue;
        }
        const del = await timed(w, conn, fillTemplate(workload.delete, JSON.stringify(handle).slice(1, -1)));
        if (del.status !== 200) noteError(w, `DeleteMessage ${describe(del)}`);
        else if (w.measuring) w.messages++;
      }
    } catch (err) {
      noteError(w, (err as Error).message);
      conn?.close();
      conn = undefined;
      await sleep(20);
    }
  }
  conn?.close();
}

async function runWindow(
  job: { warmupMs: number; durationMs: number },
  loops: (w: Window) => Promise<void>[],
): Promise<LoadResult> {
  const w = newWindow();
  const running = Promise.all(loops(w));
  await sleep(job.warmupMs);
  w.firstError = undefined;
  w.measuring = true;
  send({ type: 'measuring' });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(job.durationMs);
  w.measuring = false;
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  send({ type: 'stopped' });
  w.stopped = true;
  await running;
  const lat = summarize(w.latencies.view());
  return {
    requests: w.requests,
    messages: w.messages,
    errors: w.errors,
    emptyReceives: w.emptyReceives,
    ...(w.firstError === undefined ? {} : { firstError: w.firstError }),
    elapsedMs,
    p50Ms: lat.p50,
    p99Ms: lat.p99,
    meanMs: lat.mean,
    generatorCpuUs: cpu.user + cpu.system,
  };
}

async function fill(job: Extract<LoadJob, { kind: 'fill' }>): Promise<LoadResult> {
  const bytes = Buffer.from(job.request, 'latin1');
  let remaining = Math.ceil(job.messages / job.messagesPerRequest);
  let requests = 0;
  let messages = 0;
  let errors = 0;
  let firstError: string | undefined;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    const conn = await RawConnection.open(job.port);
    try {
      while (remaining > 0 && errors < 100 && performance.now() - t0 < job.maxMs) {
        remaining--;
        const res = await conn.request(bytes);
        requests++;
        if (res.status === 200) messages += messagesIn(res, job.messagesPerRequest);
        else {
          errors++;
          firstError ??= describe(res);
        }
      }
    } finally {
      conn.close();
    }
  };
  await Promise.all(Array.from({ length: job.connections }, worker));
  const cpu = process.cpuUsage(cpu0);
  return {
    requests,
    messages,
    errors,
    emptyReceives: 0,
    ...(firstError === undefined ? {} : { firstError }),
    elapsedMs: performance.now() - t0,
    p50Ms: Number.NaN,
    p99Ms: Number.NaN,
    meanMs: Number.NaN,
    generatorCpuUs: cpu.user + cpu.system,
  };
}

async function sdk(job: Extract<LoadJob, { kind: 'sdk' }>): Promise<LoadResult> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const { SQSClient, SendMessageCommand } = await import('@aws-sdk/client-sqs');
  const client = new SQSClient({
    endpoint: job.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  // The SDK's code paths are many and cold: a few hundred calls first, so that the JIT has seen them.
  const warmUntil = performance.now() + 2000;
  for (let i = 0; i < 200 && performance.now() < warmUntil; i++) {
    await client.send(new SendMessageCommand({ QueueUrl: job.queueUrl, MessageBody: job.body })).catch(() => undefined);
  }
  const result = await runWindow(job, (w) =>
    Array.from({ length: job.concurrency }, async () => {
      while (!w.stopped) {
        const started = performance.now();
        try {
          await client.send(new SendMessageCommand({ QueueUrl: job.queueUrl, MessageBody: job.body }));
          if (w.measuring) {
            w.requests++;
            w.messages++;
            w.latencies.push(performance.now() - started);
          }
        } catch (err) {
          noteError(w, `${(err as Error).name}: ${(err as Error).message}`);
          await sleep(20);
        }
      }
    }),
  );
  client.destroy();
  return result;
}

async function run(job: LoadJob): Promise<LoadResult> {
  switch (job.kind) {
    case 'closed-loop':
      return runWindow(job, (w) => Array.from({ length: job.connections }, () => loop(job.port, w, job.workload)));
    case 'fill':
      return fill(job);
    case 'sdk':
      return sdk(job);
  }
}

// A generator whose parent went away stops at once.
process.on('disconnect', () => process.exit(0));

process.once('message', (job: LoadJob) => {
  run(job).then(
    (result) => {
      send({ type: 'result', result });
      process.removeAllListeners('disconnect');
      process.disconnect();
    },
    (err: unknown) => {
      send({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      process.removeAllListeners('disconnect');
      process.disconnect();
    },
  );
});
