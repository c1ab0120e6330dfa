// The same definitions run by aws-local-stepfunctions (npm), the interpreter library users reach for today, in this
// process: no API, no history, no persistence, so it shows the floor an interpreter alone reaches, not a like-for-like
// service. Its CPU is this process's own over the runs.
import { StateMachine } from 'aws-local-stepfunctions';
import { fmtInt, fmtMs, median } from '../harness/stats.js';

export interface LocalRun {
  readonly label: string;
  readonly definition: object;
  readonly input: Parameters<StateMachine['run']>[0];
  /** Units per run: transitions for a chain, items for a Map, 1 for an execution. */
  readonly units: number;
}

/** Runs the definition again and again for durationMs (at least 3 times); a table row like the suite's. */
export async function runLocalLibrary(run: LocalRun, durationMs: number): Promise<string[]> {
  // The library's types are loose about definitions; ours are built by the suite and known to be valid.
  const machine = new StateMachine(run.definition as ConstructorParameters<typeof StateMachine>[0], { validationOptions: { checkPaths: false } });
  await machine.run(run.input).result;
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  const deadline = performance.now() + durationMs;
  while (performance.now() < deadline || times.length < 3) {
    const started = performance.now();
    await machine.run(run.input).result;
    times.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const ms = median(times);
  return [
    `${run.label}: aws-local-stepfunctions 3.0.0, in process`,
    fmtInt((run.units * 1000) / ms),
    fmtMs(ms),
    String(times.length),
    fmtInt((cpu.user + cpu.system) / (times.length * run.units)),
  ];
}
