// What the SQS suite sends: a 100-byte body, batches of 10, and the queue names, shared by both servers.
import { createHash } from 'node:crypto';

export const BODY = 'switchyard-bench '.padEnd(100, 'x');
export const BODY_MD5 = createHash('md5').update(BODY, 'utf8').digest('hex');
export const BATCH_SIZE = 10;
export const ACCOUNT = '000000000000';

export const QUEUES = {
  send: 'bench-send',
  batch: 'bench-batch',
  receive: 'bench-receive',
  sdk: 'bench-sdk',
  memory: 'bench-memory',
} as const;

export function batchEntries(): { Id: string; MessageBody: string }[] {
  return Array.from({ length: BATCH_SIZE }, (_, i) => ({ Id: `m${i}`, MessageBody: BODY }));
}
