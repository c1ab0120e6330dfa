// Test support: one Switchyard with Lambda for a whole test file, a Lambda client, and zips built in memory.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Clock } from '../../core/clock.js';
import { startSwitchyard, type RunningSwitchyard } from '../../index.js';

export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

export interface LambdaHarness {
  readonly sy: RunningSwitchyard;
  readonly lambda: LambdaClient;
  close(): Promise<void>;
}

export async function startLambdaHarness(options: { clock?: Clock } = {}): Promise<LambdaHarness> {
  const sy = await startSwitchyard({ port: 0, logLevel: 'silent', ...(options.clock ? { clock: options.clock } : {}) });
  const lambda = new LambdaClient({
    endpoint: sy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return {
    sy,
    lambda,
    close: async () => {
      lambda.destroy();
      await sy.stop();
    },
  };
}

/** A zip of the given files (text, or bytes with a Unix mode). */
export function zip(files: Record<string, string | { data: string; mode: number }>): Uint8Array {
  const entries: Zippable = {};
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === 'string') entries[name] = strToU8(content);
    // os 3 (Unix) with the mode in the high 16 bits of the external attributes, as `zip` writes it.
    else entries[name] = [strToU8(content.data), { os: 3, attrs: (0o100000 | content.mode) << 16 }];
  }
  return zipSync(entries);
}
