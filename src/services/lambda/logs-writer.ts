// Lambda's invocation logs in CloudWatch Logs: every invocation's START, the function's own output, END and REPORT
// (with Max Memory Used, and Init Duration on a cold start) go to the group `/aws/lambda/NAME` (or LoggingConfig's
// LogGroup), in the stream the function sees as AWS_LAMBDA_LOG_STREAM_NAME. With LogFormat JSON the platform lines
// are JSON records (platform.start, platform.runtimeDone, platform.report), filtered by SystemLogLevel.
import { readdirSync, readFileSync } from 'node:fs';
import type { ServiceHost } from '../../core/provider.js';
import type { LogsInternal } from '../logs/internal.js';
import type { CodeStorage } from './code.js';
import { Execution, type ExecutionRequest } from './execution.js';
import type { FunctionRecord, FunctionStore, VersionRecord } from './functions.js';
import type { InvocationOutcome } from './runtime/environment.js';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** Execution that also writes each invocation's log to CloudWatch Logs. */
export class LoggedExecution extends Execution {
  private logs: LogsInternal | undefined;
  private readonly memory = new PeakMemory();

  constructor(
    private readonly serviceHost: ServiceHost,
    code: CodeStorage,
    endpoint: () => string,
  ) {
    super(serviceHost, code, endpoint);
  }

  override async execute(
    store: FunctionStore,
    fn: FunctionRecord,
    record: VersionRecord,
    req: ExecutionRequest,
  ): Promise<InvocationOutcome> {
    const clock = this.serviceHost.clock;
    const started = clock.now();
    const outcome = await super.execute(store, fn, record, req);
    const ended = clock.now();
    const env = record.pool?.spec.env;
    const stream = outcome.logStream ?? env?.AWS_LAMBDA_LOG_STREAM_NAME;
    if (!stream || !outcome.log) return outcome;
    const group = record.config.LoggingConfig?.LogGroup ?? `/aws/lambda/${fn.name}`;
    const maxMemoryMb = this.memory.peakMb(stream, outcome.log.includes('\tInit Duration: '));
    const json = record.config.LoggingConfig?.LogFormat === 'JSON';
    const systemLevel = LEVELS.indexOf(record.config.LoggingConfig?.SystemLogLevel ?? 'INFO');
    const lines = renderLines(outcome.log, {
      maxMemoryMb,
      json,
      // Platform records are INFO: a SystemLogLevel above INFO leaves them out.
      platform: !json || systemLevel <= LEVELS.indexOf('INFO'),
      functionArn: req.invokedFunctionArn,
      failed: outcome.functionError !== undefined,
      started,
      ended,
    });
    const logs = await this.logsInternal();
    logs?.append(
      store.account,
      store.region,
      group,
      stream,
      lines.map((l) => ({ timestamp: l.timestamp, message: l.text })),
    );
    // LogType=Tail shows the completed REPORT line; JSON platform records are for CloudWatch Logs only.
    return json ? outcome : { ...outcome, log: lines.map((l) => `${l.text}\n`).join('') };
  }

  private async logsInternal(): Promise<LogsInternal | undefined> {
    if (!this.logs) this.logs = (await this.serviceHost.provider('logs'))?.internal as LogsInternal | undefined;
    return this.logs;
  }
}

interface RenderOptions {
  readonly maxMemoryMb: number | undefined;
  readonly json: boolean;
  readonly platform: boolean;
  readonly functionArn: string;
  readonly failed: boolean;
  /** When the invocation started and ended: what precedes START (init output) and START itself have the first. */
  readonly started: number;
  readonly ended: number;
}

export interface LogLine {
  readonly text: string;
  readonly timestamp: number;
}

const START = /^START RequestId: (\S+) Version: (\S+)$/;
const END = /^END RequestId: (\S+)$/;
const REPORT = /^REPORT RequestId: (\S+)\tDuration: ([\d.]+) ms\tBilled Duration: (\d+) ms\tMemory Size: (\d+) MB\t(?:Init Duration: ([\d.]+) ms\t)?$/;

/** The invocation's log as CloudWatch lines: one event per line, REPORT completed, JSON platform records if asked. */
export function renderLines(log: string, o: RenderOptions): LogLine[] {
  const raw = log.split('\n');
  const out: LogLine[] = [];
  let timestamp = raw.some((l) => START.test(l)) ? o.started : o.ended;
  for (const text of raw) {
    const start = START.exec(text);
    const end = END.exec(text);
    const report = REPORT.exec(text);
    if (!start && !end && !report) {
      if (text !== '') out.push({ text, timestamp });
      continue;
    }
    if (start) timestamp = o.started;
    const time = new Date(start ? o.started : o.ended).toISOString();
    const push = (line: string): void => {
      if (o.platform) out.push({ text: line, timestamp });
    };
    if (start) {
      push(
        o.json
          ? JSON.stringify({
              time,
              type: 'platform.start',
              record: { requestId: start[1], functionArn: o.functionArn, version: start[2] },
            })
          : text,
      );
      // What the function writes after START belongs to the invocation's end.
      timestamp = o.ended;
    } else if (end) {
      push(
        o.json
          ? JSON.stringify({
              time,
              type: 'platform.runtimeDone',
              record: { requestId: end[1], status: o.failed ? 'failure' : 'success' },
            })
          : text,
      );
    } else if (report) {
      const [, requestId, duration, billed, memorySize, init] = report;
      if (o.json) {
        push(
          JSON.stringify({
            time,
            type: 'platform.report',
            record: {
              requestId,
              metrics: {
                durationMs: Number(duration),
                billedDurationMs: Number(billed),
                memorySizeMB: Number(memorySize),
                ...(o.maxMemoryMb !== undefined ? { maxMemoryUsedMB: o.maxMemoryMb } : {}),
                ...(init !== undefined ? { initDurationMs: Number(init) } : {}),
              },
              status: o.failed ? 'failure' : 'success',
            },
          }),
        );
      } else {
        const used = o.maxMemoryMb !== undefined ? `Max Memory Used: ${o.maxMemoryMb} MB\t` : '';
        const initText = init !== undefined ? `Init Duration: ${init} ms\t` : '';
        push(
          `REPORT RequestId: ${requestId}\tDuration: ${duration} ms\tBilled Duration: ${billed} ms\t` +
            `Memory Size: ${memorySize} MB\t${used}${initText}`,
        );
      }
    }
  }
  return out;
}

/**
 * The peak resident memory (VmHWM) of the execution environments writing to a log stream, read from /proc: the
 * environments are this process's children, found by the AWS_LAMBDA_LOG_STREAM_NAME in their environment.
 * Undefined where /proc is not available.
 */
class PeakMemory {
  private readonly pids = new Map<string, number[]>();

  peakMb(stream: string, rescan: boolean): number | undefined {
    let pids = this.pids.get(stream);
    if (!pids || rescan) {
      pids = findChildren(stream);
      this.pids.set(stream, pids);
    }
    let peakKb: number | undefined;
    const alive: number[] = [];
    for (const pid of pids) {
      const kb = peakRssKb(pid);
      if (kb === undefined) continue;
      alive.push(pid);
      peakKb = Math.max(peakKb ?? 0, kb);
    }
    if (alive.length !== pids.length) this.pids.set(stream, alive);
    return peakKb === undefined ? undefined : Math.max(1, Math.round(peakKb / 1024));
  }
}

function findChildren(stream: string): number[] {
  const needle = `AWS_LAMBDA_LOG_STREAM_NAME=${stream}\0`;
  const found: number[] = [];
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      let children: string;
      try {
        children = readFileSync(`/proc/self/task/${tid}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const pid of children.split(' ').filter(Boolean).map(Number)) {
        try {
          if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(needle)) found.push(pid);
        } catch {
          // gone already
        }
      }
    }
  } catch {
    // no /proc here
  }
  return found;
}

function peakRssKb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
