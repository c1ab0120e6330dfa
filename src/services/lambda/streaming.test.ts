// Response streaming over the wire: InvokeWithResponseStream with a streamified Node handler (chunks as written,
// errors mid-stream in InvokeComplete, the log tail), a buffered handler as one chunk, DryRun and bad input; and
// RESPONSE_STREAM function URLs (HttpResponseStream.from's status, headers and cookies, chunks as written).
import {
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  PutFunctionConcurrencyCommand,
  type InvokeWithResponseStreamCommandOutput,
  type InvokeWithResponseStreamCompleteEvent,
  type InvokeWithResponseStreamResponseEvent,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { ROLE, startLambdaHarness, zip, type LambdaHarness } from './harness.js';

let h: LambdaHarness;
beforeAll(async () => {
  h = await startLambdaHarness();
  await create(
    'streamer',
    `exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
      console.log('streaming for', context.functionName);
      for (let i = 0; i < (event.n ?? 3); i++) {
        responseStream.write('part' + i + ';');
        await new Promise((r) => setTimeout(r, 5));
      }
      if (event.fail) throw new Error('broke mid-stream');
      responseStream.end();
    });`,
  );
  await create('buffered', `exports.handler = async (event) => ({ echo: event });`);
  await create('failing', `exports.handler = async () => { throw new TypeError('bad thing'); };`);
});
afterAll(async () => {
  await h.close();
});

async function create(name: string, code: string): Promise<void> {
  await h.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zip({ 'index.js': code }) },
    }),
  );
}

async function read(out: InvokeWithResponseStreamCommandOutput): Promise<{
  chunks: string[];
  complete: InvokeWithResponseStreamCompleteEvent | undefined;
}> {
  const chunks: string[] = [];
  let complete: InvokeWithResponseStreamCompleteEvent | undefined;
  for await (const event of out.EventStream ?? []) {
    if (event.PayloadChunk) chunks.push(Buffer.from(event.PayloadChunk.Payload ?? []).toString('utf8'));
    if (event.InvokeComplete) complete = event.InvokeComplete;
  }
  return { chunks, complete };
}

function stream(name: string, event: unknown, extra: Record<string, unknown> = {}) {
  return h.lambda.send(
    new InvokeWithResponseStreamCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), ...extra }),
  );
}

describe('InvokeWithResponseStream', () => {
  it('streams what a streamified handler writes, then InvokeComplete with the log tail', async () => {
    const out = await stream('streamer', { n: 3 }, { LogType: 'Tail' });
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(out.ResponseStreamContentType).toBe('application/vnd.amazon.eventstream');
    const { chunks, complete } = await read(out);
    expect(chunks.join('')).toBe('part0;part1;part2;');
    // Written with pauses between them: they arrive as separate events.
    expect(chunks.length).toBeGreaterThan(1);
    expect(complete?.ErrorCode).toBeUndefined();
    const log = Buffer.from(complete?.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toContain('streaming for streamer');
    expect(log).toContain('REPORT RequestId:');
  });

  it('reports an error thrown mid-stream in InvokeComplete, after the chunks already written', async () => {
    const { chunks, complete } = await read(await stream('streamer', { n: 2, fail: true }));
    expect(chunks.join('')).toBe('part0;part1;');
    expect(complete?.ErrorCode).toBe('Error');
    expect(complete?.ErrorDetails).toBe('broke mid-stream');
    // The environment stays usable.
    const again = await read(await stream('streamer', { n: 1 }));
    expect(again.chunks.join('')).toBe('part0;');
  });

  it('sends a buffered handler response as one chunk, and its error in InvokeComplete', async () => {
    const ok = await read(await stream('buffered', { a: 1 }));
    expect(ok.chunks).toEqual([JSON.stringify({ echo: { a: 1 } })]);
    expect(ok.complete).toEqual({});
    const bad = await read(await stream('failing', {}));
    expect(bad.chunks).toEqual([]);
    expect(bad.complete?.ErrorCode).toBe('TypeError');
    expect(bad.complete?.ErrorDetails).toBe('bad thing');
  });

  it('collects a streamed response for a plain Invoke', async () => {
    const out = await h.lambda.send(
      new InvokeCommand({ FunctionName: 'streamer', Payload: Buffer.from(JSON.stringify({ n: 2 })) }),
    );
    expect(Buffer.from(out.Payload ?? []).toString('utf8')).toBe('part0;part1;');
  });

  it('fails a streamed response over the size limit with Function.ResponseSizeTooLarge', async () => {
    await create(
      'big',
      `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
        const mb = Buffer.alloc(1024 * 1024, 120);
        for (let i = 0; i < 7; i++) responseStream.write(mb);
        responseStream.end();
      });`,
    );
    // A plain Invoke collects the stream under the 6 MB buffered limit.
    const out = await h.lambda.send(new InvokeCommand({ FunctionName: 'big', Payload: Buffer.from('{}') }));
    expect(out.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8'))).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
    // Under the streamed limit, InvokeWithResponseStream passes all of it on; the environment is still usable.
    const { chunks, complete } = await read(await stream('big', {}));
    expect(chunks.join('').length).toBe(7 * 1024 * 1024);
    expect(complete).toEqual({});
  });

  it('answers DryRun with 204 and no stream, and refuses Event and unknown functions', async () => {
    const dry = await stream('streamer', {}, { InvocationType: 'DryRun' });
    expect(dry.StatusCode).toBe(204);
    await expect(stream('streamer', {}, { InvocationType: 'Event' })).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(stream('missing', {})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(stream('streamer', {}, { LogType: 'All' })).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses with TooManyRequestsException at the reserved concurrency, before any event', async () => {
    await create('reserved', `exports.handler = async () => 'x';`);
    await h.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'reserved', ReservedConcurrentExecutions: 0 }));
    await expect(stream('reserved', {})).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 429 },
    });
  });
});

describe('RESPONSE_STREAM function URLs', () => {
  const idOf = (url: string | undefined): string => new URL(url ?? '').hostname.split('.')[0] ?? '';
  async function urlFor(name: string, code: string): Promise<string> {
    await create(name, code);
    const created = await h.lambda.send(
      new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' }),
    );
    expect(created.InvokeMode).toBe('RESPONSE_STREAM');
    const got = await h.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name }));
    expect(got.InvokeMode).toBe('RESPONSE_STREAM');
    return `${h.sy.endpoint}/_aws/lambda-url/${idOf(created.FunctionUrl)}/`;
  }

  it('sends the status, headers and cookies of HttpResponseStream.from, then the chunks as they are written', async () => {
    const url = await urlFor(
      'web-stream',
      `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
        const stream = awslambda.HttpResponseStream.from(responseStream, {
          statusCode: 201,
          headers: { 'Content-Type': 'text/plain', 'X-Path': event.rawPath },
          cookies: ['a=1', 'b=2'],
        });
        stream.write('first;');
        await new Promise((r) => setTimeout(r, 300));
        stream.write('second;');
        stream.end();
      });`,
    );
    const res = await fetch(`${url}hello`);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.headers.get('x-path')).toBe('/hello');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    // The first chunk arrives while the function still waits before its second write.
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe('first;');
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += decoder.decode(r.value);
    expect(rest).toBe('second;');
  });

  it('answers a plain stream with 200 application/octet-stream, a buffered handler as BUFFERED does, an early error with 502', async () => {
    const raw = await urlFor(
      'web-raw',
      `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
        if (event.rawPath === '/fail') throw new Error('nope');
        responseStream.write('raw bytes');
        responseStream.end();
      });`,
    );
    const res = await fetch(raw);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(await res.text()).toBe('raw bytes');
    const failed = await fetch(`${raw}fail`);
    expect(failed.status).toBe(502);
    await failed.arrayBuffer();

    const buffered = await urlFor(
      'web-buffered',
      `exports.handler = async () => ({ statusCode: 202, headers: { 'content-type': 'text/plain' }, body: 'whole' });`,
    );
    const b = await fetch(buffered);
    expect(b.status).toBe(202);
    expect(await b.text()).toBe('whole');
  });
});

describe('a streamed invocation that times out', () => {
  it('ends with Sandbox.Timedout in InvokeComplete after the chunks already sent', async () => {
    const clock = new FakeClock();
    const t = await startLambdaHarness({ clock });
    try {
      await t.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'slow',
          Runtime: 'nodejs20.x',
          Role: ROLE,
          Handler: 'index.handler',
          Timeout: 1,
          Code: {
            ZipFile: zip({
              'index.js': `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
                responseStream.write('before;');
                await new Promise(() => {});
              });`,
            }),
          },
        }),
      );
      const out = await t.lambda.send(
        new InvokeWithResponseStreamCommand({ FunctionName: 'slow', Payload: Buffer.from('{}') }),
      );
      if (!out.EventStream) throw new Error('no event stream');
      const events = out.EventStream[Symbol.asyncIterator]();
      const first = await events.next();
      expect(Buffer.from(first.value?.PayloadChunk?.Payload ?? []).toString('utf8')).toBe('before;');
      await clock.advance(1000);
      const rest: InvokeWithResponseStreamResponseEvent[] = [];
      for (let e = await events.next(); !e.done; e = await events.next()) rest.push(e.value);
      expect(rest).toHaveLength(1);
      expect(rest[0]?.InvokeComplete?.ErrorCode).toBe('Sandbox.Timedout');
      expect(rest[0]?.InvokeComplete?.ErrorDetails).toMatch(/Task timed out after 1\.00 seconds/);
    } finally {
      await t.close();
    }
  });
});
