// serverless-offline (npm), the tool users run today for API Gateway + Lambda on their machine, as the comparison the
// API Gateway suite measures beside Switchyard: the same handler behind a REST (`http`) and an HTTP API (`httpApi`)
// event. Installed on first use into a cache outside the repository (pinned versions; it is large and only the
// benchmark needs it): serverless 3 with serverless-offline 13, the last pair that runs without a Serverless login.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { freePort, track, type ServerProcess } from '../harness/processes.js';

const SERVERLESS = '3.40.0';
const SERVERLESS_OFFLINE = '13.9.0';

export interface ServerlessOffline extends ServerProcess {
  /** GET path of the handler behind the REST (`http`) event, and behind the HTTP API (`httpApi`) event. */
  readonly restPath: string;
  readonly httpPath: string;
}

/** Installs (once) and starts serverless-offline with `handler` as index.js; resolves when it answers. */
export async function startServerlessOffline(handler: string, log: (line: string) => void): Promise<ServerlessOffline> {
  const dir = join(process.env.SWITCHYARD_BENCH_CACHE ?? join(homedir(), '.cache', 'switchyard-bench'), `serverless-offline-${SERVERLESS_OFFLINE}`);
  const bin = join(dir, 'node_modules', 'serverless', 'bin', 'serverless.js');
  if (!existsSync(bin)) {
    log(`installing serverless@${SERVERLESS} and serverless-offline@${SERVERLESS_OFFLINE} into ${dir} (once)…`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'switchyard-bench-sls', private: true }));
    const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `serverless@${SERVERLESS}`, `serverless-offline@${SERVERLESS_OFFLINE}`], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (npm.status !== 0 || !existsSync(bin)) throw new Error(`npm install of serverless-offline failed: ${npm.stderr.trim().slice(0, 500)}`);
  }
  writeFileSync(join(dir, 'index.js'), handler);
  writeFileSync(
    join(dir, 'serverless.yml'),
    [
      'service: switchyard-bench',
      "frameworkVersion: '3'",
      'provider:',
      '  name: aws',
      '  runtime: nodejs20.x',
      '  region: us-east-1',
      'plugins:',
      '  - serverless-offline',
      'functions:',
      '  fn:',
      '    handler: index.handler',
      '    events:',
      '      - http:',
      '          path: fn/{id}',
      '          method: get',
      '      - httpApi:',
      '          path: /h/fn/{id}',
      '          method: get',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const lambdaPort = await freePort();
  const child = track(
    spawn(process.execPath, [bin, 'offline', '--httpPort', String(port), '--lambdaPort', String(lambdaPort), '--noPrependStageInUrl'], {
      cwd: dir,
      env: {
        ...process.env,
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      },
      // It logs every invocation: keep only the tail, for the error when it fails to start.
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-2000);
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serverless-offline exited with ${child.exitCode}: ${tail}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/fn/warm`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`serverless-offline did not answer within 60 s: ${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (child.pid === undefined) throw new Error('serverless-offline has no pid');
  return {
    name: 'serverless-offline',
    pid: child.pid,
    port,
    endpoint: `http://127.0.0.1:${port}`,
    child,
    stop,
    restPath: '/fn/42',
    httpPath: '/h/fn/42',
  };
}
