// The AWS CLI v2 from Debian (/usr/bin/aws, restJson1) against Switchyard's schema registry, one command per process
// as a user runs it: JSON output, the jsonvalue Policy member, the zip of GetCodeBindingSource, exit code 254 and the
// error code of a service error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FakeClock, startSwitchyard, type RunningSwitchyard } from '../../src/index.js';
import { DebianAwsCli, debianAwsCliMissing, tempHome, warnSkipped } from '../support/debian-clients.js';

const missing = debianAwsCliMissing();
if (missing) warnSkipped('schemas-awscli', missing);

const SLOW = 300_000;

describe.skipIf(missing !== undefined)('AWS CLI v2 from Debian against the schema registry', () => {
  let sy: RunningSwitchyard;
  let aws: DebianAwsCli;
  let home: ReturnType<typeof tempHome>;
  const clock = new FakeClock();

  beforeAll(async () => {
    home = tempHome();
    sy = await startSwitchyard({ port: 0, logLevel: 'silent', clock });
    aws = new DebianAwsCli(sy.endpoint, home.path);
  });
  afterAll(async () => {
    await sy.stop();
    home.dispose();
  });

  // 8 CLI calls
  test('registry, schema, policy, code binding and a missing schema', { timeout: SLOW }, async () => {
    const registry = await aws.ok(['schemas', 'create-registry', '--registry-name', 'cli-reg', '--description', 'from the CLI']);
    expect(registry).toMatchObject({ RegistryName: 'cli-reg', RegistryArn: 'arn:aws:schemas:us-east-1:000000000000:registry/cli-reg' });

    const content = JSON.stringify({
      openapi: '3.0.0',
      info: { version: '1.0.0', title: 'Ping' },
      paths: {},
      components: { schemas: { Ping: { type: 'object', required: ['at'], properties: { at: { type: 'string', format: 'date-time' } } } } },
    });
    const created = await aws.ok(['schemas', 'create-schema', '--registry-name', 'cli-reg', '--schema-name', 'ping', '--type', 'OpenApi3', '--content', content]);
    expect(created).toMatchObject({ SchemaName: 'ping', SchemaVersion: '1', Type: 'OpenApi3' });

    const described = await aws.ok<{ Content: string; SchemaVersion: string }>(['schemas', 'describe-schema', '--registry-name', 'cli-reg', '--schema-name', 'ping']);
    expect(described.SchemaVersion).toBe('1');
    expect(JSON.parse(described.Content)).toEqual(JSON.parse(content));

    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'schemas:DescribeSchema', Resource: '*' }] };
    const put = await aws.ok<{ RevisionId: string }>(['schemas', 'put-resource-policy', '--registry-name', 'cli-reg', '--policy', JSON.stringify(policy)]);
    expect(put.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
    const got = await aws.ok<{ Policy: unknown; RevisionId: string }>(['schemas', 'get-resource-policy', '--registry-name', 'cli-reg']);
    expect(typeof got.Policy === 'string' ? JSON.parse(got.Policy) : got.Policy).toEqual(policy);
    expect(got.RevisionId).toBe(put.RevisionId);

    const binding = await aws.ok(['schemas', 'put-code-binding', '--registry-name', 'cli-reg', '--schema-name', 'ping', '--language', 'TypeScript3']);
    expect(binding).toMatchObject({ SchemaVersion: '1', Status: 'CREATE_IN_PROGRESS' });
    await clock.advance(60_000);
    const zipPath = join(home.path, 'ping.zip');
    await aws.ok(['schemas', 'get-code-binding-source', '--registry-name', 'cli-reg', '--schema-name', 'ping', '--language', 'TypeScript3', zipPath]);
    const files = Object.keys(unzipSync(readFileSync(zipPath)));
    expect(files).toContain('schema/ping/Ping.ts');

    const gone = await aws.run(['schemas', 'describe-schema', '--registry-name', 'cli-reg', '--schema-name', 'nope']);
    expect(gone.code).toBe(254);
    expect(gone.stderr).toContain('(NotFoundException)');
    expect(gone.stderr).toContain('Schema with name nope does not exist in registry cli-reg.');
  });
});
