// Code.Location of GetFunction and Content.Location of GetLayerVersion: the URL names the exact version, and the
// download answers with the zip as uploaded (a hot-reload folder zipped as it is), or S3's NoSuchKey.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionCommand,
  GetLayerVersionCommand,
  PublishLayerVersionCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, startLambdaHarness, zip, type LambdaHarness } from './harness.js';
import type { LambdaInternal } from './provider.js';

let h: LambdaHarness;
let internal: LambdaInternal;
let folder: string;

beforeAll(async () => {
  h = await startLambdaHarness();
  internal = (await h.sy.instance.provider('lambda'))?.internal as LambdaInternal;
  folder = mkdtempSync(join(tmpdir(), 'code-download-'));
});
afterAll(async () => {
  await h.close();
  rmSync(folder, { recursive: true, force: true });
});

const download = (location: string | undefined) => internal.codeDownload(new URL(location ?? '').pathname);

describe('code download', () => {
  it("serves each function version's zip as uploaded at GetFunction's Code.Location", async () => {
    const first = zip({ 'index.js': 'exports.handler = async () => 1;' });
    await h.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'dl',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: first },
        Publish: true,
      }),
    );
    const second = zip({ 'index.js': 'exports.handler = async () => 2;' });
    await h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'dl', ZipFile: second }));
    const latest = await h.lambda.send(new GetFunctionCommand({ FunctionName: 'dl' }));
    expect(latest.Code?.RepositoryType).toBe('S3');
    expect(latest.Code?.Location).toBe(`${h.sy.endpoint}/_aws/lambda-code/functions/000000000000/us-east-1/dl/%24LATEST`);
    const v1 = await h.lambda.send(new GetFunctionCommand({ FunctionName: 'dl', Qualifier: '1' }));
    const got = download(latest.Code?.Location);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/zip');
    expect(Buffer.compare(got.body as Buffer, Buffer.from(second))).toBe(0);
    expect(Buffer.compare(download(v1.Code?.Location).body as Buffer, Buffer.from(first))).toBe(0);
    // Over the wire, as a client downloads it.
    const fetched = await fetch(v1.Code?.Location ?? '');
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('application/zip');
    expect(Buffer.compare(Buffer.from(await fetched.arrayBuffer()), Buffer.from(first))).toBe(0);
    expect(internal.codeDownload('/_aws/lambda-code/functions/000000000000/us-east-1/dl/7').status).toBe(404);
    expect(internal.codeDownload('/_aws/lambda-code/nothing').status).toBe(404);
  });

  it('zips a hot-reload folder as it is now, and serves layer content until the version is deleted', async () => {
    writeFileSync(join(folder, 'index.js'), 'exports.handler = async () => "live";');
    await h.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'dl-live',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { S3Bucket: 'hot-reload', S3Key: folder },
      }),
    );
    const fn = await h.lambda.send(new GetFunctionCommand({ FunctionName: 'dl-live' }));
    const files = unzipSync(download(fn.Code?.Location).body as Buffer);
    expect(strFromU8(files['index.js'] ?? new Uint8Array())).toBe('exports.handler = async () => "live";');

    const content = zip({ 'python/x.py': 'X = 1' });
    const layer = await h.lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'dl-layer', Content: { ZipFile: content } }),
    );
    const got = await h.lambda.send(new GetLayerVersionCommand({ LayerName: 'dl-layer', VersionNumber: 1 }));
    expect(got.Content?.Location).toBe(layer.Content?.Location);
    expect(Buffer.compare(download(got.Content?.Location).body as Buffer, Buffer.from(content))).toBe(0);
    await h.lambda.send(new DeleteLayerVersionCommand({ LayerName: 'dl-layer', VersionNumber: 1 }));
    expect(download(got.Content?.Location).status).toBe(404);
  });
});
