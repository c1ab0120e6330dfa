// restXml against the official SDK clients (Route 53, CloudFront): generated inputs go through the SDK's serializer
// into our decoder, generated outputs through our encoder into the SDK's deserializer, and every error shape of each
// service comes out of the SDK as its exception. Then fixed documents for what these two services do not use
// (attributes, flattened lists and maps, nested namespaces), written from the Smithy restXml spec.
import * as cloudfront from '@aws-sdk/client-cloudfront';
import * as route53 from '@aws-sdk/client-route-53';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../core/errors.js';
import { model as cloudfrontModel } from '../models/cloudfront.js';
import { model as route53Model } from '../models/route53.js';
import type { ServiceModel } from '../models/types.js';
import { structureOf } from './rest-bindings.js';
import { RestXmlCodec } from './rest-xml.js';
import type { ArbitraryOptions } from './testing/arbitraries.js';
import { shapeArbitrary } from './testing/arbitraries.js';
import type { SdkClientClass, SdkCommandClass } from './testing/differential.js';
import { Differential, toSdkResponse } from './testing/differential.js';
import { labelArbitrary, RestResponseDriver } from './testing/rest.js';
import { describeErrors } from './testing/suite.js';

const RUNS = Number(process.env.SWITCHYARD_FUZZ_RUNS ?? 30);
const ERROR_RUNS = Math.max(2, Math.round(RUNS / 15));
const REQUEST_ID = 'c0ffee00-1234-4abc-9def-000000000002';
const codec = new RestXmlCodec();
const XML: ArbitraryOptions = { strings: 'xml' };
const XML_LABELS = ['Z0123456789ABC', 'a/b', '%2F', 'with space', 'E2QWRUHAPOMQZL'];

// ---- A REST driver on top of the shared harness (as in rest-json.test.ts): labels present and non-empty.

interface RestCase {
  readonly name: string;
  readonly command: SdkCommandClass;
  /** What client middleware does to every input before serializing it. */
  readonly fill?: (input: Record<string, unknown>) => Record<string, unknown>;
}

function describeRest(title: string, model: ServiceModel, client: SdkClientClass, cases: readonly RestCase[]): void {
  describe(title, () => {
    const d = new Differential({ model, codec, client });
    const responses = new RestResponseDriver(model, client, codec, REQUEST_ID, foldBlankText);
    afterAll(() => {
      d.destroy();
      responses.destroy();
    });
    for (const c of cases) {
      const op = model.operations[c.name];
      if (!op) throw new Error(`${model.name}: no operation ${c.name}`);
      if (op.input) {
        const arb = fc
          .tuple(shapeArbitrary(model, op.input, XML), labelArbitrary(model, op.input, XML_LABELS))
          .map(([input, labels]) => carriableInput(model, op.input as string, { ...input, ...labels }))
          .map((input) => (c.fill ? c.fill(input) : input));
        it(`${c.name}: the SDK's request decodes to its input`, async () => {
          await fc.assert(
            fc.asyncProperty(arb, (input) => d.checkRequest(c.command, c.name, input)),
            { numRuns: RUNS },
          );
        });
      }
      if (op.output) {
        const arb = shapeArbitrary(model, op.output, { ...XML, protoKeys: false });
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

/**
 * What HTTP and the Route 53 client carry of an input: no empty query lists, and no id that the client's id
 * normalizer would shorten (`/hostedzone/Z1` is sent as `Z1`).
 */
function carriableInput(model: ServiceModel, inputShape: string, input: Record<string, unknown>): Record<string, unknown> {
  const out = { ...input };
  for (const [name, m] of Object.entries(structureOf(model, inputShape).members)) {
    const v = out[name];
    if (m.location === 'query' && Array.isArray(v) && v.length === 0) delete out[name];
    if (typeof v === 'string' && /^\/(hostedzone|change|delegationset)\//.test(v)) out[name] = v.replace(/^\//, '');
  }
  return out;
}

/** The SDK's XML parser reads text that is only whitespace with a line break as ''; so do we, on both sides. */
function foldBlankText(value: unknown): unknown {
  if (typeof value === 'string') return value.trim() === '' && value.includes('\n') ? '' : value;
  if (Array.isArray(value)) return value.map(foldBlankText);
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      Object.defineProperty(out, k, {
        value: foldBlankText((value as Record<string, unknown>)[k]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/**
 * The Route 53 client always sends a ChangeBatch with Changes, and strips the id prefix of (and so needs) every
 * AliasTarget.HostedZoneId.
 */
function fillChangeBatch(input: Record<string, unknown>): Record<string, unknown> {
  const batch = (input.ChangeBatch ?? {}) as { Changes?: Array<{ ResourceRecordSet?: { AliasTarget?: object } }> };
  const Changes = (batch.Changes ?? []).map((change) => {
    const alias = change.ResourceRecordSet?.AliasTarget as { HostedZoneId?: string } | undefined;
    if (!alias) return change;
    const HostedZoneId = (alias.HostedZoneId ?? 'Z2FDTNDATAQYW2').replace(/^\/(hostedzone|change|delegationset)\//, '');
    return { ...change, ResourceRecordSet: { ...change.ResourceRecordSet, AliasTarget: { ...alias, HostedZoneId } } };
  });
  return { ...input, ChangeBatch: { ...batch, Changes } };
}

describeRest('restXml Route 53', route53Model, route53.Route53Client, [
  { name: 'CreateHostedZone', command: route53.CreateHostedZoneCommand },
  { name: 'ChangeResourceRecordSets', command: route53.ChangeResourceRecordSetsCommand, fill: fillChangeBatch },
  { name: 'ListResourceRecordSets', command: route53.ListResourceRecordSetsCommand },
  { name: 'ListHostedZones', command: route53.ListHostedZonesCommand },
  { name: 'GetHostedZone', command: route53.GetHostedZoneCommand },
  { name: 'ChangeTagsForResource', command: route53.ChangeTagsForResourceCommand },
]);
describeErrors(
  'restXml Route 53 errors',
  new Differential({ model: route53Model, codec, client: route53.Route53Client }),
  { name: 'ListHostedZones', command: route53.ListHostedZonesCommand },
  { runs: ERROR_RUNS, arbitraries: XML },
);

describeRest('restXml CloudFront', cloudfrontModel, cloudfront.CloudFrontClient, [
  { name: 'CreateDistribution', command: cloudfront.CreateDistributionCommand },
  { name: 'UpdateDistribution', command: cloudfront.UpdateDistributionCommand },
  { name: 'GetDistribution', command: cloudfront.GetDistributionCommand },
  { name: 'ListDistributions', command: cloudfront.ListDistributionsCommand },
  { name: 'CreateInvalidation', command: cloudfront.CreateInvalidationCommand },
]);
describeErrors(
  'restXml CloudFront errors',
  new Differential({ model: cloudfrontModel, codec, client: cloudfront.CloudFrontClient }),
  { name: 'ListDistributions', command: cloudfront.ListDistributionsCommand },
  { runs: ERROR_RUNS, arbitraries: XML },
);

// ---- Fixed documents.

const req = (method: string, path: string, body = '', headers: Record<string, string> = {}, rawQuery = '') => ({
  method,
  path,
  rawQuery,
  headers,
  body: Buffer.from(body),
});

describe('restXml wire details', () => {
  it('writes the input root with the service namespace and reads it back', () => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?><CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">' +
      '<Name>example.com.</Name><CallerReference>r&amp;1</CallerReference>' +
      '<HostedZoneConfig><Comment>a&#x0A;b</Comment><PrivateZone>true</PrivateZone></HostedZoneConfig>' +
      '</CreateHostedZoneRequest>';
    const { operation, input } = codec.decode(req('POST', '/2013-04-01/hostedzone', body), route53Model);
    expect(operation.name).toBe('CreateHostedZone');
    expect(input).toEqual({
      Name: 'example.com.',
      CallerReference: 'r&1',
      HostedZoneConfig: { Comment: 'a\nb', PrivateZone: true },
    });
  });

  it('answers with the output root element, the Location header and the 201', () => {
    const op = route53Model.operations.CreateHostedZone;
    if (!op) throw new Error('model');
    const res = codec.encodeOutput(
      route53Model,
      op,
      {
        Location: 'https://route53.amazonaws.com/2013-04-01/hostedzone/Z1',
        ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) },
        DelegationSet: { NameServers: ['ns-1.example', 'ns-2.example'] },
      },
      REQUEST_ID,
    );
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('https://route53.amazonaws.com/2013-04-01/hostedzone/Z1');
    expect(res.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><CreateHostedZoneResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">' +
        '<ChangeInfo><Id>/change/C1</Id><Status>PENDING</Status><SubmittedAt>2024-01-02T03:04:05Z</SubmittedAt></ChangeInfo>' +
        '<DelegationSet><NameServers><NameServer>ns-1.example</NameServer><NameServer>ns-2.example</NameServer></NameServers>' +
        '</DelegationSet></CreateHostedZoneResponse>',
    );
  });

  it('reads the If-Match header and the payload root of UpdateDistribution', () => {
    const body =
      '<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>c</CallerReference>' +
      '<Aliases><Quantity>2</Quantity><Items><CNAME>a.example</CNAME><CNAME>b.example</CNAME></Items></Aliases>' +
      '<Enabled>false</Enabled></DistributionConfig>';
    const { operation, input } = codec.decode(
      req('PUT', '/2020-05-31/distribution/E1/config', body, { 'if-match': 'ETAG1' }),
      cloudfrontModel,
    );
    expect(operation.name).toBe('UpdateDistribution');
    expect(input).toEqual({
      Id: 'E1',
      IfMatch: 'ETAG1',
      DistributionConfig: {
        CallerReference: 'c',
        Aliases: { Quantity: 2, Items: ['a.example', 'b.example'] },
        Enabled: false,
      },
    });
  });

  it('writes errors as an ErrorResponse the SDK reads by Code, with the shape status', () => {
    const res = codec.encodeError(route53Model, new ServiceError('NoSuchHostedZone', 'No hosted zone <Z1>'), REQUEST_ID);
    expect(res.status).toBe(404);
    expect(res.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">' +
        '<Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone &lt;Z1&gt;</Message></Error>' +
        `<RequestId>${REQUEST_ID}</RequestId></ErrorResponse>`,
    );
  });

  it('answers an unknown route with a 404 UnknownOperationException the SDK can read', async () => {
    let thrown: unknown;
    try {
      codec.decode(req('GET', '/2013-04-01/nowhere'), route53Model);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ServiceError);
    const res = codec.encodeError(route53Model, thrown as ServiceError, REQUEST_ID);
    const client = new route53.Route53Client({
      region: 'us-east-1',
      endpoint: 'http://localhost:4566',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      maxAttempts: 1,
      requestHandler: { handle: async () => ({ response: toSdkResponse(res) }) } as never,
    });
    const e = await client.send(new route53.ListHostedZonesCommand({})).catch((x: unknown) => x);
    client.destroy();
    expect(e).toMatchObject({ name: 'UnknownOperationException', message: (thrown as Error).message });
    expect((e as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(404);
  });

  it('rejects a body that is not XML with a SerializationException', () => {
    expect(() => codec.decode(req('POST', '/2013-04-01/hostedzone', 'not xml'), route53Model)).toThrow(
      expect.objectContaining({ code: 'SerializationException' }) as Error,
    );
  });
});

/** A model with the restXml traits Route 53 and CloudFront leave out, shaped after the Smithy spec's examples. */
const traitModel: ServiceModel = {
  name: 'traits',
  sdkId: 'Traits',
  namespace: 'example.traits',
  signingName: 'traits',
  protocol: 'restXml',
  version: '2024-01-01',
  xmlNamespace: 'https://example.com/doc/',
  operations: {
    PutThing: {
      name: 'PutThing',
      input: 'PutThingInput',
      output: 'PutThingOutput',
      http: { method: 'PUT', uri: '/things/{Key+}', code: 200 },
    },
  },
  shapes: {
    PutThingInput: {
      type: 'structure',
      xmlName: 'Thing',
      members: {
        Key: { shape: 'string', location: 'label' },
        Meta: { shape: 'Meta', location: 'headers', locationName: 'X-Meta-' },
        Id: { shape: 'string', xmlAttribute: true, xmlName: 'id' },
        Flat: { shape: 'Strings', xmlFlattened: true, xmlName: 'Item' },
        Wrapped: { shape: 'Strings' },
        Pairs: { shape: 'Pairs', xmlFlattened: true, xmlName: 'Pair' },
        Dict: { shape: 'Dict' },
        Other: { shape: 'Other', xmlNamespace: 'https://example.com/other/' },
        When: { shape: 'timestamp' },
        Epoch: { shape: 'timestamp', timestampFormat: 'epoch-seconds' },
      },
    },
    PutThingOutput: {
      type: 'structure',
      members: {
        Id: { shape: 'string', xmlAttribute: true, xmlName: 'id' },
        Flat: { shape: 'Strings', xmlFlattened: true, xmlName: 'Item' },
        Pairs: { shape: 'Pairs', xmlFlattened: true, xmlName: 'Pair' },
        Dict: { shape: 'Dict' },
        Other: { shape: 'Other', xmlNamespace: 'https://example.com/other/' },
        Meta: { shape: 'Meta', location: 'headers', locationName: 'X-Meta-' },
      },
    },
    Strings: { type: 'list', member: { shape: 'string', xmlName: 'S' } },
    Pairs: { type: 'map', key: { shape: 'string', xmlName: 'K' }, value: { shape: 'number', xmlName: 'V' } },
    Dict: { type: 'map', key: { shape: 'string' }, value: { shape: 'string' } },
    Meta: { type: 'map', key: { shape: 'string' }, value: { shape: 'string' } },
    Other: { type: 'structure', members: { Note: { shape: 'string' } } },
  },
  errors: [],
};

describe('restXml traits beyond Route 53 and CloudFront', () => {
  it('reads attributes, flattened and wrapped lists and maps, namespaces, prefix headers and a greedy label', () => {
    const body =
      '<Thing xmlns="https://example.com/doc/" id="t&amp;1"><Item>a</Item><Item>b</Item>' +
      '<Wrapped><S>c</S><S></S></Wrapped><Pair><K>x</K><V>1</V></Pair><Pair><K>y</K><V>2.5</V></Pair>' +
      '<Dict><entry><key>__proto__</key><value>p</value></entry><entry><key>k</key><value>v</value></entry></Dict>' +
      '<o:Other xmlns:o="https://example.com/other/"><o:Note>n</o:Note></o:Other>' +
      '<When>2024-01-02T03:04:05.678Z</When><Epoch>1700000000.123</Epoch></Thing>';
    const { input } = codec.decode(
      req('PUT', '/things/a/b%20c/d', body, { 'x-meta-color': 'red', 'x-other': 'no' }),
      traitModel,
    );
    const dict: Record<string, unknown> = {};
    Object.defineProperty(dict, '__proto__', { value: 'p', enumerable: true, writable: true, configurable: true });
    dict.k = 'v';
    expect(input).toEqual({
      Key: 'a/b c/d',
      Meta: { color: 'red' },
      Id: 't&1',
      Flat: ['a', 'b'],
      Wrapped: ['c', ''],
      Pairs: { x: 1, y: 2.5 },
      Dict: dict,
      Other: { Note: 'n' },
      When: new Date('2024-01-02T03:04:05.678Z'),
      Epoch: new Date(1700000000123),
    });
  });

  it('writes them the same way', () => {
    const op = traitModel.operations.PutThing;
    if (!op) throw new Error('model');
    const res = codec.encodeOutput(
      traitModel,
      op,
      { Id: 'a"b', Flat: ['1', '2'], Pairs: { x: 1 }, Dict: { k: 'v' }, Other: { Note: 'n' }, Meta: { Color: 'red' } },
      REQUEST_ID,
    );
    expect(res.headers['x-meta-color']).toBe('red');
    expect(res.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><PutThingOutput xmlns="https://example.com/doc/" id="a&quot;b">' +
        '<Item>1</Item><Item>2</Item><Pair><K>x</K><V>1</V></Pair>' +
        '<Dict><entry><key>k</key><value>v</value></entry></Dict>' +
        '<Other xmlns="https://example.com/other/"><Note>n</Note></Other></PutThingOutput>',
    );
  });
});
