// The generated tables against the schemas they come from: every member of every structure must have the kind the
// SDK gives it (scalar type, list or map of what, which structure). A codec driven by a wrong table is wrong on the wire.
import { createRequire } from 'node:module';
import { NormalizedSchema } from '@smithy/core/schema';
import { describe, expect, it } from 'vitest';
import { SERVICES } from '../../models/index.js';
import type { ServiceModel } from '../../models/types.js';

const require = createRequire(import.meta.url);

/** Our service name -> the @aws-sdk/client-* package suffix (as in scripts/codegen.ts). */
const PACKAGES: Record<keyof typeof SERVICES, string> = {
  sqs: 'sqs',
  sns: 'sns',
  eventbridge: 'eventbridge',
  scheduler: 'scheduler',
  pipes: 'pipes',
  stepfunctions: 'sfn',
  lambda: 'lambda',
  logs: 'cloudwatch-logs',
  apigateway: 'api-gateway',
  apigatewayv2: 'apigatewayv2',
  apigatewaymanagementapi: 'apigatewaymanagementapi',
  elbv2: 'elastic-load-balancing-v2',
  kinesis: 'kinesis',
  appsync: 'appsync',
  route53: 'route-53',
  cloudfront: 'cloudfront',
  cloudwatch: 'cloudwatch',
  sts: 'sts',
  iam: 'iam',
  schemas: 'schemas',
};

/** Known mismatches between our tables and the SDK's schemas: none; a new one fails this test. */
const KNOWN: readonly string[] = [];

function sdkKind(ns: NormalizedSchema): string {
  if (ns.isListSchema()) return `list<${sdkKind(ns.getValueSchema())}>`;
  if (ns.isMapSchema()) return `map<${sdkKind(ns.getValueSchema())}>`;
  if (ns.isStructSchema() || ns.isUnionSchema()) return ns.getName() ?? '?';
  if (ns.isTimestampSchema()) return 'timestamp';
  if (ns.isBlobSchema()) return 'blob';
  if (ns.isBooleanSchema()) return 'boolean';
  if (ns.isBigIntegerSchema()) return 'bigInteger';
  if (ns.isBigDecimalSchema()) return 'bigDecimal';
  if (ns.isNumericSchema()) return 'number';
  if (ns.isDocumentSchema()) return 'document';
  return 'string';
}

function ourKind(model: ServiceModel, shape: string): string {
  const s = model.shapes[shape];
  if (!s) return shape;
  if (s.type === 'list') return `list<${ourKind(model, s.member.shape)}>`;
  if (s.type === 'map') return `map<${ourKind(model, s.value.shape)}>`;
  return shape;
}

describe('generated models', () => {
  it('give every structure member the kind its SDK schema has', async () => {
    const found: string[] = [];
    for (const name of Object.keys(SERVICES) as (keyof typeof SERVICES)[]) {
      const model = await SERVICES[name].load();
      const client = require(`@aws-sdk/client-${PACKAGES[name]}`) as Record<string, unknown>;
      for (const [exportName, value] of Object.entries(client)) {
        // Structure (3), union (4) and error (-3) schemas are exported as `Name$` arrays.
        if (!exportName.endsWith('$') || !Array.isArray(value) || ![3, 4, -3].includes(value[0] as number)) continue;
        const ns = NormalizedSchema.of(value as never);
        const ours = model.shapes[ns.getName() ?? ''];
        if (!ours || ours.type === 'list' || ours.type === 'map') continue;
        for (const [memberName, memberSchema] of ns.structIterator()) {
          const m = ours.members[memberName];
          const sdk = sdkKind(memberSchema);
          const our = m ? ourKind(model, m.shape) : 'missing';
          if (sdk !== our) found.push(`${name} ${ns.getName()}.${memberName}: sdk ${sdk}, ours ${our}`);
        }
      }
    }
    expect(found.sort()).toEqual([...KNOWN].sort());
  });
});
