// Lambda's control plane through the SDK: create (zip and local folder), read, list, update, delete, tags,
// versions and aliases, with AWS's errors; the waiters see Active and Successful.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListAliasesCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type CreateFunctionCommandInput,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ROLE, startLambdaHarness, zip, type LambdaHarness } from './harness.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:';
const CODE = zip({ 'index.js': 'exports.handler = async () => "ok";' });

let h: LambdaHarness;
beforeAll(async () => {
  h = await startLambdaHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

function create(name: string, extra: Partial<CreateFunctionCommandInput> = {}) {
  return h.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: CODE },
      ...extra,
    }),
  );
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected an error');
}

describe('CreateFunction', () => {
  it('creates from a zip, answers Pending, then reads Active', async () => {
    const created = await create('fn1', { Environment: { Variables: { AA: '1' } }, Tags: { team: 'x' } });
    expect(created).toMatchObject({
      FunctionName: 'fn1',
      FunctionArn: `${ARN}fn1`,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Timeout: 3,
      MemorySize: 128,
      Version: '$LATEST',
      State: 'Pending',
      StateReasonCode: 'Creating',
      PackageType: 'Zip',
      CodeSize: CODE.length,
      Environment: { Variables: { AA: '1' } },
    });
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(created.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const waited = await waitUntilFunctionActiveV2({ client: h.lambda, maxWaitTime: 5 }, { FunctionName: 'fn1' });
    expect(waited.state).toBe('SUCCESS');
    const got = await h.lambda.send(new GetFunctionCommand({ FunctionName: 'fn1' }));
    expect(got.Configuration?.State).toBe('Active');
    expect(got.Code?.RepositoryType).toBe('S3');
    expect(got.Tags).toEqual({ team: 'x' });
  });

  it('refuses a duplicate name with ResourceConflictException', async () => {
    await create('dup');
    const err = await errorOf(create('dup'));
    expect(err).toMatchObject({
      name: 'ResourceConflictException',
      message: 'Function already exist: dup',
      status: 409,
    });
  });

  it('validates runtime, handler, role, timeout, memory and reserved variables', async () => {
    expect(await errorOf(create('bad', { Runtime: 'nodejs12.x' }))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('The runtime parameter of nodejs12.x is no longer supported') as string,
    });
    expect((await errorOf(create('bad', { Runtime: 'cobol' as 'nodejs20.x' }))).name).toBe(
      'InvalidParameterValueException',
    );
    expect((await errorOf(create('bad', { Handler: undefined }))).name).toBe('InvalidParameterValueException');
    expect((await errorOf(create('bad', { Role: 'not-a-role' }))).message).toContain(
      "at 'role' failed to satisfy constraint",
    );
    expect((await errorOf(create('bad', { Timeout: 901 }))).message).toContain('less than or equal to 900');
    expect((await errorOf(create('bad', { MemorySize: 64 }))).message).toContain('greater than or equal to 128');
    const reserved = await errorOf(create('bad', { Environment: { Variables: { AWS_REGION: 'x' } } }));
    expect(reserved.name).toBe('InvalidParameterValueException');
    expect(reserved.message).toContain('Reserved keys used in this request: AWS_REGION');
    expect((await errorOf(create('bad', { Code: { ZipFile: new Uint8Array([1, 2, 3]) } }))).message).toBe(
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
    expect(await errorOf(create('bad name'))).toMatchObject({ status: 400 });
  });

  it('uses a local folder in place with the hot-reload bucket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-hot-'));
    try {
      writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => 1;');
      const created = await create('hot', { Code: { S3Bucket: 'hot-reload', S3Key: dir } });
      expect(created.FunctionName).toBe('hot');
      expect((await errorOf(create('hot2', { Code: { S3Bucket: 'hot-reload', S3Key: join(dir, 'nope') } }))).name).toBe(
        'InvalidParameterValueException',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reading and listing', () => {
  it('answers ResourceNotFoundException with the function ARN', async () => {
    const err = await errorOf(h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'missing' })));
    expect(err).toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: ${ARN}missing`,
      status: 404,
    });
    const q = await errorOf(h.lambda.send(new GetFunctionCommand({ FunctionName: 'missing', Qualifier: '3' })));
    expect(q.message).toBe(`Function not found: ${ARN}missing:3`);
  });

  it('finds a function by name, ARN and partial ARN', async () => {
    await create('named');
    for (const name of ['named', `${ARN}named`, '000000000000:function:named']) {
      const got = await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
      expect(got.FunctionName).toBe('named');
    }
  });

  it('pages ListFunctions with Marker and MaxItems', async () => {
    for (const n of ['c', 'a', 'e', 'b', 'd']) await create(n);
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await h.lambda.send(
        new ListFunctionsCommand({ MaxItems: 2, ...(marker ? { Marker: marker } : {}) }),
      );
      names.push(...(page.Functions ?? []).map((f) => f.FunctionName ?? ''));
      marker = page.NextMarker;
      pages++;
    } while (marker);
    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pages).toBe(3);
  });
});

describe('updates', () => {
  it('updates code and configuration; the updated waiter succeeds', async () => {
    const created = await create('upd');
    const code = await h.lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'upd',
        ZipFile: zip({ 'index.js': 'exports.handler = async () => 2;' }),
      }),
    );
    expect(code.LastUpdateStatus).toBe('InProgress');
    expect(code.CodeSha256).not.toBe(created.CodeSha256);
    expect(code.RevisionId).not.toBe(created.RevisionId);
    await waitUntilFunctionUpdatedV2({ client: h.lambda, maxWaitTime: 5 }, { FunctionName: 'upd' });
    const dry = await h.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'upd', DryRun: true, ZipFile: zip({ 'index.js': '// dry' }) }),
    );
    expect(dry.CodeSha256).not.toBe(code.CodeSha256);
    expect((await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'upd' }))).CodeSha256).toBe(
      code.CodeSha256,
    );
    const conf = await h.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'upd',
        Environment: { Variables: { BB: '2' } },
        Timeout: 10,
        MemorySize: 256,
        Handler: 'main.run',
        Runtime: 'nodejs22.x',
      }),
    );
    expect(conf).toMatchObject({ Timeout: 10, MemorySize: 256, Handler: 'main.run', Runtime: 'nodejs22.x' });
    expect(conf.Environment?.Variables).toEqual({ BB: '2' });
    const got = await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'upd' }));
    expect(got.LastUpdateStatus).toBe('Successful');
    const stale = await errorOf(
      h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'upd', Timeout: 5, RevisionId: 'old' })),
    );
    expect(stale.name).toBe('PreconditionFailedException');
  });

  it('deletes a function', async () => {
    await create('gone');
    const deleted = await h.lambda.send(new DeleteFunctionCommand({ FunctionName: 'gone' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect((await errorOf(h.lambda.send(new GetFunctionCommand({ FunctionName: 'gone' })))).name).toBe(
      'ResourceNotFoundException',
    );
    expect((await errorOf(h.lambda.send(new DeleteFunctionCommand({ FunctionName: 'gone' })))).status).toBe(404);
  });
});

describe('tags', () => {
  it('tags, lists and untags a function', async () => {
    await create('tagged', { Tags: { a: '1' } });
    const arn = `${ARN}tagged`;
    await h.lambda.send(new TagResourceCommand({ Resource: arn, Tags: { b: '2', c: '3' } }));
    expect((await h.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ a: '1', b: '2', c: '3' });
    await h.lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['a', 'c'] }));
    expect((await h.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ b: '2' });
    const err = await errorOf(h.lambda.send(new ListTagsCommand({ Resource: `${ARN}nobody` })));
    expect(err).toMatchObject({ name: 'ResourceNotFoundException', message: `Function not found: ${ARN}nobody` });
  });
});

describe('versions and aliases', () => {
  it('publishes versions and routes aliases to them', async () => {
    await create('ver');
    const v1 = await h.lambda.send(new PublishVersionCommand({ FunctionName: 'ver' }));
    expect(v1).toMatchObject({ Version: '1', FunctionArn: `${ARN}ver:1` });
    // Nothing changed: the same version again.
    expect((await h.lambda.send(new PublishVersionCommand({ FunctionName: 'ver' }))).Version).toBe('1');
    await h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'ver', Timeout: 7 }));
    const v2 = await h.lambda.send(new PublishVersionCommand({ FunctionName: 'ver', Description: 'second' }));
    expect(v2).toMatchObject({ Version: '2', Timeout: 7, Description: 'second' });
    const versions = await h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'ver' }));
    expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);
    const v1conf = await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'ver', Qualifier: '1' }));
    expect(v1conf.Timeout).toBe(3);

    const alias = await h.lambda.send(
      new CreateAliasCommand({ FunctionName: 'ver', Name: 'live', FunctionVersion: '1' }),
    );
    expect(alias).toMatchObject({ AliasArn: `${ARN}ver:live`, Name: 'live', FunctionVersion: '1' });
    expect(
      (
        await errorOf(
          h.lambda.send(new CreateAliasCommand({ FunctionName: 'ver', Name: 'live', FunctionVersion: '1' })),
        )
      ).name,
    ).toBe('ResourceConflictException');
    await h.lambda.send(new UpdateAliasCommand({ FunctionName: 'ver', Name: 'live', FunctionVersion: '2' }));
    expect((await h.lambda.send(new GetAliasCommand({ FunctionName: 'ver', Name: 'live' }))).FunctionVersion).toBe('2');
    expect((await h.lambda.send(new ListAliasesCommand({ FunctionName: 'ver' }))).Aliases?.map((a) => a.Name)).toEqual([
      'live',
    ]);
    await h.lambda.send(new DeleteAliasCommand({ FunctionName: 'ver', Name: 'live' }));
    const missing = await errorOf(h.lambda.send(new GetAliasCommand({ FunctionName: 'ver', Name: 'live' })));
    expect(missing).toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Cannot find alias arn: ${ARN}ver:live`,
    });
    await h.lambda.send(new DeleteFunctionCommand({ FunctionName: 'ver', Qualifier: '1' }));
    const after = await h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'ver' }));
    expect(after.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '2']);
  });
});
