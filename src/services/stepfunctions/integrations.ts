// Task resources: activities, and the service integrations
// (https://docs.aws.amazon.com/step-functions/latest/dg/integrate-optimized.html) that Switchyard can reach in
// process. An integration we cannot run fails its task with States.TaskFailed and a cause that names it.
import { randomUUID } from 'node:crypto';
import { parseArn } from '../../core/arn.js';
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost } from '../../core/provider.js';
import type { InternalSendMessage, SqsInternal } from '../sqs/internal.js';
import { StatesError, StatesErrors } from './asl/errors.js';
import { isJsonObject, toJsonText, type Json, type JsonObject } from './asl/json.js';
import { httpInvoke } from './http-task.js';
import { callOperation, runSdkIntegration, sdkResult } from './sdk-integrations.js';
import type { ExecutionRecord } from './store.js';

export type IntegrationPattern = 'response' | 'sync' | 'waitForTaskToken';

export type TaskResource =
  | { readonly kind: 'activity'; readonly arn: string }
  /** A Lambda function ARN as the resource: the LambdaFunction* events, the function's output as the result. */
  | { readonly kind: 'function'; readonly arn: string }
  | {
      readonly kind: 'service';
      /** As the history names it: `sqs`, `lambda`, `aws-sdk:s3` ... */
      readonly resourceType: string;
      /** The action with its pattern suffix, as the history names it: `sendMessage.waitForTaskToken`. */
      readonly resource: string;
      readonly action: string;
      readonly pattern: IntegrationPattern;
      /** `.sync:2`: the nested execution's input and output as JSON rather than text. */
      readonly syncJson?: boolean;
      readonly arn: string;
    };

export function parseTaskResource(arn: string): TaskResource {
  const parsed = parseArn(arn);
  if (parsed?.service === 'states' && parsed.resource.startsWith('activity:')) return { kind: 'activity', arn };
  if (parsed?.service === 'lambda') return { kind: 'function', arn };
  const full = parsed?.resource ?? arn;
  const syncJson = full.endsWith('.sync:2');
  const resource = syncJson ? full.slice(0, -2) : full;
  const cut = resource.lastIndexOf(':');
  const resourceType = cut < 0 ? resource : resource.slice(0, cut);
  const rest = cut < 0 ? '' : resource.slice(cut + 1);
  const dot = rest.indexOf('.');
  const action = dot < 0 ? rest : rest.slice(0, dot);
  const suffix = dot < 0 ? '' : rest.slice(dot + 1);
  const pattern: IntegrationPattern = suffix === 'waitForTaskToken' ? 'waitForTaskToken' : suffix.startsWith('sync') ? 'sync' : 'response';
  return { kind: 'service', resourceType, resource: syncJson ? `${rest}:2` : rest, action, pattern, ...(syncJson ? { syncJson } : {}), arn };
}

export interface IntegrationContext {
  readonly host: ServiceHost;
  readonly account: string;
  readonly region: string;
  /** Starts nested executions (`states:startExecution`). */
  readonly executions?: NestedExecutions;
  /** Aborts when the calling task's thread ends (a nested .sync execution is then stopped). */
  readonly signal?: AbortSignal;
}

/** What the nested Step Functions integration needs of the provider. */
export interface NestedExecutions {
  /** Starts an execution of a state machine (or version or alias) ARN; throws the API's ServiceError. */
  start(stateMachineArn: string, name: string | undefined, input: string): ExecutionRecord;
}

/** Calls the service; the result is the task's result (or, for waitForTaskToken, TaskSubmitted's output). */
export async function runServiceIntegration(
  resource: Extract<TaskResource, { kind: 'service' }>,
  parameters: Json,
  ctx: IntegrationContext,
): Promise<Json> {
  if (resource.resourceType === 'sqs' && resource.action === 'sendMessage' && resource.pattern !== 'sync') {
    return sqsSendMessage(parameters, ctx);
  }
  if (resource.resourceType === 'lambda' && resource.action === 'invoke' && resource.pattern !== 'sync') {
    return lambdaInvoke(parameters, resource.pattern === 'waitForTaskToken', ctx);
  }
  if (resource.resourceType === 'sns' && resource.action === 'publish' && resource.pattern !== 'sync') {
    return snsPublish(parameters, ctx);
  }
  if (resource.resourceType === 'events' && resource.action === 'putEvents' && resource.pattern !== 'sync') {
    return eventsPutEvents(parameters, ctx);
  }
  if (resource.resourceType === 'states' && resource.action === 'startExecution') {
    return statesStartExecution(parameters, resource.pattern, resource.syncJson === true, ctx);
  }
  // AWS SDK integrations support Request Response and .waitForTaskToken, not .sync.
  if (resource.resourceType.startsWith('aws-sdk:') && resource.pattern !== 'sync') {
    return runSdkIntegration(resource.resourceType.slice('aws-sdk:'.length), resource.action, parameters, ctx);
  }
  if (resource.resourceType === 'http' && resource.action === 'invoke' && resource.pattern === 'response') {
    return httpInvoke(parameters, ctx);
  }
  throw new StatesError(
    StatesErrors.TaskFailed,
    `Switchyard does not support the task resource '${resource.arn}' yet`,
  );
}

async function sqsSendMessage(parameters: Json, ctx: IntegrationContext): Promise<Json> {
  const sqs = (await ctx.host.provider('sqs'))?.internal as SqsInternal | undefined;
  if (!sqs) throw new StatesError(StatesErrors.TaskFailed, 'The SQS service is not available in this Switchyard');
  const p: JsonObject = isJsonObject(parameters) ? parameters : {};
  const queueUrl = p.QueueUrl;
  const body = p.MessageBody;
  if (typeof queueUrl !== 'string' || body === undefined) {
    throw sqsError('MissingParameter', 'The request must contain the parameters QueueUrl and MessageBody.', 400);
  }
  const message: InternalSendMessage = {
    body: typeof body === 'string' ? body : toJsonText(body),
    ...(typeof p.MessageGroupId === 'string' ? { groupId: p.MessageGroupId } : {}),
    ...(typeof p.MessageDeduplicationId === 'string' ? { deduplicationId: p.MessageDeduplicationId } : {}),
    ...(typeof p.DelaySeconds === 'number' ? { delaySeconds: p.DelaySeconds } : {}),
    ...(isJsonObject(p.MessageAttributes)
      ? { attributes: p.MessageAttributes as unknown as NonNullable<InternalSendMessage['attributes']> }
      : {}),
  };
  try {
    const sent = sqs.sendMessage(ctx.account, ctx.region, queueUrl, message);
    const out: JsonObject = { MD5OfMessageBody: sent.md5OfBody, MessageId: sent.messageId };
    if (sent.sequenceNumber !== undefined) out.SequenceNumber = sent.sequenceNumber;
    return out;
  } catch (err) {
    if (err instanceof ServiceError) throw sqsError(err.queryCode ?? err.code, err.message, err.status);
    throw err;
  }
}

/** How AWS reports an SQS error inside a task: the SDK's exception name and its message with the request details. */
function sqsError(code: string, message: string, status: number): StatesError {
  return new StatesError(
    'SQS.AmazonSQSException',
    `${message} (Service: AmazonSQS; Status Code: ${status}; Error Code: ${code}; Request ID: ${randomUUID()}; Proxy: null)`,
  );
}

// ---- Lambda ----

/** What Step Functions needs of Lambda's internal interface (LambdaInternal in services/lambda). */
interface LambdaInvoker {
  invoke(
    arn: string,
    payload: string | Uint8Array,
    options?: { readonly qualifier?: string },
  ): Promise<{ readonly payload: Uint8Array; readonly functionError?: string; readonly executedVersion: string; readonly requestId: string }>;
  deliver(arn: string, message: { readonly body: string }, source: { account: string; region: string; service: string }): Promise<{ readonly id?: string }>;
}

async function lambdaOf(ctx: IntegrationContext): Promise<LambdaInvoker> {
  const lambda = (await ctx.host.provider('lambda'))?.internal as Partial<LambdaInvoker> | undefined;
  if (!lambda?.invoke || !lambda.deliver) {
    throw new StatesError(StatesErrors.TaskFailed, 'The Lambda service is not available in this Switchyard');
  }
  return lambda as LambdaInvoker;
}

/** A function name, partial ARN or ARN, as a full ARN in the execution's account and region. */
function functionArn(name: string, ctx: IntegrationContext): string {
  if (name.startsWith('arn:')) return name;
  return `arn:aws:lambda:${ctx.region}:${ctx.account}:function:${name}`;
}

function parsePayload(bytes: Uint8Array): Json {
  const text = Buffer.from(bytes).toString('utf8');
  if (text === '') return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/** A function error as Step Functions reports it: the errorType as the error, the payload as the cause. */
function functionFailure(payload: Uint8Array, functionError: string): StatesError {
  const parsed = parsePayload(payload);
  const errorType = isJsonObject(parsed) && typeof parsed.errorType === 'string' ? parsed.errorType : functionError;
  return new StatesError(errorType, Buffer.from(payload).toString('utf8'));
}

function lambdaServiceError(err: ServiceError): StatesError {
  return new StatesError(
    `Lambda.${err.code}`,
    `${err.message} (Service: AWSLambda; Status Code: ${err.status}; Error Code: ${err.code}; Request ID: ${randomUUID()}; Proxy: null)`,
  );
}

async function lambdaInvoke(parameters: Json, async: boolean, ctx: IntegrationContext): Promise<Json> {
  const lambda = await lambdaOf(ctx);
  const p: JsonObject = isJsonObject(parameters) ? parameters : {};
  if (typeof p.FunctionName !== 'string') {
    throw new StatesError(StatesErrors.Runtime, "The field 'FunctionName' is required for lambda:invoke");
  }
  const arn = functionArn(p.FunctionName, ctx);
  const payload = p.Payload === undefined ? '{}' : typeof p.Payload === 'string' ? p.Payload : toJsonText(p.Payload);
  try {
    if (async || p.InvocationType === 'Event') {
      const sent = await lambda.deliver(arn, { body: payload }, { account: ctx.account, region: ctx.region, service: 'stepfunctions' });
      return {
        Payload: '',
        SdkHttpMetadata: { HttpStatusCode: 202 },
        SdkResponseMetadata: { RequestId: sent.id ?? randomUUID() },
        StatusCode: 202,
      };
    }
    const out = await lambda.invoke(arn, payload, typeof p.Qualifier === 'string' ? { qualifier: p.Qualifier } : {});
    if (out.functionError !== undefined) throw functionFailure(out.payload, out.functionError);
    return {
      ExecutedVersion: out.executedVersion,
      Payload: parsePayload(out.payload),
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: out.requestId },
      StatusCode: 200,
    };
  } catch (err) {
    if (err instanceof ServiceError) throw lambdaServiceError(err);
    throw err;
  }
}

/** A Lambda function ARN as the Resource: the function's output is the result. */
export async function invokeFunction(arn: string, input: Json, ctx: IntegrationContext): Promise<Json> {
  const lambda = await lambdaOf(ctx);
  try {
    const out = await lambda.invoke(arn, toJsonText(input));
    if (out.functionError !== undefined) throw functionFailure(out.payload, out.functionError);
    return parsePayload(out.payload);
  } catch (err) {
    if (err instanceof ServiceError) throw lambdaServiceError(err);
    throw err;
  }
}

// ---- SNS, EventBridge and nested Step Functions ----

/** An error of an optimised integration: `SNS.NotFoundException`, with the request details AWS appends. */
function optimisedError(prefix: string, serviceName: string, err: ServiceError): StatesError {
  const code = err.code.includes('.') ? (err.code.split('.').pop() as string) : err.code;
  return new StatesError(
    `${prefix}.${code.endsWith('Exception') ? code : `${code}Exception`}`,
    `${err.message} (Service: ${serviceName}; Status Code: ${err.status}; Error Code: ${code}; Request ID: ${randomUUID()}; Proxy: null)`,
  );
}

async function snsPublish(parameters: Json, ctx: IntegrationContext): Promise<Json> {
  const p: JsonObject = isJsonObject(parameters) ? { ...parameters } : {};
  if (p.Message !== undefined && typeof p.Message !== 'string') p.Message = toJsonText(p.Message);
  try {
    return sdkResult(await callOperation(ctx, 'sns', 'Publish', p)) ?? {};
  } catch (err) {
    if (err instanceof ServiceError) throw optimisedError('SNS', 'AmazonSNS', err);
    throw err;
  }
}

async function eventsPutEvents(parameters: Json, ctx: IntegrationContext): Promise<Json> {
  const p: JsonObject = isJsonObject(parameters) ? { ...parameters } : {};
  if (Array.isArray(p.Entries)) {
    p.Entries = p.Entries.map((entry) =>
      isJsonObject(entry) && entry.Detail !== undefined && typeof entry.Detail !== 'string' ? { ...entry, Detail: toJsonText(entry.Detail) } : entry,
    );
  }
  let out: Json;
  try {
    out = sdkResult(await callOperation(ctx, 'eventbridge', 'PutEvents', p)) ?? {};
  } catch (err) {
    if (err instanceof ServiceError) throw optimisedError('EventBridge', 'AmazonEventBridge', err);
    throw err;
  }
  // One rejected entry fails the task; the cause is the response, so a Catch can see which one.
  if (isJsonObject(out) && typeof out.FailedEntryCount === 'number' && out.FailedEntryCount > 0) {
    throw new StatesError('EventBridge.FailedEntry', toJsonText(out));
  }
  return out;
}

/** The DescribeExecution-like result of a nested execution, as `.sync` (text) and `.sync:2` (JSON) return it. */
function nestedResult(exec: ExecutionRecord, json: boolean): JsonObject {
  const data = (text: string | undefined): Json => (text === undefined ? null : json ? (JSON.parse(text) as Json) : text);
  const out: JsonObject = {
    ExecutionArn: exec.arn,
    Input: data(exec.input),
    InputDetails: { Included: true },
    Name: exec.name,
    StartDate: exec.startDate.getTime(),
    StateMachineArn: exec.machine.arn,
    Status: exec.status,
  };
  if (exec.output !== undefined) {
    out.Output = data(exec.output);
    out.OutputDetails = { Included: true };
  }
  if (exec.stopDate) out.StopDate = exec.stopDate.getTime();
  if (exec.error !== undefined) out.Error = exec.error;
  if (exec.cause !== undefined) out.Cause = exec.cause;
  return out;
}

async function statesStartExecution(parameters: Json, pattern: IntegrationPattern, json: boolean, ctx: IntegrationContext): Promise<Json> {
  const executions = ctx.executions;
  if (!executions) throw new StatesError(StatesErrors.TaskFailed, 'Nested executions are not available here');
  const p: JsonObject = isJsonObject(parameters) ? parameters : {};
  if (typeof p.StateMachineArn !== 'string') {
    throw new StatesError(StatesErrors.Runtime, "The field 'StateMachineArn' is required for states:startExecution");
  }
  const input = p.Input === undefined ? '{}' : typeof p.Input === 'string' ? p.Input : toJsonText(p.Input);
  let exec: ExecutionRecord;
  try {
    exec = executions.start(p.StateMachineArn, typeof p.Name === 'string' ? p.Name : undefined, input);
  } catch (err) {
    if (err instanceof ServiceError) throw optimisedError('StepFunctions', 'AWSStepFunctions', err);
    throw err;
  }
  if (pattern !== 'sync') return { ExecutionArn: exec.arn, StartDate: exec.startDate.getTime() };
  const onAbort = (): void => exec.stop?.('States.Aborted', 'The parent execution was stopped');
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await exec.done;
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
  }
  const result = nestedResult(exec, json);
  if (exec.status !== 'SUCCEEDED') throw new StatesError(StatesErrors.TaskFailed, toJsonText(result));
  return result;
}
