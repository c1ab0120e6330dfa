// Generates src/models/<service>.ts from the operation and shape schemas that the pinned @aws-sdk/client-*
// packages ship, so the runtime needs neither the SDK nor @smithy internals to speak each service's protocol.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { NormalizedSchema } from '@smithy/core/schema';
import type {
  ErrorTraits,
  MemberModel,
  OperationModel,
  ServiceModel,
  Shape,
  TimestampFormat,
  WireProtocol,
} from '../src/models/types.js';

const require = createRequire(import.meta.url);

/** Our service name -> the client package suffix. */
const SERVICES: ReadonlyArray<readonly [string, string]> = [
  ['sqs', 'sqs'],
  ['sns', 'sns'],
  ['eventbridge', 'eventbridge'],
  ['scheduler', 'scheduler'],
  ['pipes', 'pipes'],
  ['stepfunctions', 'sfn'],
  ['lambda', 'lambda'],
  ['logs', 'cloudwatch-logs'],
  ['apigateway', 'api-gateway'],
  ['apigatewayv2', 'apigatewayv2'],
  ['apigatewaymanagementapi', 'apigatewaymanagementapi'],
  ['elbv2', 'elastic-load-balancing-v2'],
  ['kinesis', 'kinesis'],
  ['appsync', 'appsync'],
  ['route53', 'route-53'],
  ['cloudfront', 'cloudfront'],
  ['cloudwatch', 'cloudwatch'],
  ['sts', 'sts'],
  ['iam', 'iam'],
  ['schemas', 'schemas'],
];

const PROTOCOLS: Record<string, WireProtocol> = {
  AwsJson1_0Protocol: 'awsJson1_0',
  AwsJson1_1Protocol: 'awsJson1_1',
  AwsQueryProtocol: 'awsQuery',
  AwsRestJsonProtocol: 'restJson1',
  AwsRestXmlProtocol: 'restXml',
};

type Traits = Record<string, unknown>;
interface ClientConfig {
  protocol: object;
  protocolSettings: Record<string, unknown>;
  serviceId: string;
  apiVersion: string;
  defaultSigningName?: string;
}
type Schema = ReturnType<typeof NormalizedSchema.of>;

function generate(name: string, pkg: string): ServiceModel {
  const client = require(`@aws-sdk/client-${pkg}`) as Record<string, unknown>;
  const ClientClass = Object.entries(client).find(
    ([k, v]) => k.endsWith('Client') && typeof v === 'function' && !k.startsWith('_'),
  )?.[1] as (new (c: object) => { config: ClientConfig }) | undefined;
  if (!ClientClass) throw new Error(`${pkg}: no client class`);
  const cfg = new ClientClass({ region: 'us-east-1' }).config;
  const protocol = PROTOCOLS[cfg.protocol.constructor.name];
  if (!protocol) throw new Error(`${pkg}: unknown protocol ${cfg.protocol.constructor.name}`);
  const signingName = cfg.defaultSigningName;
  if (!signingName) throw new Error(`${pkg}: no signing name`);
  const settings = cfg.protocolSettings;

  const shapes: Record<string, Shape> = {};
  const errors: string[] = [];
  const operations: Record<string, OperationModel> = {};

  const shortName = (ns: Schema): string => {
    const full = ns.getName(true) ?? '';
    return full.includes('#') ? full.slice(full.indexOf('#') + 1) : full;
  };

  const timestampFormat = (ns: Schema, traits: Traits): TimestampFormat | undefined => {
    const t = traits.timestampFormat;
    if (t === 'date-time' || t === 'http-date' || t === 'epoch-seconds') return t;
    const sc = ns.getSchema();
    if (sc === 5) return 'date-time';
    if (sc === 6) return 'http-date';
    if (sc === 7) return 'epoch-seconds';
    return undefined;
  };

  const scalarName = (ns: Schema): string => {
    if (ns.isBlobSchema()) return 'blob';
    if (ns.isTimestampSchema()) return 'timestamp';
    if (ns.isBooleanSchema()) return 'boolean';
    if (ns.isBigIntegerSchema()) return 'bigInteger';
    if (ns.isBigDecimalSchema()) return 'bigDecimal';
    if (ns.isNumericSchema()) return 'number';
    if (ns.isDocumentSchema()) return 'document';
    return 'string';
  };

  const member = (ns: Schema): MemberModel => {
    const traits = ns.getMergedTraits() as Traits;
    const m: { -readonly [K in keyof MemberModel]: MemberModel[K] } = { shape: shapeRef(ns) };
    if (typeof traits.jsonName === 'string') m.jsonName = traits.jsonName;
    if (typeof traits.xmlName === 'string') m.xmlName = traits.xmlName;
    if (traits.xmlFlattened) m.xmlFlattened = true;
    if (traits.xmlAttribute) m.xmlAttribute = true;
    if (Array.isArray(traits.xmlNamespace)) m.xmlNamespace = String(traits.xmlNamespace[1] ?? traits.xmlNamespace[0]);
    if (typeof traits.httpHeader === 'string') {
      m.location = 'header';
      m.locationName = traits.httpHeader;
    } else if (typeof traits.httpPrefixHeaders === 'string') {
      m.location = 'headers';
      m.locationName = traits.httpPrefixHeaders;
    } else if (typeof traits.httpQuery === 'string') {
      m.location = 'query';
      m.locationName = traits.httpQuery;
    } else if (traits.httpQueryParams) {
      m.location = 'queryParams';
    } else if (traits.httpLabel) {
      m.location = 'label';
    } else if (traits.httpPayload) {
      m.location = 'payload';
    } else if (traits.httpResponseCode) {
      m.location = 'statusCode';
    }
    if (ns.isTimestampSchema()) {
      const f = timestampFormat(ns, traits);
      if (f) m.timestampFormat = f;
    }
    if (traits.mediaType === 'application/json' && ns.isStringSchema()) m.jsonValue = true;
    if (ns.isStreaming()) m.streaming = true;
    if (traits.idempotencyToken) m.idempotencyToken = true;
    if (traits.hostLabel) m.hostLabel = true;
    return m;
  };

  const shapeRef = (ns: Schema): string => {
    if (!ns.isStructSchema() && !ns.isUnionSchema() && !ns.isListSchema() && !ns.isMapSchema()) return scalarName(ns);
    // A list or map written inline in the SDK schema (a number such as `128 | 1`) has no name of its own: name it by
    // its element types, so that two members of the same name but different types do not share one shape.
    if ((ns.isListSchema() || ns.isMapSchema()) && typeof ns.getSchema() === 'number') {
      const key = ns.isListSchema()
        ? `List<${shapeRef(ns.getValueSchema())}>`
        : `Map<${shapeRef(ns.getKeySchema())},${shapeRef(ns.getValueSchema())}>`;
      if (!shapes[key]) {
        shapes[key] = ns.isListSchema()
          ? { type: 'list', member: member(ns.getValueSchema()) }
          : { type: 'map', key: member(ns.getKeySchema()), value: member(ns.getValueSchema()) };
      }
      return key;
    }
    const key = shortName(ns);
    if (shapes[key]) return key;
    if (ns.isListSchema()) {
      const placeholder: { type: 'list'; member: MemberModel; sparse?: boolean } = { type: 'list', member: { shape: 'string' } };
      shapes[key] = placeholder;
      placeholder.member = member(ns.getValueSchema());
      if ((ns.getOwnTraits() as Traits).sparse) placeholder.sparse = true;
      return key;
    }
    if (ns.isMapSchema()) {
      const placeholder: { type: 'map'; key: MemberModel; value: MemberModel; sparse?: boolean } = {
        type: 'map',
        key: { shape: 'string' },
        value: { shape: 'string' },
      };
      shapes[key] = placeholder;
      placeholder.key = member(ns.getKeySchema());
      placeholder.value = member(ns.getValueSchema());
      if ((ns.getOwnTraits() as Traits).sparse) placeholder.sparse = true;
      return key;
    }
    const own = ns.getOwnTraits() as Traits;
    const members: Record<string, MemberModel> = {};
    const struct: { -readonly [K in keyof Shape]: unknown } & Record<string, unknown> = {
      type: ns.isUnionSchema() ? 'union' : 'structure',
      members,
    };
    shapes[key] = struct as unknown as Shape;
    if (typeof own.xmlName === 'string') struct.xmlName = own.xmlName;
    if (Array.isArray(own.xmlNamespace)) struct.xmlNamespace = String(own.xmlNamespace[1] ?? own.xmlNamespace[0]);
    if (own.error === 'client' || own.error === 'server') {
      const e: { -readonly [K in keyof ErrorTraits]: ErrorTraits[K] } = { fault: own.error };
      if (typeof own.httpError === 'number') e.httpStatus = own.httpError;
      if (Array.isArray(own.awsQueryError)) {
        e.queryCode = String(own.awsQueryError[0]);
        e.queryStatus = Number(own.awsQueryError[1]);
      }
      struct.error = e;
    }
    for (const [memberName, memberSchema] of ns.structIterator()) members[memberName] = member(memberSchema);
    return key;
  };

  for (const [exportName, value] of Object.entries(client)) {
    if (!exportName.endsWith('$') || !Array.isArray(value)) continue;
    if (value[0] === -3) {
      const ns = NormalizedSchema.of(value as never);
      const key = shapeRef(ns);
      if (!key.endsWith('ServiceException')) errors.push(key);
    }
  }
  for (const [exportName, value] of Object.entries(client)) {
    if (!exportName.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
    const [, , opName, traits, input, output] = value as [number, string, string, Traits, () => unknown, () => unknown];
    const op: { -readonly [K in keyof OperationModel]: OperationModel[K] } = { name: opName };
    const inSchema = NormalizedSchema.of(input() as never);
    const outSchema = NormalizedSchema.of(output() as never);
    if (!inSchema.isUnitSchema()) op.input = shapeRef(inSchema);
    if (!outSchema.isUnitSchema()) op.output = shapeRef(outSchema);
    const http = traits && typeof traits === 'object' ? (traits).http : undefined;
    if (Array.isArray(http)) op.http = { method: String(http[0]), uri: String(http[1]), code: Number(http[2]) };
    const endpoint = traits && typeof traits === 'object' ? (traits).endpoint : undefined;
    if (Array.isArray(endpoint) && typeof endpoint[0] === 'string') op.hostPrefix = endpoint[0];
    operations[opName] = op;
  }

  const sortedShapes: Record<string, Shape> = {};
  for (const k of Object.keys(shapes).sort()) sortedShapes[k] = shapes[k] as Shape;
  const sortedOps: Record<string, OperationModel> = {};
  for (const k of Object.keys(operations).sort()) sortedOps[k] = operations[k] as OperationModel;

  const model: { -readonly [K in keyof ServiceModel]: ServiceModel[K] } = {
    name,
    sdkId: cfg.serviceId,
    namespace: String(settings.defaultNamespace),
    signingName,
    protocol,
    version: String(settings.version ?? cfg.apiVersion),
    operations: sortedOps,
    shapes: sortedShapes,
    errors: errors.sort(),
  };
  if (protocol === 'awsJson1_0' || protocol === 'awsJson1_1') model.targetPrefix = String(settings.serviceTarget);
  if (typeof settings.xmlNamespace === 'string') model.xmlNamespace = settings.xmlNamespace;
  if (settings.awsQueryCompatible) model.awsQueryCompatible = true;
  return model;
}

/** The literal start of a REST operation's path: one segment, or two when the first is a version (`/2015-03-31/functions`). */
function pathPrefix(uri: string): string | undefined {
  const segments = uri.split('?')[0]?.split('/').filter(Boolean) ?? [];
  const out: string[] = [];
  for (const seg of segments) {
    if (seg.includes('{')) break;
    out.push(seg);
    if (!/^(v\d+|\d{4}-\d{2}-\d{2})$/.test(seg)) break;
  }
  return out.length ? `/${out.join('/')}` : undefined;
}

const pkgJson = require('../package.json') as { devDependencies: Record<string, string> };
const index: string[] = [];
const prefixOwners = new Map<string, Set<string>>();
for (const [name, pkg] of SERVICES) {
  const model = generate(name, pkg);
  const version = pkgJson.devDependencies[`@aws-sdk/client-${pkg}`];
  const file = `src/models/${name}.ts`;
  // JSON.parse of one string literal loads faster than the same object literal in V8.
  writeFileSync(
    file,
    `// Generated by \`npm run codegen\` from @aws-sdk/client-${pkg}@${version}. Do not edit.\n` +
      `import type { ServiceModel } from './types.js';\n\n` +
      `export const model: ServiceModel = JSON.parse(${JSON.stringify(JSON.stringify(model))}) as ServiceModel;\n`,
  );
  index.push(
    `  ${JSON.stringify(name)}: { signingName: ${JSON.stringify(model.signingName)}, protocol: ${JSON.stringify(model.protocol)}, ` +
      `version: ${JSON.stringify(model.version)}, targetPrefix: ${JSON.stringify(model.targetPrefix ?? null)}, ` +
      `load: async () => (await import('./${name}.js')).model },`,
  );
  if (model.protocol === 'restJson1' || model.protocol === 'restXml') {
    for (const op of Object.values(model.operations)) {
      const prefix = op.http ? pathPrefix(op.http.uri) : undefined;
      if (!prefix) continue;
      const owners = prefixOwners.get(prefix) ?? new Set<string>();
      owners.add(name);
      prefixOwners.set(prefix, owners);
    }
  }
  console.log(`${file}: ${Object.keys(model.operations).length} operations, ${Object.keys(model.shapes).length} shapes`);
}
writeFileSync(
  'src/models/index.ts',
  `// Generated by \`npm run codegen\`. Do not edit.\n` +
    `// What the router needs to know of every service without loading its model; models load on first use.\n` +
    `import type { ServiceModel, WireProtocol } from './types.js';\n\n` +
    `export interface ServiceEntry {\n  readonly signingName: string;\n  readonly protocol: WireProtocol;\n  readonly version: string;\n` +
    `  readonly targetPrefix: string | null;\n  readonly load: () => Promise<ServiceModel>;\n}\n\n` +
    `export const SERVICES = {\n${index.join('\n')}\n} satisfies Record<string, ServiceEntry>;\n\n` +
    `export type ServiceName = keyof typeof SERVICES;\n\n` +
    `/** Unsigned REST requests: the literal start of each operation path that only one service uses. */\n` +
    `export const REST_PATH_PREFIXES: Readonly<Record<string, ServiceName>> = {\n` +
    [...prefixOwners]
      .filter(([, owners]) => owners.size === 1)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([prefix, owners]) => `  ${JSON.stringify(prefix)}: ${JSON.stringify([...owners][0])},\n`)
      .join('') +
    `};\n`,
);
