// Test support: a Switchyard on a fake clock with Schemas, EventBridge and SQS clients.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchemasClient } from '@aws-sdk/client-schemas';
import { SQSClient } from '@aws-sdk/client-sqs';
import { FakeClock } from '../../core/clock.js';
import { startSwitchyard, type RunningSwitchyard } from '../../index.js';

export interface SchemasHarness {
  readonly sy: RunningSwitchyard;
  readonly schemas: SchemasClient;
  readonly eb: EventBridgeClient;
  readonly sqs: SQSClient;
  readonly clock: FakeClock;
  close(): Promise<void>;
}

export async function startSchemasHarness(): Promise<SchemasHarness> {
  const clock = new FakeClock();
  const sy = await startSwitchyard({ port: 0, logLevel: 'silent', clock });
  const config = {
    endpoint: sy.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  const schemas = new SchemasClient(config);
  const eb = new EventBridgeClient(config);
  const sqs = new SQSClient(config);
  return {
    sy,
    schemas,
    eb,
    sqs,
    clock,
    close: async () => {
      schemas.destroy();
      eb.destroy();
      sqs.destroy();
      await sy.stop();
    },
  };
}

/** The error name, message and HTTP status of a rejected call. */
export async function rejection(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected a rejection');
}
