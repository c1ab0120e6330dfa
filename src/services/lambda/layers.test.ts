// Layers over the wire: publishing (zip and hot-reload folder), reading, listing with filters and pages, deleting,
// layer policies, a function's Layers with AWS's checks, and handlers that load code from their layers (Node,
// Python, and a custom runtime whose bootstrap and tools come from a layer).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  AddLayerVersionPermissionCommand,
  CreateFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  InvokeCommand,
  LambdaClient,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  RemoveLayerVersionPermissionCommand,
  UpdateFunctionConfigurationCommand,
  type CreateFunctionCommandInput,
  type InvokeCommandOutput,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, startLambdaHarness, zip, type LambdaHarness } from './harness.js';

const LAYER_ARN = 'arn:aws:lambda:us-east-1:000000000000:layer:';
const HAS_PYTHON = spawnSync('python3', ['--version']).status === 0;

let h: LambdaHarness;
let folder: string;

beforeAll(async () => {
  h = await startLambdaHarness();
  folder = mkdtempSync(join(tmpdir(), 'layer-test-'));
});
afterAll(async () => {
  await h.close();
  rmSync(folder, { recursive: true, force: true });
});

async function publish(name: string, files: Parameters<typeof zip>[0], extra: Record<string, unknown> = {}) {
  return h.lambda.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: zip(files) }, ...extra }));
}

async function create(name: string, files: Parameters<typeof zip>[0], extra: Partial<CreateFunctionCommandInput>) {
  return h.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zip(files) },
      ...extra,
    }),
  );
}

const json = (out: InvokeCommandOutput): unknown => JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8'));

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as { name: string; message: string; $metadata?: { httpStatusCode?: number } },
  );
  if (!err) throw new Error('expected an error');
  return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
}

describe('layer versions', () => {
  it('publishes, gets (by name and ARN), lists with filters and pages, and deletes', async () => {
    const v1 = await publish(
      'libs',
      { 'nodejs/node_modules/x/index.js': 'module.exports = 1;' },
      {
        Description: 'first',
        CompatibleRuntimes: ['nodejs20.x', 'nodejs22.x'],
        CompatibleArchitectures: ['x86_64'],
        LicenseInfo: 'MIT',
      },
    );
    expect(v1.$metadata.httpStatusCode).toBe(201);
    expect(v1).toMatchObject({
      LayerArn: `${LAYER_ARN}libs`,
      LayerVersionArn: `${LAYER_ARN}libs:1`,
      Version: 1,
      Description: 'first',
      CompatibleRuntimes: ['nodejs20.x', 'nodejs22.x'],
      CompatibleArchitectures: ['x86_64'],
      LicenseInfo: 'MIT',
    });
    expect(v1.Content?.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(v1.Content?.CodeSize).toBeGreaterThan(0);
    expect(v1.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const v2 = await publish('libs', { 'python/x.py': 'X = 1' }, { CompatibleRuntimes: ['python3.12'] });
    expect(v2.Version).toBe(2);
    await publish('other', { 'a.txt': 'a' }, { CompatibleArchitectures: ['arm64'] });

    const got = await h.lambda.send(new GetLayerVersionCommand({ LayerName: 'libs', VersionNumber: 1 }));
    expect(got.LayerVersionArn).toBe(`${LAYER_ARN}libs:1`);
    const byArn = await h.lambda.send(new GetLayerVersionByArnCommand({ Arn: `${LAYER_ARN}libs:2` }));
    expect(byArn.Version).toBe(2);
    const byLayerArn = await h.lambda.send(new GetLayerVersionCommand({ LayerName: `${LAYER_ARN}libs`, VersionNumber: 2 }));
    expect(byLayerArn.Version).toBe(2);

    const versions = await h.lambda.send(new ListLayerVersionsCommand({ LayerName: 'libs' }));
    expect(versions.LayerVersions?.map((v) => v.Version)).toEqual([2, 1]);
    const page = await h.lambda.send(new ListLayerVersionsCommand({ LayerName: 'libs', MaxItems: 1 }));
    expect(page.LayerVersions?.map((v) => v.Version)).toEqual([2]);
    const rest = await h.lambda.send(
      new ListLayerVersionsCommand({ LayerName: 'libs', MaxItems: 1, Marker: page.NextMarker }),
    );
    expect(rest.LayerVersions?.map((v) => v.Version)).toEqual([1]);
    expect(rest.NextMarker).toBeUndefined();
    const node = await h.lambda.send(new ListLayerVersionsCommand({ LayerName: 'libs', CompatibleRuntime: 'nodejs22.x' }));
    expect(node.LayerVersions?.map((v) => v.Version)).toEqual([1]);

    const layers = await h.lambda.send(new ListLayersCommand({}));
    expect(layers.Layers?.map((l) => [l.LayerName, l.LatestMatchingVersion?.Version])).toEqual(
      expect.arrayContaining([
        ['libs', 2],
        ['other', 1],
      ]),
    );
    const arm = await h.lambda.send(new ListLayersCommand({ CompatibleArchitecture: 'arm64' }));
    expect(arm.Layers?.map((l) => l.LayerName)).toEqual(['other']);
    const py = await h.lambda.send(new ListLayersCommand({ CompatibleRuntime: 'python3.12' }));
    expect(py.Layers?.map((l) => [l.LayerName, l.LatestMatchingVersion?.Version])).toEqual([['libs', 2]]);

    await h.lambda.send(new DeleteLayerVersionCommand({ LayerName: 'libs', VersionNumber: 2 }));
    await h.lambda.send(new DeleteLayerVersionCommand({ LayerName: 'libs', VersionNumber: 2 }));
    expect(
      await failure(h.lambda.send(new GetLayerVersionCommand({ LayerName: 'libs', VersionNumber: 2 }))),
    ).toEqual({ name: 'ResourceNotFoundException', status: 404, message: 'The resource you requested does not exist.' });
    const next = await publish('libs', { 'a.txt': 'b' });
    expect(next.Version).toBe(3);
    expect(
      await failure(h.lambda.send(new PublishLayerVersionCommand({ LayerName: 'bad name', Content: { ZipFile: zip({ a: 'a' }) } }))),
    ).toMatchObject({ name: 'ValidationException' });
    expect(
      await failure(publish('libs', { a: 'a' }, { CompatibleRuntimes: ['cobol'] })),
    ).toMatchObject({ name: 'ValidationException' });
  });

  it('manages a layer version policy', async () => {
    await publish('shared-layer', { 'a.txt': 'a' });
    expect(
      await failure(h.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared-layer', VersionNumber: 1 }))),
    ).toEqual({ name: 'ResourceNotFoundException', status: 404, message: 'No policy is associated with the given resource.' });
    const added = await h.lambda.send(
      new AddLayerVersionPermissionCommand({
        LayerName: 'shared-layer',
        VersionNumber: 1,
        StatementId: 'acct',
        Action: 'lambda:GetLayerVersion',
        Principal: '111111111111',
      }),
    );
    expect(JSON.parse(added.Statement ?? '')).toEqual({
      Sid: 'acct',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:root' },
      Action: 'lambda:GetLayerVersion',
      Resource: `${LAYER_ARN}shared-layer:1`,
    });
    const policy = await h.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared-layer', VersionNumber: 1 }));
    expect(policy.RevisionId).toBe(added.RevisionId);
    expect(JSON.parse(policy.Policy ?? '')).toMatchObject({ Version: '2012-10-17', Statement: [{ Sid: 'acct' }] });
    expect(
      await failure(
        h.lambda.send(
          new AddLayerVersionPermissionCommand({
            LayerName: 'shared-layer',
            VersionNumber: 1,
            StatementId: 'acct',
            Action: 'lambda:GetLayerVersion',
            Principal: '*',
          }),
        ),
      ),
    ).toMatchObject({ name: 'ResourceConflictException', status: 409 });

    // Another account may use the layer only once the policy grants it.
    const other = new LambdaClient({
      endpoint: h.sy.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: '222222222222', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const useIt = () =>
      other.send(
        new CreateFunctionCommand({
          FunctionName: 'borrower',
          Runtime: 'nodejs20.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: zip({ 'index.js': 'exports.handler = async () => 1;' }) },
          Layers: [`${LAYER_ARN}shared-layer:1`],
        }),
      );
    expect(await failure(useIt())).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    await h.lambda.send(
      new AddLayerVersionPermissionCommand({
        LayerName: 'shared-layer',
        VersionNumber: 1,
        StatementId: 'everyone',
        Action: 'lambda:GetLayerVersion',
        Principal: '*',
      }),
    );
    expect((await useIt()).Layers).toEqual([{ Arn: `${LAYER_ARN}shared-layer:1`, CodeSize: expect.any(Number) as number }]);
    other.destroy();
    await h.lambda.send(
      new RemoveLayerVersionPermissionCommand({ LayerName: 'shared-layer', VersionNumber: 1, StatementId: 'acct' }),
    );
    expect(
      await failure(
        h.lambda.send(
          new RemoveLayerVersionPermissionCommand({ LayerName: 'shared-layer', VersionNumber: 1, StatementId: 'acct' }),
        ),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it("checks a function's Layers as AWS does", async () => {
    const a = await publish('check-a', { 'a.txt': 'a' });
    await publish('check-a', { 'a.txt': 'b' });
    const code = { 'index.js': 'exports.handler = async () => 1;' };
    expect(await failure(create('check', code, { Layers: [`${LAYER_ARN}nope:1`] }))).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: `Layer version ${LAYER_ARN}nope:1 does not exist.`,
    });
    expect(await failure(create('check', code, { Layers: [`${LAYER_ARN}check-a:1`, `${LAYER_ARN}check-a:2`] }))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('Two different versions of the same layer') as string,
    });
    expect(await failure(create('check', code, { Layers: ['not-an-arn'] }))).toMatchObject({ name: 'ValidationException' });
    const six = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => publish(`six-${i}`, { 'a.txt': String(i) })));
    expect(
      await failure(create('check', code, { Layers: six.map((l) => l.LayerVersionArn ?? '') })),
    ).toEqual({ name: 'InvalidParameterValueException', status: 400, message: 'Cannot reference more than 5 layers.' });
    const created = await create('check', code, { Layers: [a.LayerVersionArn ?? ''] });
    expect(created.Layers).toEqual([{ Arn: `${LAYER_ARN}check-a:1`, CodeSize: a.Content?.CodeSize }]);
    const fn = await h.lambda.send(new GetFunctionCommand({ FunctionName: 'check' }));
    expect(fn.Configuration?.Layers).toEqual(created.Layers);
    await h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'check', Layers: [] }));
    expect((await h.lambda.send(new GetFunctionCommand({ FunctionName: 'check' }))).Configuration?.Layers).toBeUndefined();
  });
});

describe('layers at run time', () => {
  it('lets a Node handler require modules from its layers, later layers over earlier ones', async () => {
    const base = await publish('node-base', {
      'nodejs/node_modules/greet/index.js': "module.exports = (n) => 'hello ' + n;",
      'nodejs/node_modules/shadowed/index.js': "module.exports = 'from base';",
    });
    const top = await publish('node-top', {
      'nodejs/node20/node_modules/versioned/index.js': "module.exports = 'node20 folder';",
      'nodejs/node_modules/shadowed/index.js': "module.exports = 'from top';",
    });
    await create(
      'uses-layers',
      {
        'index.js': `
        const greet = require('greet');
        exports.handler = async (e) => ({ greeting: greet(e.name), versioned: require('versioned'), shadowed: require('shadowed') });`,
      },
      { Layers: [base.LayerVersionArn ?? '', top.LayerVersionArn ?? ''] },
    );
    const out = await h.lambda.send(
      new InvokeCommand({ FunctionName: 'uses-layers', Payload: Buffer.from('{"name":"layers"}') }),
    );
    expect(out.FunctionError).toBeUndefined();
    expect(json(out)).toEqual({ greeting: 'hello layers', versioned: 'node20 folder', shadowed: 'from top' });
  });

  it.skipIf(!HAS_PYTHON)('lets a Python handler import from python/ and python/lib/pythonX.Y/site-packages', async () => {
    const layer = await publish('py-libs', {
      'python/helper.py': 'def double(x):\n    return 2 * x\n',
      'python/lib/python3.12/site-packages/sitepkg/__init__.py': "NAME = 'site-packages'\n",
    });
    await create(
      'py-uses-layers',
      {
        'app.py': 'import helper\nimport sitepkg\n\ndef handler(event, context):\n    return {"d": helper.double(event["n"]), "s": sitepkg.NAME}\n',
      },
      { Runtime: 'python3.12', Handler: 'app.handler', Layers: [layer.LayerVersionArn ?? ''] },
    );
    const out = await h.lambda.send(new InvokeCommand({ FunctionName: 'py-uses-layers', Payload: Buffer.from('{"n":21}') }));
    expect(out.FunctionError).toBeUndefined();
    expect(json(out)).toEqual({ d: 42, s: 'site-packages' });
  });

  it('runs a custom runtime whose bootstrap and tools come from a hot-reload layer folder', async () => {
    const dir = join(folder, 'runtime-layer');
    mkdirSync(join(dir, 'bin'), { recursive: true });
    writeFileSync(
      join(dir, 'bootstrap'),
      `#!${process.execPath}
const { execFileSync } = require('node:child_process');
const base = 'http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2018-06-01/runtime/invocation/';
(async () => {
  for (;;) {
    const next = await fetch(base + 'next');
    const id = next.headers.get('lambda-runtime-aws-request-id');
    const event = await next.json();
    const tool = execFileSync('layer-tool', { encoding: 'utf8' }).trim();
    await fetch(base + id + '/response', { method: 'POST', body: JSON.stringify({ tool, n: event.n }) });
  }
})().catch(() => process.exit(1));
`,
      { mode: 0o755 },
    );
    writeFileSync(join(dir, 'bin', 'layer-tool'), '#!/bin/sh\necho tool-from-layer\n', { mode: 0o755 });
    const layer = await h.lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'runtime', Content: { S3Bucket: 'hot-reload', S3Key: dir } }),
    );
    await create(
      'custom-from-layer',
      { 'handler.txt': 'the function has no bootstrap of its own' },
      { Runtime: 'provided.al2023', Handler: 'x', Layers: [layer.LayerVersionArn ?? ''] },
    );
    const out = await h.lambda.send(new InvokeCommand({ FunctionName: 'custom-from-layer', Payload: Buffer.from('{"n":3}') }));
    expect(out.FunctionError).toBeUndefined();
    expect(json(out)).toEqual({ tool: 'tool-from-layer', n: 3 });
  });
});
