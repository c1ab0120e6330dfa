// Execution environments on a fake clock: idle ones are stopped, timeouts fire when time moves, not when the wall
// clock does; a hot-reload folder's changes reach new environments; InvokeAsync runs in the background.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateFunctionCommand,
  InvokeAsyncCommand,
  InvokeCommand,
  type InvokeCommandOutput,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { ROLE, startLambdaHarness, zip, type LambdaHarness } from './harness.js';
import { IDLE_ENVIRONMENT_MS } from './execution.js';

let h: LambdaHarness;
let clock: FakeClock;
beforeAll(async () => {
  clock = new FakeClock();
  h = await startLambdaHarness({ clock });
});
afterAll(async () => {
  await h.close();
});

const json = (out: InvokeCommandOutput): unknown => JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8'));
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
}

async function create(name: string, code: Record<string, string>, timeout = 3): Promise<void> {
  await h.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Timeout: timeout,
      Code: { ZipFile: zip(code) },
    }),
  );
}

describe('execution environments on the clock', () => {
  it('stops an idle environment once the idle time has passed', async () => {
    await create('idle', { 'index.js': 'exports.handler = async () => process.pid;' });
    const pid = json(await h.lambda.send(new InvokeCommand({ FunctionName: 'idle' }))) as number;
    expect(alive(pid)).toBe(true);
    await clock.advance(IDLE_ENVIRONMENT_MS - 1000);
    expect(alive(pid)).toBe(true);
    await clock.advance(2000);
    await until(() => !alive(pid));
    expect(alive(pid)).toBe(false);
    const again = json(await h.lambda.send(new InvokeCommand({ FunctionName: 'idle' }))) as number;
    expect(again).not.toBe(pid);
  });

  it('times out when the clock passes the function timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-hang-'));
    const marker = join(dir, 'started');
    try {
      await create(
        'hang',
        {
          'index.js': `exports.handler = () => new Promise(() => {
            require('fs').writeFileSync(${JSON.stringify(marker)}, '1');
            setInterval(() => {}, 1000);
          });`,
        },
        30,
      );
      const pending = h.lambda.send(new InvokeCommand({ FunctionName: 'hang' }));
      // Once the handler runs, its timeout timer is set: move time past the 30 s timeout.
      await until(() => existsSync(marker));
      await clock.advance(30_000);
      const out = await pending;
      expect(out.FunctionError).toBe('Unhandled');
      expect(json(out)).toMatchObject({
        errorType: 'Sandbox.Timedout',
        errorMessage: expect.stringContaining('Task timed out after 30.00 seconds') as string,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hot reload and InvokeAsync', () => {
  it('picks up changes in a local code folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-hot-'));
    try {
      writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => "first";');
      await h.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'hot',
          Runtime: 'nodejs20.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { S3Bucket: 'hot-reload', S3Key: dir },
        }),
      );
      expect(json(await h.lambda.send(new InvokeCommand({ FunctionName: 'hot' })))).toBe('first');
      writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => "second";');
      let answer: unknown;
      for (let i = 0; i < 50 && answer !== 'second'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        answer = json(await h.lambda.send(new InvokeCommand({ FunctionName: 'hot' })));
      }
      expect(answer).toBe('second');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs InvokeAsync in the background with its 256 KB limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-async-'));
    try {
      const marker = join(dir, 'ran');
      await create('legacy', {
        'index.js': `exports.handler = async (e) => { require('fs').writeFileSync(${JSON.stringify(marker)}, JSON.stringify(e)); };`,
      });
      const out = await h.lambda.send(new InvokeAsyncCommand({ FunctionName: 'legacy', InvokeArgs: '{"a":1}' }));
      expect(out.Status).toBe(202);
      await clock.advance(0);
      await until(() => existsSync(marker));
      expect(JSON.parse(readFileSync(marker, 'utf8'))).toEqual({ a: 1 });
      const big = await h.lambda
        .send(
          new InvokeAsyncCommand({ FunctionName: 'legacy', InvokeArgs: JSON.stringify({ s: 'x'.repeat(300_000) }) }),
        )
        .then(
          () => undefined,
          (e: { name: string; message: string }) => e,
        );
      expect(big?.name).toBe('RequestEntityTooLargeException');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
