// Function URLs: the control plane with @aws-sdk/client-lambda, and real HTTP traffic (fetch on the path form, a raw
// request on the host form) to real Node handlers: payload format 2.0, response mapping, CORS, AWS_IAM, errors.
import { request } from 'node:http';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, startLambdaHarness, zip, type LambdaHarness } from './harness.js';

let h: LambdaHarness;
beforeAll(async () => {
  h = await startLambdaHarness();
});
afterAll(async () => {
  await h.close();
});

const ECHO = `
exports.handler = async (event) => {
  if (event.rawPath === '/custom') {
    return { statusCode: 201, headers: { 'X-Custom': 'yes', 'Content-Type': 'text/plain' }, cookies: ['a=1; Max-Age=60', 'b=2'], body: 'made' };
  }
  if (event.rawPath === '/binary') {
    return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2, 255]).toString('base64'), isBase64Encoded: true };
  }
  if (event.rawPath === '/string') return 'just text';
  if (event.rawPath === '/fail') throw new Error('broken');
  return { echo: event };
};`;

async function createFunction(name: string): Promise<void> {
  await h.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zip({ 'index.js': ECHO }) },
    }),
  );
}

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected an error');
}

const idOf = (url: string | undefined): string => /^http:\/\/([a-z0-9]{32})\.lambda-url\./.exec(url ?? '')?.[1] ?? '';
const pathUrl = (id: string, rest = '/'): string => `${h.sy.endpoint}/_aws/lambda-url/${id}${rest}`;

interface Echo {
  echo: {
    version: string;
    routeKey: string;
    rawPath: string;
    rawQueryString: string;
    cookies?: string[];
    headers: Record<string, string>;
    queryStringParameters?: Record<string, string>;
    requestContext: Record<string, unknown> & { http: Record<string, unknown> };
    body?: string;
    isBase64Encoded: boolean;
  };
}

describe('function URL configs', () => {
  it('creates, gets, updates, lists and deletes URL configs with AWS errors', async () => {
    await createFunction('urlcfg');
    const port = new URL(h.sy.endpoint).port;
    const created = await h.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'urlcfg', AuthType: 'NONE' }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.FunctionUrl).toMatch(new RegExp(`^http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost:${port}/$`));
    expect(created).toMatchObject({
      FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:urlcfg',
      AuthType: 'NONE',
      InvokeMode: 'BUFFERED',
    });
    expect(
      await errorOf(h.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'urlcfg', AuthType: 'NONE' }))),
    ).toMatchObject({ name: 'ResourceConflictException', status: 409 });

    const cors = { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], MaxAge: 300 };
    const updated = await h.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'urlcfg', AuthType: 'AWS_IAM', Cors: cors }));
    expect(updated).toMatchObject({ AuthType: 'AWS_IAM', Cors: cors, FunctionUrl: created.FunctionUrl });
    const got = await h.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'urlcfg' }));
    expect(got).toMatchObject({ AuthType: 'AWS_IAM', Cors: cors, CreationTime: created.CreationTime });
    expect(got.LastModifiedTime).toBeDefined();

    await h.lambda.send(new PublishVersionCommand({ FunctionName: 'urlcfg' }));
    await h.lambda.send(new CreateAliasCommand({ FunctionName: 'urlcfg', Name: 'live', FunctionVersion: '1' }));
    const aliasUrl = await h.lambda.send(
      new CreateFunctionUrlConfigCommand({ FunctionName: 'urlcfg', Qualifier: 'live', AuthType: 'NONE' }),
    );
    expect(aliasUrl.FunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:urlcfg:live');
    expect(aliasUrl.FunctionUrl).not.toBe(created.FunctionUrl);
    const listed = await h.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'urlcfg' }));
    expect(listed.FunctionUrlConfigs?.map((c) => c.FunctionArn)).toEqual([
      'arn:aws:lambda:us-east-1:000000000000:function:urlcfg',
      'arn:aws:lambda:us-east-1:000000000000:function:urlcfg:live',
    ]);
    const page = await h.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'urlcfg', MaxItems: 1 }));
    expect(page.FunctionUrlConfigs).toHaveLength(1);
    expect(page.NextMarker).toBeDefined();

    expect(
      await errorOf(h.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'urlcfg', Qualifier: '1', AuthType: 'NONE' }))),
    ).toMatchObject({ name: 'ValidationException' });
    expect(
      await errorOf(
        h.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'urlcfg', Qualifier: 'nope', AuthType: 'NONE' })),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(
      await errorOf(
        h.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'missing', AuthType: 'NONE' })),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect(
      (await h.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'urlcfg', InvokeMode: 'RESPONSE_STREAM' })))
        .InvokeMode,
    ).toBe('RESPONSE_STREAM');
    expect(
      await errorOf(h.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'urlcfg', InvokeMode: 'BAD' as 'BUFFERED' }))),
    ).toMatchObject({ name: 'ValidationException' });
    expect(
      await errorOf(h.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'urlcfg', Qualifier: 'live', AuthType: 'BAD' as 'NONE' }))),
    ).toMatchObject({ name: 'ValidationException' });

    await h.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'urlcfg', Qualifier: 'live' }));
    expect(
      await errorOf(h.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'urlcfg', Qualifier: 'live' }))),
    ).toMatchObject({ name: 'ResourceNotFoundException', message: 'The resource you requested does not exist.' });

    // A URL goes away with its function.
    const id = idOf(created.FunctionUrl);
    await h.lambda.send(new DeleteFunctionCommand({ FunctionName: 'urlcfg' }));
    await createFunction('urlcfg');
    expect(
      await errorOf(h.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'urlcfg' }))),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
    expect((await fetch(pathUrl(id))).status).toBe(403);
  });
});

describe('function URL traffic', () => {
  let id = '';
  beforeAll(async () => {
    await createFunction('web');
    id = idOf((await h.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' }))).FunctionUrl);
  });

  it('sends the request in payload format 2.0 and returns a plain result as JSON', async () => {
    const res = await fetch(pathUrl(id, '/items/42?x=1&x=2&y=a%20b'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'c1=v1; c2=v2', 'x-trace': 't1', 'user-agent': 'tester/1' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const { echo } = (await res.json()) as Echo;
    expect(echo).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/items/42',
      rawQueryString: 'x=1&x=2&y=a%20b',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { x: '1,2', y: 'a b' },
      body: JSON.stringify({ hello: 'world' }),
      isBase64Encoded: false,
    });
    expect(echo.headers).toMatchObject({ 'content-type': 'application/json', 'x-trace': 't1', 'user-agent': 'tester/1' });
    expect(echo.headers.cookie).toBeUndefined();
    expect(echo.requestContext).toMatchObject({
      accountId: '000000000000',
      apiId: id,
      domainName: `${id}.lambda-url.us-east-1.localhost`,
      domainPrefix: id,
      http: { method: 'POST', path: '/items/42', protocol: 'HTTP/1.1', userAgent: 'tester/1' },
      requestId: res.headers.get('x-amzn-requestid'),
      routeKey: '$default',
      stage: '$default',
    });
    expect(echo.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(typeof echo.requestContext.timeEpoch).toBe('number');
    expect(typeof echo.requestContext.http.sourceIp).toBe('string');
  });

  it('base64-encodes binary request bodies', async () => {
    const res = await fetch(pathUrl(id, '/upload'), {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([1, 2, 3]),
    });
    const { echo } = (await res.json()) as Echo;
    expect(echo.isBase64Encoded).toBe(true);
    expect(echo.body).toBe(Buffer.from([1, 2, 3]).toString('base64'));
    expect(echo.queryStringParameters).toBeUndefined();
    expect(echo.cookies).toBeUndefined();
  });

  it('maps statusCode results, cookies, base64 bodies, strings and function errors', async () => {
    const custom = await fetch(pathUrl(id, '/custom'));
    expect(custom.status).toBe(201);
    expect(custom.headers.get('x-custom')).toBe('yes');
    expect(custom.headers.get('content-type')).toBe('text/plain');
    expect(custom.headers.getSetCookie()).toEqual(['a=1; Max-Age=60', 'b=2']);
    expect(await custom.text()).toBe('made');

    const binary = await fetch(pathUrl(id, '/binary'));
    expect(Buffer.from(await binary.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));

    const text = await fetch(pathUrl(id, '/string'));
    expect(text.headers.get('content-type')).toBe('application/json');
    expect(await text.text()).toBe('"just text"');

    const failed = await fetch(pathUrl(id, '/fail'));
    expect(failed.status).toBe(502);
    expect(await failed.json()).toEqual({ Message: 'Internal Server Error' });
  });

  it('serves the host form ID.lambda-url.REGION.localhost', async () => {
    const port = Number(new URL(h.sy.endpoint).port);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/via/host', headers: { host: `${id}.lambda-url.us-east-1.localhost:${port}` } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        },
      );
      req.on('error', reject);
      req.end();
    });
    const { echo } = JSON.parse(body) as Echo;
    expect(echo.rawPath).toBe('/via/host');
    expect(echo.requestContext.domainName).toBe(`${id}.lambda-url.us-east-1.localhost`);
  });

  it('answers 429 when the function is throttled', async () => {
    await createFunction('throttled');
    const tid = idOf((await h.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'throttled', AuthType: 'NONE' }))).FunctionUrl);
    await h.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'throttled', ReservedConcurrentExecutions: 0 }));
    const res = await fetch(pathUrl(tid));
    expect(res.status).toBe(429);
  });
});

describe('function URL CORS and AWS_IAM', () => {
  it('answers preflights from the Cors config and sets CORS headers on responses', async () => {
    await createFunction('corsy');
    const cid = idOf(
      (
        await h.lambda.send(
          new CreateFunctionUrlConfigCommand({
            FunctionName: 'corsy',
            AuthType: 'NONE',
            Cors: {
              AllowOrigins: ['https://app.example'],
              AllowMethods: ['GET', 'POST'],
              AllowHeaders: ['x-token'],
              ExposeHeaders: ['x-custom'],
              AllowCredentials: true,
              MaxAge: 600,
            },
          }),
        )
      ).FunctionUrl,
    );
    const pre = await fetch(pathUrl(cid, '/custom'), {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(200);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(pre.headers.get('access-control-allow-headers')).toBe('x-token');
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    expect(pre.headers.get('access-control-max-age')).toBe('600');
    expect(await pre.text()).toBe('');

    const denied = await fetch(pathUrl(cid, '/custom'), {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();

    const actual = await fetch(pathUrl(cid, '/custom'), { headers: { origin: 'https://app.example' } });
    expect(actual.status).toBe(201);
    expect(actual.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(actual.headers.get('access-control-expose-headers')).toBe('x-custom');
  });

  it('requires a SigV4 signature, and a policy for another account', async () => {
    await createFunction('private');
    const pid = idOf(
      (await h.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'private', AuthType: 'AWS_IAM' }))).FunctionUrl,
    );
    const unsigned = await fetch(pathUrl(pid));
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toEqual({ Message: 'Forbidden' });

    const sign = (akid: string): Record<string, string> => ({
      authorization: `AWS4-HMAC-SHA256 Credential=${akid}/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'ab'.repeat(32)}`,
      'x-amz-date': '20260101T000000Z',
    });
    const own = await fetch(pathUrl(pid, '/me'), { headers: sign('test') });
    expect(own.status).toBe(200);
    const { echo } = (await own.json()) as Echo;
    expect(echo.requestContext.authorizer).toMatchObject({ iam: { accessKey: 'test', accountId: '000000000000' } });

    const other = await fetch(pathUrl(pid), { headers: sign('111111111111') });
    expect(other.status).toBe(403);
    await h.lambda.send(
      new AddPermissionCommand({
        FunctionName: 'private',
        StatementId: 'url',
        Action: 'lambda:InvokeFunctionUrl',
        Principal: '111111111111',
        FunctionUrlAuthType: 'AWS_IAM',
      }),
    );
    const allowed = await fetch(pathUrl(pid), { headers: sign('111111111111') });
    expect(allowed.status).toBe(200);
  });
});
