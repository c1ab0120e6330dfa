// Test support: a Switchyard on a free port and a CloudWatch Logs client for it (optionally on a fake clock).
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { FakeClock } from '../../core/clock.js';
import { startSwitchyard, type RunningSwitchyard } from '../../index.js';
import type { LogsInternal } from './internal.js';

export interface LogsHarness {
  readonly sy: RunningSwitchyard;
  readonly logs: CloudWatchLogsClient;
  readonly clock: FakeClock;
  /** The in-process interface (the logs provider is built on first use). */
  internal(): Promise<LogsInternal>;
  close(): Promise<void>;
}

export async function startLogsHarness(): Promise<LogsHarness> {
  const clock = new FakeClock();
  const sy = await startSwitchyard({ port: 0, logLevel: 'silent', clock });
  const logs = new CloudWatchLogsClient({
    endpoint: sy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return {
    sy,
    logs,
    clock,
    internal: async () => (await sy.instance.provider('logs'))?.internal as LogsInternal,
    close: async () => {
      logs.destroy();
      await sy.stop();
    },
  };
}
