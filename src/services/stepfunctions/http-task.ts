// The HTTP Task (`arn:aws:states:::http:invoke`): a real HTTP call to ApiEndpoint with the authorization and
// invocation parameters of an EventBridge connection (https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html).
// The result is { Headers, ResponseBody, StatusCode, StatusText }; a non-2xx answer fails the task with
// States.Http.StatusCode.NNN and that result as the cause; an unreachable endpoint with States.Http.Socket.
import { ServiceError } from '../../core/errors.js';
import type { EventBridgeInternal } from '../eventbridge/provider.js';
import { StatesError, StatesErrors } from './asl/errors.js';
import { isJsonObject, toJsonText, type Json, type JsonObject } from './asl/json.js';
import type { IntegrationContext } from './integrations.js';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
/** AWS ends an HTTP Task's request after 60 seconds. */
const TIMEOUT_MS = 60_000;

export async function httpInvoke(parameters: Json, ctx: IntegrationContext): Promise<Json> {
  const p: JsonObject = isJsonObject(parameters) ? parameters : {};
  const endpoint = p.ApiEndpoint;
  const method = typeof p.Method === 'string' ? p.Method.toUpperCase() : undefined;
  const auth = isJsonObject(p.Authentication) ? p.Authentication : undefined;
  const connectionArn = auth?.ConnectionArn;
  if (typeof endpoint !== 'string' || !/^https?:\/\//.test(endpoint)) {
    throw new StatesError(StatesErrors.Runtime, "The field 'ApiEndpoint' must be an http or https URL for http:invoke");
  }
  if (!method || !METHODS.includes(method)) {
    throw new StatesError(StatesErrors.Runtime, `The field 'Method' must be one of ${METHODS.join(', ')} for http:invoke`);
  }
  if (typeof connectionArn !== 'string') {
    throw new StatesError(StatesErrors.Runtime, "The field 'Authentication.ConnectionArn' is required for http:invoke");
  }
  const events = (await ctx.host.provider('eventbridge'))?.internal as Partial<EventBridgeInternal> | undefined;
  if (!events?.connectionRequest) throw new StatesError(StatesErrors.TaskFailed, 'EventBridge connections are not available');
  let connection: Awaited<ReturnType<EventBridgeInternal['connectionRequest']>>;
  try {
    connection = await events.connectionRequest(connectionArn);
  } catch (err) {
    if (err instanceof ServiceError) throw new StatesError(StatesErrors.TaskFailed, `${err.code}: ${err.message}`);
    throw err;
  }

  const url = new URL(endpoint);
  const transform = isJsonObject(p.Transform) ? p.Transform : undefined;
  const arrayFormat = isJsonObject(transform?.RequestEncodingOptions) ? String(transform.RequestEncodingOptions.ArrayFormat ?? 'INDICES') : 'INDICES';
  if (isJsonObject(p.QueryParameters)) {
    for (const [k, v] of Object.entries(p.QueryParameters)) url.searchParams.append(k, typeof v === 'string' ? v : toJsonText(v));
  }
  for (const [k, v] of connection.query) url.searchParams.set(k, v);
  const headers: Record<string, string> = { 'user-agent': 'Amazon|StepFunctions|HttpInvoke|us-east-1' };
  if (isJsonObject(p.Headers)) for (const [k, v] of Object.entries(p.Headers)) headers[k.toLowerCase()] = typeof v === 'string' ? v : toJsonText(v);
  // The connection's headers, authorization first among them, take precedence over the task's.
  Object.assign(headers, connection.headers);
  let body: string | undefined;
  if (p.RequestBody !== undefined && method !== 'GET' && method !== 'HEAD') {
    let value: Json = p.RequestBody;
    if (isJsonObject(value) && connection.body.length) value = { ...value, ...Object.fromEntries(connection.body) };
    if (transform?.RequestBodyEncoding === 'URL_ENCODED' && isJsonObject(value)) {
      body = urlEncode(value, arrayFormat);
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else {
      body = typeof value === 'string' ? value : toJsonText(value);
      headers['content-type'] ??= 'application/json; charset=UTF-8';
    }
  }

  const controller = new AbortController();
  const stop = new AbortController();
  // Real I/O, so real time for the request; the timeout is on the injected clock like every other wait.
  ctx.host.clock.sleep(TIMEOUT_MS, stop.signal).then(() => controller.abort(), () => undefined);
  const onAbort = (): void => controller.abort();
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { method, headers, signal: controller.signal, ...(body !== undefined ? { body } : {}) });
    text = await response.text();
  } catch (err) {
    const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new StatesError('States.Http.Socket', `Could not reach ${url.origin}: ${reason}`);
  } finally {
    stop.abort();
    ctx.signal?.removeEventListener('abort', onAbort);
  }
  const responseHeaders: JsonObject = {};
  response.headers.forEach((value, name) => {
    responseHeaders[name] = [value];
  });
  let responseBody: Json = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
    try {
      responseBody = JSON.parse(text) as Json;
    } catch {
      responseBody = text;
    }
  }
  const result: JsonObject = { Headers: responseHeaders, ResponseBody: responseBody, StatusCode: response.status, StatusText: response.statusText };
  if (!response.ok) throw new StatesError(`States.Http.StatusCode.${response.status}`, toJsonText(result));
  return result;
}

/** An object as a form body; arrays as Transform.RequestEncodingOptions.ArrayFormat says. */
function urlEncode(value: JsonObject, arrayFormat: string): string {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v)) {
      const items = v.map((x) => (typeof x === 'string' ? x : toJsonText(x)));
      if (arrayFormat === 'COMMAS') form.append(k, items.join(','));
      else if (arrayFormat === 'REPEAT') for (const x of items) form.append(k, x);
      else if (arrayFormat === 'BRACKETS') for (const x of items) form.append(`${k}[]`, x);
      else items.forEach((x, i) => form.append(`${k}[${i}]`, x));
    } else form.append(k, typeof v === 'string' ? v : toJsonText(v));
  }
  return form.toString();
}
