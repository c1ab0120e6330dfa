// `npm run bench -- [suite...] [options]`: runs benchmark suites (sqs, sns, eventbridge) against the built server, each
// scenario bounded in time, and prints a report then a markdown summary for README.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './harness/processes.js';
import { APIGATEWAY_SCENARIOS, runApiGatewaySuite, type ApiGatewayScenario } from './apigateway/suite.js';
import { EVENTBRIDGE_SCENARIOS, runEventBridgeSuite, type EventBridgeScenario } from './eventbridge/suite.js';
import { LAMBDA_SCENARIOS, runLambdaSuite, type LambdaScenario } from './lambda/suite.js';
import { runSnsSuite, SNS_SCENARIOS, type SnsScenario } from './sns/suite.js';
import { runSqsSuite, SQS_SCENARIOS, type SqsScenario, type SuiteReport } from './sqs/suite.js';
import { runStepFunctionsSuite, STEPFUNCTIONS_SCENARIOS, type StepFunctionsScenario } from './stepfunctions/suite.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const HELP = `Usage: npm run bench -- [sqs] [sns] [eventbridge] [apigateway] [lambda] [stepfunctions] [options]

Suites: sqs, sns, eventbridge, apigateway, lambda, stepfunctions (the default runs every suite).

Options:
  --duration <s>        measured seconds per throughput/SDK scenario (default 5)
  --warmup <s>          warm-up seconds before each measured window (default 1)
  --connections <n>     keep-alive connections of the raw load generator (default 8)
  --depth <n>           messages queued before the receive-delete cycle (default 50000)
  --prefill-seconds <s> time budget for filling the receive-delete queue (default 30)
  --messages <n>        messages stored for memory per message (default 1000000)
  --memory-seconds <s>  time budget for storing them (default 60)
  --startup-runs <n>    runs of the startup measurement (default 5)
  --samples <n>         sns: end-to-end latency samples per configuration (default 300)
  --latency-seconds <s> sns: time budget per latency configuration (default 10)
  --events <n>          eventbridge: events matched in-process against 1,000 rules (default 200000)
  --only <list>         scenarios, comma-separated (default all): sqs ${SQS_SCENARIOS.join(',')};
                        sns ${SNS_SCENARIOS.join(',')}; eventbridge ${EVENTBRIDGE_SCENARIOS.join(',')};
                        apigateway ${APIGATEWAY_SCENARIOS.join(',')}; lambda ${LAMBDA_SCENARIOS.join(',')};
                        stepfunctions ${STEPFUNCTIONS_SCENARIOS.join(',')}
  --cold-runs <n>       lambda: cold starts measured per runtime (default 5)
  --sqs-messages <n>    lambda: messages drained from SQS through an event source mapping (default 5000)
  --no-build            use dist/ as it is, even when src/ is newer
  --out <file>          also write the markdown summary to this file
  -h, --help            show this help`;

const SUITES: Record<string, true> = { sqs: true, sns: true, eventbridge: true, apigateway: true, lambda: true, stepfunctions: true };

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when src/ is newer; a failing build (someone mid-edit) falls back to the dist/ already there. */
function ensureBuilt(log: (s: string) => void): void {
  const main = join(ROOT, 'dist', 'cli', 'main.js');
  const stale = !existsSync(main) || newestMtime(join(ROOT, 'src')) > statSync(main).mtimeMs;
  if (!stale) return;
  log('dist/ is older than src/: building (tsc -p tsconfig.build.json)…');
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const before = existsSync(main) ? statSync(main).mtimeMs : 0;
  const out = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (out.status === 0) return;
  const errors = `${out.stdout}${out.stderr}`.trim().split('\n').slice(0, 10).join('\n');
  if (!existsSync(main)) throw new Error(`build failed and there is no dist/:\n${errors}`);
  // tsc emits JavaScript despite type errors (no noEmitOnError), so dist/ is usually fresh all the same.
  const emitted = statSync(main).mtimeMs > before;
  log(`WARNING: the build reported errors; ${emitted ? 'tsc emitted dist/ anyway' : 'benchmarking the old dist/'}:\n${errors}`);
}

function positiveNumber(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${value}`);
  return n;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      depth: { type: 'string' },
      messages: { type: 'string' },
      'prefill-seconds': { type: 'string' },
      'memory-seconds': { type: 'string' },
      'startup-runs': { type: 'string' },
      samples: { type: 'string' },
      'latency-seconds': { type: 'string' },
      events: { type: 'string' },
      'cold-runs': { type: 'string' },
      'sqs-messages': { type: 'string' },
      only: { type: 'string' },
      'no-build': { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const suites = positionals.length ? positionals : Object.keys(SUITES);
  for (const s of suites) if (!SUITES[s]) throw new Error(`unknown suite ${s}; known: ${Object.keys(SUITES).join(', ')}`);
  const only = values.only?.split(',');
  const known: readonly string[] = [...SQS_SCENARIOS, ...SNS_SCENARIOS, ...EVENTBRIDGE_SCENARIOS, ...APIGATEWAY_SCENARIOS, ...LAMBDA_SCENARIOS, ...STEPFUNCTIONS_SCENARIOS];
  for (const s of only ?? []) if (!known.includes(s)) throw new Error(`unknown scenario ${s}`);
  /** The scenarios of one suite that --only names (all of them without --only). */
  const pick = <S extends string>(all: readonly S[]): S[] => all.filter((s) => !only || only.includes(s));

  const log = (line: string): void => console.log(line);
  if (!values['no-build']) ensureBuilt(log);
  const started = performance.now();
  const reports: SuiteReport[] = [];
  const machine = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(1) ?? '?'} at start`;
  log(`Switchyard benchmarks: ${machine}`);
  for (const suite of suites) {
    log(`\n=== ${suite} ===`);
    const common = {
      durationMs: positiveNumber(values.duration, 5, 'duration') * 1000,
      warmupMs: positiveNumber(values.warmup, 1, 'warmup') * 1000,
      connections: Math.round(positiveNumber(values.connections, 8, 'connections')),
      log,
    };
    if (suite === 'sns') {
      const scenarios: SnsScenario[] = pick(SNS_SCENARIOS);
      if (scenarios.length === 0) continue;
      reports.push(
        await runSnsSuite({
          ...common,
          samples: Math.round(positiveNumber(values.samples, 300, 'samples')),
          latencyMs: positiveNumber(values['latency-seconds'], 10, 'latency-seconds') * 1000,
          scenarios,
        }),
      );
      continue;
    }
    if (suite === 'lambda') {
      const scenarios: LambdaScenario[] = pick(LAMBDA_SCENARIOS);
      if (scenarios.length === 0) continue;
      reports.push(
        await runLambdaSuite({
          ...common,
          concurrency: common.connections,
          coldRuns: Math.round(positiveNumber(values['cold-runs'], 5, 'cold-runs')),
          sqsMessages: Math.round(positiveNumber(values['sqs-messages'], 5000, 'sqs-messages') / 10) * 10,
          scenarios,
        }),
      );
      continue;
    }
    if (suite === 'stepfunctions') {
      const scenarios: StepFunctionsScenario[] = pick(STEPFUNCTIONS_SCENARIOS);
      if (scenarios.length) reports.push(await runStepFunctionsSuite({ ...common, concurrency: common.connections, scenarios }));
      continue;
    }
    if (suite === 'apigateway') {
      const scenarios: ApiGatewayScenario[] = pick(APIGATEWAY_SCENARIOS);
      if (scenarios.length) reports.push(await runApiGatewaySuite({ ...common, scenarios }));
      continue;
    }
    if (suite === 'eventbridge') {
      const scenarios: EventBridgeScenario[] = pick(EVENTBRIDGE_SCENARIOS);
      if (scenarios.length === 0) continue;
      reports.push(
        await runEventBridgeSuite({
          ...common,
          events: Math.round(positiveNumber(values.events, 200_000, 'events')),
          matchingMs: 16_000,
          scenarios,
        }),
      );
      continue;
    }
    const scenarios: SqsScenario[] = pick(SQS_SCENARIOS);
    if (scenarios.length === 0) continue;
    reports.push(
      await runSqsSuite({
        ...common,
        depth: Math.round(positiveNumber(values.depth, 50_000, 'depth')),
        messages: Math.round(positiveNumber(values.messages, 1_000_000, 'messages')),
        prefillMs: positiveNumber(values['prefill-seconds'], 30, 'prefill-seconds') * 1000,
        memoryMs: positiveNumber(values['memory-seconds'], 60, 'memory-seconds') * 1000,
        startupRuns: Math.round(positiveNumber(values['startup-runs'], 5, 'startup-runs')),
        scenarios,
      }),
    );
  }
  const summary = [`Measured ${machine}.`, ...reports.map((r) => `### ${r.title}\n\n${r.markdown}`)].join('\n\n');
  log(`\n--- markdown (${((performance.now() - started) / 1000).toFixed(0)} s) ---\n\n${summary}\n`);
  if (values.out) writeFileSync(values.out, `${summary}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
