// boto3 1.26 (Debian's python3-boto3) against Switchyard's Kinesis (awsJson 1.1 over HTTP/1.1): one Python process
// runs a stream's life (test/cli/py/kinesis_main.py) and prints what it saw; the assertions live here.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../src/index.js';
import { DebianBoto3, debianBoto3Missing, tempHome, warnSkipped, type Boto3Error } from '../support/debian-clients.js';

const missing = debianBoto3Missing();
if (missing) warnSkipped('kinesis-boto3', missing);

interface Result {
  put: { ShardId: string; SequenceNumber: string; EncryptionType: string };
  batch: { FailedRecordCount: number; Records: { ShardId: string; SequenceNumber: string }[] };
  data: string[];
  keys: string[];
  behind: number;
  open_shards: number;
  missing: Boto3Error;
  streams_after: string[];
}

describe.skipIf(missing !== undefined)('boto3 from Debian against Kinesis', () => {
  let sy: RunningSwitchyard;
  let home: ReturnType<typeof tempHome>;

  beforeAll(async () => {
    home = tempHome();
    sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
  });
  afterAll(async () => {
    await sy.stop();
    home.dispose();
  });

  test('creates a stream, waits for it, puts and reads records (binary data round-trips), splits a shard', async () => {
    const py = new DebianBoto3(sy.endpoint, home.path);
    const r = await py.run<Result>(fileURLToPath(new URL('./py/kinesis_main.py', import.meta.url)), { stream: 'boto' });
    expect(r.put).toMatchObject({ ShardId: 'shardId-000000000000', EncryptionType: 'NONE' });
    expect(r.put.SequenceNumber).toMatch(/^\d{56}$/);
    expect(r.batch.FailedRecordCount).toBe(0);
    expect(r.data.map((d) => Buffer.from(d, 'base64'))).toEqual([Buffer.from('\x00binary\xff', 'latin1'), Buffer.from('two'), Buffer.from('three')]);
    expect(r.keys).toEqual(['pk', 'pk', 'pk']);
    expect(r.behind).toBe(0);
    expect(r.open_shards).toBe(2);
    expect(r.missing).toMatchObject({ code: 'ResourceNotFoundException', status: 400, message: 'Stream missing under account 000000000000 not found.' });
    expect(r.streams_after).toEqual([]);
  }, 120_000);
});
