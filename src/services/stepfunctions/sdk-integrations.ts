// AWS SDK service integrations (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html):
// `arn:aws:states:::aws-sdk:SERVICE:ACTION` calls ACTION of a Switchyard service in process, through the same
// operations table the wire protocols use. Parameters are the SDK's input in PascalCase; the result is the SDK's
// output in PascalCase with timestamps as ISO 8601 strings; an API error fails the task with `Service.CodeException`.

import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost } from '../../core/provider.js';
import { SERVICES, type ServiceName } from '../../models/index.js';
import type { MemberModel, ServiceModel, Shape } from '../../models/types.js';
import { StatesError, StatesErrors } from './asl/errors.js';
import type { Json, JsonObject } from './asl/json.js';
import { isJsonObject } from './asl/json.js';

/** The SDK service names Step Functions uses in aws-sdk ARNs, by Switchyard service, and their error prefixes. */
const SDK_SERVICES: Readonly<Record<string, { readonly service: ServiceName; readonly prefix: string }>> = {
  sqs: { service: 'sqs', prefix: 'Sqs' },
  sns: { service: 'sns', prefix: 'Sns' },
  eventbridge: { service: 'eventbridge', prefix: 'EventBridge' },
  scheduler: { service: 'scheduler', prefix: 'Scheduler' },
  pipes: { service: 'pipes', prefix: 'Pipes' },
  sfn: { service: 'stepfunctions', prefix: 'Sfn' },
  lambda: { service: 'lambda', prefix: 'Lambda' },
  cloudwatchlogs: { service: 'logs', prefix: 'CloudWatchLogs' },
  apigateway: { service: 'apigateway', prefix: 'ApiGateway' },
  apigatewayv2: { service: 'apigatewayv2', prefix: 'ApiGatewayV2' },
  apigatewaymanagementapi: { service: 'apigatewaymanagementapi', prefix: 'ApiGatewayManagementApi' },
  elasticloadbalancingv2: { service: 'elbv2', prefix: 'ElasticLoadBalancingV2' },
  kinesis: { service: 'kinesis', prefix: 'Kinesis' },
  appsync: { service: 'appsync', prefix: 'AppSync' },
  route53: { service: 'route53', prefix: 'Route53' },
  cloudfront: { service: 'cloudfront', prefix: 'CloudFront' },
  cloudwatch: { service: 'cloudwatch', prefix: 'CloudWatch' },
  sts: { service: 'sts', prefix: 'Sts' },
  iam: { service: 'iam', prefix: 'Iam' },
  schemas: { service: 'schemas', prefix: 'Schemas' },
};

export interface CallContext {
  readonly host: ServiceHost;
  readonly account: string;
  readonly region: string;
}

/** A request context for an in-process call made on behalf of an execution, in its account and region. */
export function internalRequestContext(ctx: CallContext, protocol: string): RequestContext {
  const url = safeUrl(ctx.host.endpoint);
  return {
    requestId: randomUUID(),
    account: ctx.account,
    region: ctx.region,
    host: url?.host ?? 'localhost:4566',
    scheme: url?.protocol.replace(':', '') ?? 'http',
    protocol,
    clock: ctx.host.clock,
    log: ctx.host.log,
    signal: new AbortController().signal,
  };
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** Calls an operation of a Switchyard service by its model name with an SDK-shaped input; ServiceErrors pass through. */
export async function callOperation(ctx: CallContext, service: ServiceName, operation: string, input: unknown): Promise<unknown> {
  const provider = await ctx.host.provider(service);
  const handler = provider?.operations[operation] as ((c: RequestContext, i: unknown) => unknown) | undefined;
  if (!handler) {
    throw new StatesError(StatesErrors.TaskFailed, `Switchyard does not implement ${operation} of ${service}`);
  }
  return handler(internalRequestContext(ctx, SERVICES[service].protocol), input);
}

/** Runs `arn:aws:states:::aws-sdk:SERVICE:ACTION` with the task's parameters. */
export async function runSdkIntegration(sdkService: string, action: string, parameters: Json, ctx: CallContext): Promise<Json> {
  const entry = SDK_SERVICES[sdkService];
  if (!entry) {
    throw new StatesError(StatesErrors.TaskFailed, `Switchyard does not implement the AWS SDK integration for the service '${sdkService}'`);
  }
  const model = await SERVICES[entry.service].load();
  const operation = Object.keys(model.operations).find((name) => name.toLowerCase() === action.toLowerCase());
  if (operation === undefined) {
    throw new StatesError(StatesErrors.Runtime, `The action '${action}' is not an action of the service '${sdkService}'`);
  }
  const inputShape = model.operations[operation]?.input;
  const input = inputShape === undefined ? {} : fromParameters(model, inputShape, parameters);
  let output: unknown;
  try {
    output = await callOperation(ctx, entry.service, operation, input);
  } catch (err) {
    if (err instanceof ServiceError) throw sdkError(entry.prefix, err);
    throw err;
  }
  return sdkResult(output, model, model.operations[operation]?.output) ?? {};
}

/** `Sqs.QueueDoesNotExistException`: the service's prefix and the SDK's exception class name. */
function sdkError(prefix: string, err: ServiceError): StatesError {
  const code = err.code.includes('.') ? (err.code.split('.').pop() as string) : err.code;
  const name = code.endsWith('Exception') ? code : `${code}Exception`;
  return new StatesError(
    `${prefix}.${name}`,
    `${err.message} (Service: ${prefix}, Status Code: ${err.status}, Request ID: ${randomUUID()})`,
  );
}

/** Task parameters (PascalCase) as the SDK input: member names as the model spells them, timestamps as Dates. */
function fromParameters(model: ServiceModel, shapeName: string, value: Json): unknown {
  const shape: Shape | undefined = model.shapes[shapeName];
  if (shape === undefined) {
    if (shapeName === 'timestamp' && (typeof value === 'string' || typeof value === 'number')) {
      return new Date(typeof value === 'number' ? value * 1000 : value);
    }
    if (shapeName === 'blob' && typeof value === 'string') return Buffer.from(value, 'utf8');
    return value;
  }
  if (shape.type === 'list') return Array.isArray(value) ? value.map((v) => fromMember(model, shape.member, v)) : value;
  if (shape.type === 'map') {
    if (!isJsonObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromMember(model, shape.value, v);
    return out;
  }
  if (!isJsonObject(value)) return value;
  const out: Record<string, unknown> = {};
  const members = Object.entries(shape.members);
  for (const [k, v] of Object.entries(value)) {
    const member = members.find(([name]) => name.toLowerCase() === k.toLowerCase());
    if (member) out[member[0]] = fromMember(model, member[1], v);
    else out[k] = v;
  }
  return out;
}

function fromMember(model: ServiceModel, member: MemberModel, value: Json): unknown {
  return fromParameters(model, member.shape, value);
}

/**
 * An SDK output as the task result: member names in PascalCase (map keys as they are), Dates as ISO 8601, bytes as
 * text, undefined members left out. Follows the model where it knows the shape.
 */
export function sdkResult(value: unknown, model?: ServiceModel, shapeName?: string): Json | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  const shape = model !== undefined && shapeName !== undefined ? model.shapes[shapeName] : undefined;
  if (Array.isArray(value)) {
    const member = shape?.type === 'list' ? shape.member.shape : undefined;
    return value.map((v) => sdkResult(v, model, member) ?? null);
  }
  if (typeof value !== 'object') return undefined;
  const entries = value instanceof Map ? [...(value as Map<string, unknown>)] : Object.entries(value as Record<string, unknown>);
  const out: JsonObject = {};
  for (const [k, v] of entries) {
    if (shape?.type === 'map') {
      const converted = sdkResult(v, model, shape.value.shape);
      if (converted !== undefined) out[k] = converted;
      continue;
    }
    const member = shape?.type === 'structure' || shape?.type === 'union' ? shape.members[k]?.shape : undefined;
    const converted = sdkResult(v, model, member);
    if (converted !== undefined) out[k.charAt(0).toUpperCase() + k.slice(1)] = converted;
  }
  return out;
}

export const sdkErrorOf = sdkError;
