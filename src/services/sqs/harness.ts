// Test support: a Switchyard on a free port and an SQS client for it (optionally on a fake clock).
import { SQSClient } from '@aws-sdk/client-sqs';
import { FakeClock } from '../../core/clock.js';
import { startSwitchyard, type RunningSwitchyard } from '../../index.js';
import type { SqsInternal } from './internal.js';

export interface Harness {
  readonly sy: RunningSwitchyard;
  readonly sqs: SQSClient;
  readonly clock: FakeClock | undefined;
  /** An SQS client whose 12-digit access key selects another account. */
  client(accessKeyId: string): SQSClient;
  internal(): SqsInternal;
  close(): Promise<void>;
}

export async function startHarness(options: { fakeClock?: boolean } = {}): Promise<Harness> {
  const clock = options.fakeClock ? new FakeClock() : undefined;
  const sy = await startSwitchyard({ port: 0, logLevel: 'silent', ...(clock ? { clock } : {}) });
  const clients: SQSClient[] = [];
  const client = (accessKeyId: string): SQSClient => {
    const c = new SQSClient({
      endpoint: sy.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    clients.push(c);
    return c;
  };
  const sqs = client('test');
  return {
    sy,
    sqs,
    clock,
    client,
    internal: () => sy.instance.runningProvider('sqs')?.internal as SqsInternal,
    close: async () => {
      for (const c of clients) c.destroy();
      await sy.stop();
    },
  };
}

/** Waits (real time, briefly) until a condition holds: used to let an HTTP request reach the server. */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}
