// Lambda tasks against a stand-in Lambda provider with the internal interface of services/lambda (invoke and
// deliver), so that the integration's semantics are tested without starting function runtimes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost, ServiceProvider } from '../../core/provider.js';
import { PROVIDERS } from '../index.js';
import { startSfnHarness, types, type SfnHarness } from './harness.js';

const invocations: { arn: string; payload: string; async: boolean }[] = [];

function fakeLambda(host: ServiceHost): ServiceProvider {
  const run = async (arn: string, payload: string) => {
    const name = arn.split(':')[6];
    const event = JSON.parse(payload) as { n?: number };
    const result = (body: unknown, functionError?: string) => ({
      payload: Buffer.from(JSON.stringify(body)),
      executedVersion: '$LATEST',
      requestId: 'req-1',
      log: '',
      statusCode: 200,
      ...(functionError ? { functionError } : {}),
    });
    if (name === 'double') return result({ n: (event.n ?? 0) * 2 });
    if (name === 'boom') return result({ errorType: 'ValueError', errorMessage: 'bad', trace: [] }, 'Unhandled');
    if (name === 'slow') {
      await host.clock.sleep(10_000);
      return result('late');
    }
    throw new ServiceError('ResourceNotFoundException', `Function not found: ${arn}`, { status: 404 });
  };
  return {
    name: 'lambda',
    operations: {},
    internal: {
      invoke: async (arn: string, payload: string | Uint8Array) => {
        invocations.push({ arn, payload: payload.toString(), async: false });
        return run(arn, payload.toString());
      },
      deliver: async (arn: string, message: { body: string }) => {
        invocations.push({ arn, payload: message.body, async: true });
        return { id: 'async-1' };
      },
    },
    reset: () => undefined,
    stop: () => undefined,
  };
}

PROVIDERS.lambda = () => Promise.resolve(fakeLambda);

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:';

let h: SfnHarness;
beforeAll(async () => {
  h = await startSfnHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.sy.reset();
  invocations.length = 0;
});

describe('lambda:invoke', () => {
  it('invokes by name and returns the SDK-shaped result', async () => {
    const machine = await h.machine({
      StartAt: 'L',
      States: {
        L: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'double', 'Payload.$': '$' },
          ResultSelector: { 'n.$': '$.Payload.n', 'code.$': '$.StatusCode' },
          End: true,
        },
      },
    });
    const exec = await h.start(machine, { n: 21 });
    const d = await h.describe(exec);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual({ n: 42, code: 200 });
    expect(invocations).toEqual([{ arn: `${FN}double`, payload: '{"n":21}', async: false }]);
    const events = await h.history(exec);
    expect(events.find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
    });
  });

  it('fails with the function errorType and catches it', async () => {
    const machine = await h.machine({
      StartAt: 'L',
      States: {
        L: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: `${FN}boom` },
          Catch: [{ ErrorEquals: ['ValueError'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    });
    const d = await h.describe(await h.start(machine));
    expect(d.status).toBe('SUCCEEDED');
    const out = JSON.parse(d.output ?? '');
    expect(out.Error).toBe('ValueError');
    expect(JSON.parse(out.Cause)).toMatchObject({ errorMessage: 'bad' });
  });

  it('reports a missing function as Lambda.ResourceNotFoundException', async () => {
    const machine = await h.machine({
      StartAt: 'L',
      States: { L: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'nope' }, End: true } },
    });
    const d = await h.describe(await h.start(machine));
    expect(d).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
  });

  it('invokes asynchronously for waitForTaskToken and waits for the token', async () => {
    const machine = await h.machine({
      StartAt: 'L',
      States: {
        L: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'double', Payload: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    });
    const exec = await h.start(machine);
    expect(invocations[0]?.async).toBe(true);
    const token = (JSON.parse(invocations[0]?.payload ?? '') as { token: string }).token;
    const { SendTaskSuccessCommand } = await import('@aws-sdk/client-sfn');
    await h.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"ok"' }));
    expect((await h.describe(exec)).output).toBe('"ok"');
  });
});

describe('function ARN as the resource', () => {
  it('writes the LambdaFunction events and passes the output on', async () => {
    const machine = await h.machine({ StartAt: 'L', States: { L: { Type: 'Task', Resource: `${FN}double`, End: true } } });
    const exec = await h.start(machine, { n: 2 });
    const d = await h.describe(exec);
    expect(JSON.parse(d.output ?? '')).toEqual({ n: 4 });
    expect(types(await h.history(exec))).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('times out a slow function with TimeoutSeconds and retries it', async () => {
    const machine = await h.machine({
      StartAt: 'L',
      States: {
        L: {
          Type: 'Task',
          Resource: `${FN}slow`,
          TimeoutSeconds: 3,
          Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 1 }],
          End: true,
        },
      },
    });
    const exec = await h.start(machine);
    await h.clock.advance(3_000);
    expect(types(await h.history(exec)).at(-1)).toBe('LambdaFunctionTimedOut');
    await h.clock.advance(1_000 + 3_000);
    const d = await h.describe(exec);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(invocations).toHaveLength(2);
  });
});
