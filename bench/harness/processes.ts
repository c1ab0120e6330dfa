// Child processes of a benchmark run: the servers under test and the load generator, each in its own process so
// that the kernel accounts CPU time to each one separately.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { GeneratorMessage, LoadJob, LoadResult } from './load-jobs.js';
import { cpuTimeUs, machineCpu, type MachineCpu } from './proc.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD_ENV = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NODE_NO_WARNINGS: '1' };

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  readonly endpoint: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** `node dist/cli/main.js --port 0 --log-level silent`, ready once it prints its endpoint. */
export async function startSwitchyardCli(extraNodeArgs: string[] = []): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [...extraNodeArgs, 'dist/cli/main.js', '--port', '0', '--log-level', 'silent'],
    { cwd: ROOT, env: CHILD_ENV, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  track(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const port = await withTimeout(
    new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /ready on http:\/\/[^:]+:(\d+)/.exec(out);
        if (m?.[1]) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`switchyard exited with ${code}: ${stderr.trim()}`)));
    }),
    15_000,
    'switchyard start',
  );
  if (child.pid === undefined) throw new Error('switchyard has no pid');
  return { name: 'switchyard', pid: child.pid, port, endpoint: `http://127.0.0.1:${port}`, child, stop: stopper(child) };
}

/** A TypeScript server script forked through tsx that sends `{ type: 'ready', port }` once listening. */
export async function startScriptServer(name: string, script: string, nodeArgs: string[] = []): Promise<ServerProcess> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    cwd: ROOT,
    env: CHILD_ENV,
    execArgv: [...nodeArgs, '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  track(child);
  const port = await withTimeout(
    new Promise<number>((resolve, reject) => {
      child.on('message', (m: { type?: string; port?: number }) => {
        if (m.type === 'ready' && typeof m.port === 'number') resolve(m.port);
      });
      child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
    }),
    30_000,
    `${name} start`,
  );
  if (child.pid === undefined) throw new Error(`${name} has no pid`);
  return { name, pid: child.pid, port, endpoint: `http://127.0.0.1:${port}`, child, stop: stopper(child) };
}

/** Asks a forked script server something over IPC and waits for the reply of the given type. */
export function ask<T>(server: ServerProcess, message: { type: string }, replyType: string): Promise<T> {
  return withTimeout(
    new Promise<T>((resolve) => {
      const onMessage = (m: { type?: string }): void => {
        if (m.type !== replyType) return;
        server.child.off('message', onMessage);
        resolve(m as T);
      };
      server.child.on('message', onMessage);
      server.child.send(message);
    }),
    60_000,
    `${server.name} ${message.type}`,
  );
}

export interface MeasuredLoad {
  result: LoadResult;
  /** The server's CPU time over the generator's measured window, in microseconds. */
  serverCpuUs: number;
  /**
   * Share of the machine's CPU used over the window by processes other than the server and the generator: this
   * machine is shared, and a busy neighbour inflates latency and, less so, CPU time per request.
   */
  othersShare: number;
}

/** Children still running, killed if this process exits first so that no server outlives a run. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function track<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** A value that crossed IPC: JSON turns NaN into null. */
const num = (v: number | null): number => (typeof v === 'number' ? v : Number.NaN);

/** Runs one job in a fresh load-generator process; reads the server's CPU time when the window opens and closes. */
export async function runLoad(job: LoadJob, serverPid: number | undefined): Promise<MeasuredLoad> {
  const child = fork(fileURLToPath(new URL('./load-generator.ts', import.meta.url)), [], {
    cwd: ROOT,
    env: CHILD_ENV,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  track(child);
  let cpuStart = Number.NaN;
  let cpuEnd = Number.NaN;
  let machineStart: MachineCpu | undefined;
  let machineEnd: MachineCpu | undefined;
  const cpu = (): number => (serverPid === undefined ? Number.NaN : cpuTimeUs(serverPid));
  if (job.kind === 'fill') {
    cpuStart = cpu();
    machineStart = machineCpu();
  }
  const limitMs = (job.kind === 'fill' ? job.maxMs : job.warmupMs + job.durationMs) + 60_000;
  const result = await withTimeout(
    new Promise<LoadResult>((resolve, reject) => {
      child.on('message', (m: GeneratorMessage) => {
        if (m.type === 'measuring') {
          cpuStart = cpu();
          machineStart = machineCpu();
        } else if (m.type === 'stopped') {
          cpuEnd = cpu();
          machineEnd = machineCpu();
        } else if (m.type === 'result') resolve(m.result);
        else reject(new Error(`load generator failed: ${m.error}`));
      });
      child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
      child.send(job);
    }),
    limitMs,
    'load generator',
  ).finally(() => {
    if (child.exitCode === null) child.kill();
  });
  if (job.kind === 'fill') {
    cpuEnd = cpu();
    machineEnd = machineCpu();
  }
  result.p50Ms = num(result.p50Ms);
  result.p99Ms = num(result.p99Ms);
  result.meanMs = num(result.meanMs);
  const serverCpuUs = cpuEnd - cpuStart;
  const othersShare =
    machineStart && machineEnd
      ? Math.max(0, machineEnd.busyUs - machineStart.busyUs - serverCpuUs - result.generatorCpuUs) /
        (machineEnd.totalUs - machineStart.totalUs)
      : Number.NaN;
  return { result, serverCpuUs, othersShare };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
