// The AWS CLI v2 from Debian (/usr/bin/aws, restJson1) against Switchyard's API Gateway REST APIs, one command per
// process as a user runs it: an API with a MOCK method built, deployed and invoked through its URL, stage patches,
// and the exit code and message of a NotFoundException.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSwitchyard, type RunningSwitchyard } from '../../src/index.js';
import { DebianAwsCli, debianAwsCliMissing, tempHome, warnSkipped } from '../support/debian-clients.js';

const missing = debianAwsCliMissing();
if (missing) warnSkipped('apigateway-awscli', missing);

const SLOW = 300_000;

describe.skipIf(missing !== undefined)('AWS CLI v2 from Debian against API Gateway', () => {
  let sy: RunningSwitchyard;
  let aws: DebianAwsCli;
  let home: ReturnType<typeof tempHome>;

  beforeAll(async () => {
    home = tempHome();
    sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
    aws = new DebianAwsCli(sy.endpoint, home.path);
  });
  afterAll(async () => {
    await sy.stop();
    home.dispose();
  });

  // 12 CLI calls
  test('builds, deploys and invokes a MOCK API; patches a stage; reports NotFoundException', { timeout: SLOW }, async () => {
    const api = await aws.ok<{ id: string; name: string }>(['apigateway', 'create-rest-api', '--name', 'cli-api']);
    expect(api.id).toMatch(/^[a-z0-9]{10}$/);
    expect(api.name).toBe('cli-api');
    const resources = await aws.ok<{ items: Array<{ id: string; path: string }> }>(['apigateway', 'get-resources', '--rest-api-id', api.id]);
    const root = resources.items.find((r) => r.path === '/')?.id ?? '';
    const hello = await aws.ok<{ id: string; path: string }>([
      'apigateway', 'create-resource', '--rest-api-id', api.id, '--parent-id', root, '--path-part', 'hello',
    ]);
    expect(hello.path).toBe('/hello');
    const target = ['--rest-api-id', api.id, '--resource-id', hello.id, '--http-method', 'GET'];
    await aws.ok(['apigateway', 'put-method', ...target, '--authorization-type', 'NONE']);
    const integration = await aws.ok<{ type: string; passthroughBehavior: string }>([
      'apigateway', 'put-integration', ...target, '--type', 'MOCK', '--request-templates', '{"application/json":"{\\"statusCode\\": 200}"}',
    ]);
    expect(integration).toMatchObject({ type: 'MOCK', passthroughBehavior: 'WHEN_NO_MATCH' });
    await aws.ok(['apigateway', 'put-method-response', ...target, '--status-code', '200']);
    await aws.ok([
      'apigateway', 'put-integration-response', ...target, '--status-code', '200',
      '--response-templates', '{"application/json":"{\\"hello\\": \\"$stageVariables.who\\"}"}',
    ]);
    const deployment = await aws.ok<{ id: string }>([
      'apigateway', 'create-deployment', '--rest-api-id', api.id, '--stage-name', 'dev', '--variables', 'who=cli',
    ]);
    expect(deployment.id).toMatch(/^[a-z0-9]{6}$/);

    const res = await fetch(`${sy.endpoint}/_aws/execute-api/${api.id}/dev/hello`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: 'cli' });

    const stage = await aws.ok<{ variables: Record<string, string>; deploymentId: string }>([
      'apigateway', 'update-stage', '--rest-api-id', api.id, '--stage-name', 'dev',
      '--patch-operations', 'op=replace,path=/variables/who,value=patched',
    ]);
    expect(stage).toMatchObject({ variables: { who: 'patched' }, deploymentId: deployment.id });
    expect(await (await fetch(`${sy.endpoint}/_aws/execute-api/${api.id}/dev/hello`)).json()).toEqual({ hello: 'patched' });

    const stages = await aws.ok<{ item: Array<{ stageName: string }> }>(['apigateway', 'get-stages', '--rest-api-id', api.id]);
    expect(stages.item.map((s) => s.stageName)).toEqual(['dev']);

    const gone = await aws.run(['apigateway', 'get-rest-api', '--rest-api-id', 'nope123456']);
    expect(gone.code).toBe(254);
    expect(gone.stderr).toContain('NotFoundException');
    expect(gone.stderr).toContain('Invalid API identifier specified 000000000000:nope123456');

    await aws.ok(['apigateway', 'delete-rest-api', '--rest-api-id', api.id]);
    expect((await fetch(`${sy.endpoint}/_aws/execute-api/${api.id}/dev/hello`)).status).toBe(404);
  });
});
