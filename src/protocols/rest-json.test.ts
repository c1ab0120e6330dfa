// restJson1 against the official SDK clients (Lambda, API Gateway, API Gateway v2, Scheduler, AppSync): generated
// inputs go through the SDK's serializer into our decoder, generated outputs through our encoder into the SDK's
// deserializer, and every error shape of each service comes out of the SDK as its exception. No network: the
// clients' request handler captures the request and answers with our codec's response.
import * as apigateway from '@aws-sdk/client-api-gateway';
import * as apigatewayv2 from '@aws-sdk/client-apigatewayv2';
import * as appsync from '@aws-sdk/client-appsync';
import * as lambda from '@aws-sdk/client-lambda';
import * as scheduler from '@aws-sdk/client-scheduler';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../core/errors.js';
import { model as apigatewayModel } from '../models/apigateway.js';
import { model as apigatewayv2Model } from '../models/apigatewayv2.js';
import { model as appsyncModel } from '../models/appsync.js';
import { model as lambdaModel } from '../models/lambda.js';
import { model as schedulerModel } from '../models/scheduler.js';
import type { ServiceModel } from '../models/types.js';
import { structureOf } from './rest-bindings.js';
import { RestJsonCodec } from './rest-json.js';
import type { ArbitraryOptions } from './testing/arbitraries.js';
import { shapeArbitrary } from './testing/arbitraries.js';
import type { SdkClientClass, SdkCommandClass } from './testing/differential.js';
import { Differential, toSdkResponse } from './testing/differential.js';
import { labelArbitrary, RestResponseDriver } from './testing/rest.js';
import { describeErrors } from './testing/suite.js';

const RUNS = Number(process.env.SWITCHYARD_FUZZ_RUNS ?? 30);
const ERROR_RUNS = Math.max(2, Math.round(RUNS / 15));
const REQUEST_ID = 'c0ffee00-1234-4abc-9def-000000000001';
const codec = new RestJsonCodec();
const JSON_LABELS = ['arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST', 'a/b', '%2F', 'with space', '..'];

// ---- A REST driver on top of the shared harness: labels must be present and non-empty for the SDK to build a
// path, an empty blob payload is no body at all, and a statusCode member is the response status.

interface RestCase {
  readonly name: string;
  readonly command: SdkCommandClass;
  readonly input?: ArbitraryOptions;
  readonly output?: ArbitraryOptions;
  /** Only one direction (an operation whose output sets Content-Type itself cannot be compared in responses). */
  readonly only?: 'request' | 'response';
  /** What client middleware adds to every request (API Gateway's default Accept header). */
  readonly fill?: (input: Record<string, unknown>) => Record<string, unknown>;
}

function describeRest(title: string, model: ServiceModel, client: SdkClientClass, cases: readonly RestCase[]): void {
  describe(title, () => {
    const d = new Differential({ model, codec, client });
    const responses = new RestResponseDriver(model, client, codec, REQUEST_ID);
    afterAll(() => {
      d.destroy();
      responses.destroy();
    });
    for (const c of cases) {
      const op = model.operations[c.name];
      if (!op) throw new Error(`${model.name}: no operation ${c.name}`);
      if (op.input && c.only !== 'response') {
        const arb = fc
          .tuple(shapeArbitrary(model, op.input, c.input), labelArbitrary(model, op.input, JSON_LABELS))
          .map(([input, labels]) => carriableInput(model, op.input as string, { ...input, ...labels }))
          .map((input) => (c.fill ? c.fill(input) : input));
        it(`${c.name}: the SDK's request decodes to its input`, async () => {
          await fc.assert(
            fc.asyncProperty(arb, (input) => d.checkRequest(c.command, c.name, input)),
            { numRuns: RUNS },
          );
        });
      }
      if (op.output && c.only !== 'request') {
        const arb = shapeArbitrary(model, op.output, { protoKeys: false, ...c.output });
        it(`${c.name}: our response deserializes to its output`, async () => {
          await fc.assert(
            fc.asyncProperty(arb, (output) => responses.check(c.command, c.name, output)),
            { numRuns: RUNS },
          );
        });
      }
    }
  });
}

/** What HTTP carries of an input: no empty blob payload, no empty query lists, no queryParams key a query member owns. */
function carriableInput(model: ServiceModel, inputShape: string, input: Record<string, unknown>): Record<string, unknown> {
  const shape = structureOf(model, inputShape);
  const out = { ...input };
  const owned = new Set<string>();
  for (const [name, m] of Object.entries(shape.members)) if (m.location === 'query') owned.add(m.locationName ?? name);
  for (const [name, m] of Object.entries(shape.members)) {
    const v = out[name];
    if (m.location === 'payload' && v instanceof Uint8Array && v.length === 0) delete out[name];
    if (m.location === 'query' && Array.isArray(v) && v.length === 0) delete out[name];
    if (m.location === 'queryParams' && v && typeof v === 'object') {
      // The SDK skips keys already in its query object, and that object inherits `constructor`, `toString`, ...
      const kept = Object.fromEntries(
        Object.entries(v).filter(([k]) => !owned.has(k) && !isUriLiteral(model, k) && !(k in Object.prototype)),
      );
      if (Object.keys(kept).length) out[name] = kept;
      else delete out[name];
    }
  }
  return out;
}

function isUriLiteral(model: ServiceModel, key: string): boolean {
  return Object.values(model.operations).some((op) => op.http?.uri.includes(`?${key}`) || op.http?.uri.includes(`&${key}`));
}

// ---- The services.

describeRest('restJson1 Lambda', lambdaModel, lambda.LambdaClient, [
  { name: 'CreateFunction', command: lambda.CreateFunctionCommand },
  { name: 'Invoke', command: lambda.InvokeCommand },
  { name: 'ListFunctions', command: lambda.ListFunctionsCommand },
  { name: 'GetFunction', command: lambda.GetFunctionCommand },
  { name: 'UntagResource', command: lambda.UntagResourceCommand },
  { name: 'GetLayerVersion', command: lambda.GetLayerVersionCommand },
  { name: 'GetLayerVersionByArn', command: lambda.GetLayerVersionByArnCommand },
  { name: 'ListLayers', command: lambda.ListLayersCommand },
]);
describeErrors(
  'restJson1 Lambda errors',
  new Differential({ model: lambdaModel, codec, client: lambda.LambdaClient }),
  { name: 'ListFunctions', command: lambda.ListFunctionsCommand },
  { runs: ERROR_RUNS },
);

describeRest('restJson1 API Gateway', apigatewayModel, apigateway.APIGatewayClient, [
  { name: 'CreateRestApi', command: apigateway.CreateRestApiCommand },
  { name: 'PutIntegration', command: apigateway.PutIntegrationCommand },
  { name: 'GetRestApis', command: apigateway.GetRestApisCommand },
  { name: 'ImportRestApi', command: apigateway.ImportRestApiCommand },
  // ExportResponse binds Content-Type to a member: the SDK reads our default content type into it.
  {
    name: 'GetExport',
    command: apigateway.GetExportCommand,
    only: 'request',
    fill: (input) => ({ ...input, accepts: input.accepts || 'application/json' }),
  },
]);
describeErrors(
  'restJson1 API Gateway errors',
  new Differential({ model: apigatewayModel, codec, client: apigateway.APIGatewayClient }),
  { name: 'GetRestApis', command: apigateway.GetRestApisCommand },
  { runs: ERROR_RUNS },
);

describeRest('restJson1 Scheduler', schedulerModel, scheduler.SchedulerClient, [
  { name: 'CreateSchedule', command: scheduler.CreateScheduleCommand },
  { name: 'GetSchedule', command: scheduler.GetScheduleCommand },
  { name: 'ListSchedules', command: scheduler.ListSchedulesCommand },
  { name: 'DeleteSchedule', command: scheduler.DeleteScheduleCommand },
]);
describeErrors(
  'restJson1 Scheduler errors',
  new Differential({ model: schedulerModel, codec, client: scheduler.SchedulerClient }),
  { name: 'ListSchedules', command: scheduler.ListSchedulesCommand },
  { runs: ERROR_RUNS },
);

describeRest('restJson1 API Gateway v2 (jsonName)', apigatewayv2Model, apigatewayv2.ApiGatewayV2Client, [
  { name: 'CreateApi', command: apigatewayv2.CreateApiCommand },
  { name: 'GetApis', command: apigatewayv2.GetApisCommand },
  { name: 'CreateRoute', command: apigatewayv2.CreateRouteCommand },
]);
describeErrors(
  'restJson1 API Gateway v2 errors',
  new Differential({ model: apigatewayv2Model, codec, client: apigatewayv2.ApiGatewayV2Client }),
  { name: 'GetApis', command: apigatewayv2.GetApisCommand },
  { runs: ERROR_RUNS },
);

describeRest('restJson1 AppSync', appsyncModel, appsync.AppSyncClient, [
  { name: 'CreateGraphqlApi', command: appsync.CreateGraphqlApiCommand },
  { name: 'ListGraphqlApis', command: appsync.ListGraphqlApisCommand },
]);
describeErrors(
  'restJson1 AppSync errors',
  new Differential({ model: appsyncModel, codec, client: appsync.AppSyncClient }),
  { name: 'ListGraphqlApis', command: appsync.ListGraphqlApisCommand },
  { runs: ERROR_RUNS },
);

// ---- Fixed cases: the wire details the properties above take for granted.

describe('restJson1 wire details', () => {
  const req = (method: string, path: string, rawQuery = '', headers: Record<string, string> = {}, body = '') => ({
    method,
    path,
    rawQuery,
    headers,
    body: Buffer.from(body),
  });

  it('decodes labels, query lists, headers and a raw blob payload', () => {
    const { operation, input } = codec.decode(
      req('POST', '/2015-03-31/functions/my%3Afn/invocations', 'Qualifier=%24LATEST', {
        'x-amz-invocation-type': 'Event',
        'x-amz-client-context': 'e30=',
      }, '{"a":1}'),
      lambdaModel,
    );
    expect(operation.name).toBe('Invoke');
    expect(input).toEqual({
      FunctionName: 'my:fn',
      Qualifier: '$LATEST',
      InvocationType: 'Event',
      ClientContext: 'e30=',
      Payload: Buffer.from('{"a":1}'),
    });
    const untag = codec.decode(req('DELETE', '/2017-03-31/tags/arn%3Aaws%3Ax', 'tagKeys=a&tagKeys=b%2Cc'), lambdaModel);
    expect(untag.input).toEqual({ Resource: 'arn:aws:x', TagKeys: ['a', 'b,c'] });
  });

  it('prefers the route with a query literal, then the literal segment', () => {
    expect(codec.operationName(req('GET', '/2018-10-31/layers', 'find=LayerVersion&Arn=x'), lambdaModel)).toBe(
      'GetLayerVersionByArn',
    );
    expect(codec.operationName(req('GET', '/2018-10-31/layers'), lambdaModel)).toBe('ListLayers');
  });

  it('answers the statusCode member as the status and a 204 with no body', () => {
    const invoke = lambdaModel.operations.Invoke;
    const del = lambdaModel.operations.DeleteFunctionConcurrency;
    if (!invoke || !del) throw new Error('model');
    const res = codec.encodeOutput(lambdaModel, invoke, { StatusCode: 202, FunctionError: 'Unhandled' }, REQUEST_ID);
    expect(res.status).toBe(202);
    expect(res.headers['x-amz-function-error']).toBe('Unhandled');
    expect(codec.encodeOutput(lambdaModel, del, {}, REQUEST_ID)).toMatchObject({ status: 204, body: '' });
  });

  it('answers an unknown route with a 404 UnknownOperationException the SDK can read', async () => {
    let thrown: unknown;
    try {
      codec.decode(req('GET', '/2015-03-31/nowhere'), lambdaModel);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ServiceError);
    const error = thrown as ServiceError;
    expect(error).toMatchObject({ code: 'UnknownOperationException', status: 404 });
    const res = codec.encodeError(lambdaModel, error, REQUEST_ID);
    expect(res.status).toBe(404);
    expect(res.headers['x-amzn-errortype']).toBe('UnknownOperationException');
    const client = new lambda.LambdaClient({
      region: 'us-east-1',
      endpoint: 'http://localhost:4566',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      maxAttempts: 1,
      requestHandler: { handle: async () => ({ response: toSdkResponse(res) }) } as never,
    });
    const e = await client.send(new lambda.ListFunctionsCommand({})).catch((x: unknown) => x);
    client.destroy();
    expect(e).toMatchObject({ name: 'UnknownOperationException', message: error.message });
    expect((e as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(404);
  });

  it('rejects malformed bodies and values with a SerializationException', () => {
    expect(() => codec.decode(req('POST', '/2015-03-31/functions', '', {}, '{oops'), lambdaModel)).toThrow(
      expect.objectContaining({ code: 'SerializationException', status: 400 }) as Error,
    );
    expect(() => codec.decode(req('GET', '/2015-03-31/functions', 'MaxItems=ten'), lambdaModel)).toThrow(ServiceError);
  });

  it('writes header-bound error members as headers (Retry-After)', () => {
    const e = new ServiceError('TooManyRequestsException', 'slow down', {
      status: 429,
      fields: { retryAfterSeconds: '3', Type: 'User', Reason: 'CallerRateLimitExceeded' },
    });
    const res = codec.encodeError(lambdaModel, e, REQUEST_ID);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
    expect(JSON.parse(res.body as string)).toEqual({ message: 'slow down', Type: 'User', Reason: 'CallerRateLimitExceeded' });
  });
});


/** HTTP binding traits the tested services leave out, shaped after the Smithy restJson1 spec's examples. */
const traitModel: ServiceModel = {
  name: 'traits',
  sdkId: 'Traits',
  namespace: 'example.traits',
  signingName: 'traits',
  protocol: 'restJson1',
  version: '2024-01-01',
  operations: {
    Echo: { name: 'Echo', input: 'EchoIO', output: 'EchoIO', http: { method: 'POST', uri: '/echo/{Id}', code: 200 } },
  },
  shapes: {
    EchoIO: {
      type: 'structure',
      members: {
        Id: { shape: 'number', location: 'label' },
        Doc: { shape: 'string', location: 'header', locationName: 'X-Doc', jsonValue: true },
        Tags: { shape: 'Strings', location: 'header', locationName: 'X-Tags' },
        Dates: { shape: 'Dates', location: 'header', locationName: 'X-Dates' },
        When: { shape: 'timestamp', location: 'header', locationName: 'X-When' },
        Since: { shape: 'timestamp', location: 'query', locationName: 'since' },
        Meta: { shape: 'Meta', location: 'headers', locationName: 'X-Meta-' },
        Params: { shape: 'Multi', location: 'queryParams' },
        Flag: { shape: 'boolean', location: 'query', locationName: 'flag' },
        Body: { shape: 'string', jsonName: 'body_text' },
      },
    },
    Strings: { type: 'list', member: { shape: 'string' } },
    Dates: { type: 'list', member: { shape: 'timestamp' } },
    Meta: { type: 'map', key: { shape: 'string' }, value: { shape: 'string' } },
    Multi: { type: 'map', key: { shape: 'string' }, value: { shape: 'Strings' } },
  },
  errors: [],
};

describe('restJson1 binding traits beyond the tested services', () => {
  const value = {
    Id: 42,
    Doc: '{"a":[1,2]}',
    Tags: ['plain', 'with, comma', 'with "quote"'],
    Dates: [new Date('2024-01-02T03:04:05Z'), new Date('2025-06-07T08:09:10Z')],
    When: new Date('2024-01-02T03:04:05Z'),
    Since: new Date('2024-01-02T03:04:05.678Z'),
    Meta: { color: 'red' },
    Params: { a: ['1', '2'], b: ['x y'] },
    Flag: true,
    Body: 'hello',
  };

  it('decodes jsonValue, list and timestamp headers, prefix headers, query maps and jsonName', () => {
    const { input } = codec.decode(
      {
        method: 'POST',
        path: '/echo/42',
        rawQuery: 'since=2024-01-02T03%3A04%3A05.678Z&flag=true&a=1&a=2&b=x%20y',
        headers: {
          'x-doc': Buffer.from('{"a":[1,2]}').toString('base64'),
          'x-tags': 'plain, "with, comma", "with \\"quote\\""',
          'x-dates': 'Tue, 02 Jan 2024 03:04:05 GMT, Sat, 07 Jun 2025 08:09:10 GMT',
          'x-when': 'Tue, 02 Jan 2024 03:04:05 GMT',
          'x-meta-color': 'red',
        },
        body: Buffer.from('{"body_text":"hello"}'),
      },
      traitModel,
    );
    expect(input).toEqual(value);
  });

  it('encodes the same members of an output into the same headers', () => {
    const op = traitModel.operations.Echo;
    if (!op) throw new Error('model');
    const res = codec.encodeOutput(traitModel, op, value, REQUEST_ID);
    expect(res.headers).toMatchObject({
      'x-doc': Buffer.from('{"a":[1,2]}').toString('base64'),
      'x-tags': 'plain, "with, comma", "with \\"quote\\""',
      'x-dates': 'Tue, 02 Jan 2024 03:04:05 GMT, Sat, 07 Jun 2025 08:09:10 GMT',
      'x-when': 'Tue, 02 Jan 2024 03:04:05 GMT',
      'x-meta-color': 'red',
    });
    // Labels and query members are body members in a response.
    expect(JSON.parse(res.body as string)).toEqual({
      Id: 42,
      Since: 1704164645.678,
      Params: { a: ['1', '2'], b: ['x y'] },
      Flag: true,
      body_text: 'hello',
    });
  });
});

describe('restJson1 event stream output', () => {
  /** Splits an event stream into its messages' string headers and payloads. */
  function messages(bytes: Buffer): { headers: Record<string, string>; payload: Buffer }[] {
    const out: { headers: Record<string, string>; payload: Buffer }[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      const total = bytes.readUInt32BE(offset);
      const headersLength = bytes.readUInt32BE(offset + 4);
      const headers: Record<string, string> = {};
      let p = offset + 12;
      const end = p + headersLength;
      while (p < end) {
        const n = bytes.readUInt8(p);
        const name = bytes.subarray(p + 1, p + 1 + n).toString('utf8');
        const len = bytes.readUInt16BE(p + 2 + n);
        headers[name] = bytes.subarray(p + 4 + n, p + 4 + n + len).toString('utf8');
        p += 4 + n + len;
      }
      out.push({ headers, payload: bytes.subarray(end, offset + total - 4) });
      offset += total;
    }
    return out;
  }

  it('sends an event blob payload raw as octet-stream and other events as JSON, with the headers bound', async () => {
    async function* events(): AsyncGenerator<Record<string, unknown>> {
      yield { PayloadChunk: { Payload: Buffer.from('raw bytes') } };
      yield { InvokeComplete: { ErrorCode: 'Error', ErrorDetails: 'boom' } };
    }
    const operation = lambdaModel.operations.InvokeWithResponseStream;
    if (!operation) throw new Error('no InvokeWithResponseStream in the model');
    const res = codec.encodeOutput(
      lambdaModel,
      operation,
      { StatusCode: 200, ExecutedVersion: '$LATEST', EventStream: events() },
      REQUEST_ID,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.amazon.eventstream');
    expect(res.headers['X-Amz-Executed-Version'] ?? res.headers['x-amz-executed-version']).toBe('$LATEST');
    const parts: Uint8Array[] = [];
    for await (const part of res.stream ?? []) parts.push(part);
    const [chunk, complete, ...rest] = messages(Buffer.concat(parts));
    expect(rest).toEqual([]);
    expect(chunk?.headers).toEqual({
      ':event-type': 'PayloadChunk',
      ':content-type': 'application/octet-stream',
      ':message-type': 'event',
    });
    expect(chunk?.payload.toString('utf8')).toBe('raw bytes');
    expect(complete?.headers[':event-type']).toBe('InvokeComplete');
    expect(complete?.headers[':content-type']).toBe('application/json');
    expect(JSON.parse(complete?.payload.toString('utf8') ?? '')).toEqual({ ErrorCode: 'Error', ErrorDetails: 'boom' });
  });
});
