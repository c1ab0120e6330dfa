// The environment pool on its own: a minimal runtime (node -e) speaks the Runtime API; the pool caps environments
// and hands waiting invocations to the first one free.
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/clock.js';
import type { EnvironmentSpec } from './environment.js';
import { EnvironmentPool } from './pool.js';

const RUNTIME = `
const base = 'http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2018-06-01/runtime/invocation/';
(async () => {
  for (;;) {
    const next = await fetch(base + 'next');
    const id = next.headers.get('lambda-runtime-aws-request-id');
    const event = await next.json();
    await new Promise((r) => setTimeout(r, event.wait || 0));
    await fetch(base + id + '/response', { method: 'POST', body: JSON.stringify({ pid: process.pid, n: event.n }) });
  }
})().catch(() => process.exit(1));
`;

const spec: EnvironmentSpec = {
  command: process.execPath,
  args: ['-e', RUNTIME],
  cwd: process.cwd(),
  env: { PATH: process.env.PATH ?? '' },
  timeoutSeconds: 10,
  memorySize: 128,
  functionVersion: '$LATEST',
  idleMs: 60_000,
};

let pool: EnvironmentPool | undefined;
afterEach(() => pool?.kill());

const run = (p: EnvironmentPool, n: number, wait = 0) =>
  p
    .invoke({
      requestId: `req-${n}`,
      payload: Buffer.from(JSON.stringify({ n, wait })),
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    })
    .then((o) => JSON.parse(o.payload.toString('utf8')) as { pid: number; n: number });

describe('EnvironmentPool', () => {
  it('queues invocations beyond the environment limit and runs them as environments free up', async () => {
    pool = new EnvironmentPool(spec, new SystemClock(), () => undefined, 1);
    const results = await Promise.all([run(pool, 1, 100), run(pool, 2, 0), run(pool, 3, 0)]);
    expect(results.map((r) => r.n)).toEqual([1, 2, 3]);
    expect(new Set(results.map((r) => r.pid)).size).toBe(1);
    expect(pool.size).toBe(1);
  });

  it('starts one environment per concurrent invocation under the limit', async () => {
    pool = new EnvironmentPool(spec, new SystemClock(), () => undefined, 4);
    const results = await Promise.all([run(pool, 1, 200), run(pool, 2, 200)]);
    expect(new Set(results.map((r) => r.pid)).size).toBe(2);
  });
});
