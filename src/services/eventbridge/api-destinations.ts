// Connections and API destinations ("API destinations as targets in Amazon EventBridge"): a connection holds the
// authorization (API key, basic, or OAuth client credentials, whose token EventBridge fetches and refreshes) and
// extra HTTP parameters; an API destination is an HTTP endpoint (with `*` path parameters), a method and an
// invocation rate limit. A rule target naming one makes a real HTTP call; 401, 407, 409, 429 and 5xx answers are
// retried by the target's RetryPolicy, other answers are final.
import { randomUUID } from 'node:crypto';
import type {
  ApiDestination,
  ApiDestinationHttpMethod,
  Connection,
  ConnectionAuthorizationType,
  ConnectionAuthResponseParameters,
  ConnectionHttpParameters,
  ConnectionState,
  CreateApiDestinationRequest,
  CreateApiDestinationResponse,
  CreateConnectionAuthRequestParameters,
  CreateConnectionRequest,
  CreateConnectionResponse,
  DeauthorizeConnectionRequest,
  DeauthorizeConnectionResponse,
  DeleteApiDestinationRequest,
  DeleteConnectionRequest,
  DeleteConnectionResponse,
  DescribeApiDestinationRequest,
  DescribeApiDestinationResponse,
  DescribeConnectionRequest,
  DescribeConnectionResponse,
  HttpParameters,
  ListApiDestinationsRequest,
  ListApiDestinationsResponse,
  ListConnectionsRequest,
  ListConnectionsResponse,
  UpdateApiDestinationRequest,
  UpdateApiDestinationResponse,
  UpdateConnectionRequest,
  UpdateConnectionResponse,
} from '@aws-sdk/client-eventbridge';
import { formatArn } from '../../core/arn.js';
import type { Clock } from '../../core/clock.js';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import { DeliveryFailure } from './delivery.js';
import { selectPath } from './input-transformer.js';
import type { EventBridgeStore } from './store.js';
import { alreadyExists, constraint, missing, notFound, page, validation } from './validation.js';

const NAME = /^[.\-_A-Za-z0-9]+$/;
const AUTH_TYPES = ['BASIC', 'OAUTH_CLIENT_CREDENTIALS', 'API_KEY'];
const HTTP_METHODS = ['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'];
const OAUTH_METHODS = ['GET', 'POST', 'PUT'];
const DEFAULT_RATE_LIMIT = 300;
/** AWS gives an API destination 5 seconds to answer. */
const INVOCATION_TIMEOUT_MS = 5_000;
/** A token without expires_in is refreshed after an hour. */
const DEFAULT_TOKEN_SECONDS = 3_600;
const USER_AGENT = 'Amazon/EventBridge/ApiDestinations';

export interface ConnectionRecord {
  readonly name: string;
  readonly arn: string;
  readonly secretArn: string;
  description: string | undefined;
  authorizationType: ConnectionAuthorizationType;
  /** As given, secrets included. */
  auth: CreateConnectionAuthRequestParameters;
  state: ConnectionState;
  stateReason: string | undefined;
  kmsKeyIdentifier: string | undefined;
  readonly creationTime: Date;
  lastModifiedTime: Date;
  lastAuthorizedTime: Date | undefined;
  token: { value: string; expiresAt: number } | undefined;
}

export interface ApiDestinationRecord {
  readonly name: string;
  readonly arn: string;
  description: string | undefined;
  connectionArn: string;
  endpoint: string;
  httpMethod: ApiDestinationHttpMethod;
  rateLimit: number;
  readonly creationTime: Date;
  lastModifiedTime: Date;
  /** The earliest time the next invocation may start, for InvocationRateLimitPerSecond. */
  nextSlot: number;
}

export interface ApiDestinationDeps {
  readonly clock: Clock;
  storeOf(ctx: RequestContext): EventBridgeStore;
  log(message: string): void;
}

function checkName(value: string | undefined, member: string): string {
  if (value === undefined || value === null) throw missing(member);
  if (value.length < 1 || value.length > 64) throw constraint(value, member, 'Member must have length less than or equal to 64');
  if (!NAME.test(value)) throw constraint(value, member, 'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+');
  return value;
}

function checkDescription(value: string | undefined): string | undefined {
  if (value !== undefined && value !== null && value.length > 512) {
    throw constraint(value, 'description', 'Member must have length less than or equal to 512');
  }
  return value ?? undefined;
}

/** The parameters AWS requires for each authorization type. */
function checkAuth(type: string, auth: CreateConnectionAuthRequestParameters): void {
  const need = (ok: boolean, what: string): void => {
    if (!ok) throw validation(`Parameter AuthParameters is not valid. Reason: ${what} must be specified for AuthorizationType ${type}.`);
  };
  if (type === 'API_KEY') need(!!auth.ApiKeyAuthParameters?.ApiKeyName && !!auth.ApiKeyAuthParameters.ApiKeyValue, 'ApiKeyAuthParameters (ApiKeyName, ApiKeyValue)');
  if (type === 'BASIC') need(!!auth.BasicAuthParameters?.Username && !!auth.BasicAuthParameters.Password, 'BasicAuthParameters (Username, Password)');
  if (type === 'OAUTH_CLIENT_CREDENTIALS') {
    const o = auth.OAuthParameters;
    need(!!o?.AuthorizationEndpoint && !!o.HttpMethod && !!o.ClientParameters?.ClientID && !!o.ClientParameters.ClientSecret,
      'OAuthParameters (AuthorizationEndpoint, HttpMethod, ClientParameters)');
    if (o?.HttpMethod && !OAUTH_METHODS.includes(o.HttpMethod)) {
      throw constraint(o.HttpMethod, 'authParameters.oAuthParameters.httpMethod', `Member must satisfy enum value set: [${OAUTH_METHODS.join(', ')}]`);
    }
    if (o?.AuthorizationEndpoint && !/^https?:\/\//.test(o.AuthorizationEndpoint)) {
      throw validation('Parameter AuthorizationEndpoint is not valid. Reason: It must be an HTTP or HTTPS URL.');
    }
  }
}

/** Parameters without the values marked secret, as Describe shows them. */
function visibleParameters(p: ConnectionHttpParameters | undefined): ConnectionHttpParameters | undefined {
  if (!p) return undefined;
  const hide = <T extends { Key?: string | undefined; Value?: string | undefined; IsValueSecret?: boolean | undefined }>(list: T[] | undefined): T[] | undefined =>
    list?.map((x) => (x.IsValueSecret ? ({ Key: x.Key, IsValueSecret: true } as T) : x));
  return {
    ...(p.HeaderParameters ? { HeaderParameters: hide(p.HeaderParameters) } : {}),
    ...(p.QueryStringParameters ? { QueryStringParameters: hide(p.QueryStringParameters) } : {}),
    ...(p.BodyParameters ? { BodyParameters: hide(p.BodyParameters) } : {}),
  };
}

function authResponse(c: ConnectionRecord): ConnectionAuthResponseParameters {
  const a = c.auth;
  const out: ConnectionAuthResponseParameters = {};
  if (c.authorizationType === 'API_KEY' && a.ApiKeyAuthParameters) out.ApiKeyAuthParameters = { ApiKeyName: a.ApiKeyAuthParameters.ApiKeyName };
  if (c.authorizationType === 'BASIC' && a.BasicAuthParameters) out.BasicAuthParameters = { Username: a.BasicAuthParameters.Username };
  if (c.authorizationType === 'OAUTH_CLIENT_CREDENTIALS' && a.OAuthParameters) {
    const o = a.OAuthParameters;
    const http = visibleParameters(o.OAuthHttpParameters);
    out.OAuthParameters = {
      ClientParameters: { ClientID: o.ClientParameters?.ClientID },
      AuthorizationEndpoint: o.AuthorizationEndpoint,
      HttpMethod: o.HttpMethod,
      ...(http ? { OAuthHttpParameters: http } : {}),
    };
  }
  const invocation = visibleParameters(a.InvocationHttpParameters);
  if (invocation) out.InvocationHttpParameters = invocation;
  return out;
}

function connectionSummary(c: ConnectionRecord): Connection {
  return {
    ConnectionArn: c.arn,
    Name: c.name,
    ConnectionState: c.state,
    ...(c.stateReason !== undefined ? { StateReason: c.stateReason } : {}),
    AuthorizationType: c.authorizationType,
    CreationTime: c.creationTime,
    LastModifiedTime: c.lastModifiedTime,
    ...(c.lastAuthorizedTime ? { LastAuthorizedTime: c.lastAuthorizedTime } : {}),
  };
}

function destinationSummary(d: ApiDestinationRecord): ApiDestination {
  return {
    ApiDestinationArn: d.arn,
    Name: d.name,
    ApiDestinationState: 'ACTIVE',
    ConnectionArn: d.connectionArn,
    InvocationEndpoint: d.endpoint,
    HttpMethod: d.httpMethod,
    InvocationRateLimitPerSecond: d.rateLimit,
    CreationTime: d.creationTime,
    LastModifiedTime: d.lastModifiedTime,
  };
}

function getConnection(store: EventBridgeStore, name: string): ConnectionRecord {
  const c = store.connections.get(name);
  if (!c) throw notFound(`Failed to describe the connection(s). Connection '${name}' does not exist.`);
  return c;
}

function getDestination(store: EventBridgeStore, name: string): ApiDestinationRecord {
  const d = store.apiDestinations.get(name);
  if (!d) throw notFound(`Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`);
  return d;
}

function connectionByArn(store: EventBridgeStore, arn: string): ConnectionRecord | undefined {
  for (const c of store.connections.values()) if (c.arn === arn) return c;
  return undefined;
}

function checkEndpoint(value: string | undefined): string {
  if (value === undefined || value === null) throw missing('invocationEndpoint');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw validation('Parameter InvocationEndpoint is not valid. Reason: It is not a valid URL.');
  }
  // AWS requires HTTPS; a local emulator's endpoints are mostly plain HTTP on localhost, so both are taken.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw validation('Parameter InvocationEndpoint is not valid. Reason: It must be an HTTP or HTTPS URL.');
  return value;
}

function checkMethod(value: string | undefined): ApiDestinationHttpMethod {
  if (value === undefined || value === null) throw missing('httpMethod');
  if (!HTTP_METHODS.includes(value)) throw constraint(value, 'httpMethod', `Member must satisfy enum value set: [${HTTP_METHODS.join(', ')}]`);
  return value as ApiDestinationHttpMethod;
}

function checkRate(value: number | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || value < 1) throw constraint(value, 'invocationRateLimitPerSecond', 'Member must have value greater than or equal to 1');
  return value;
}

/** A header or query value: fixed, or a JSONPath into the event (`$.detail.id`). */
function dynamic(value: string, event: unknown): string {
  if (!value.startsWith('$.')) return value;
  const v = selectPath(event, value);
  return v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

export function apiDestinationOperations(deps: ApiDestinationDeps) {
  const { clock } = deps;

  /** Real time for real I/O: resolves with the fetch, or fails after the invocation timeout on the clock. */
  async function fetchWithTimeout(url: string, init: RequestInit): Promise<Response> {
    const request = new AbortController();
    const timer = new AbortController();
    const timeout = clock.sleep(INVOCATION_TIMEOUT_MS, timer.signal).then(
      () => {
        request.abort();
        throw new DeliveryFailure('Timeout', `The endpoint did not answer within ${INVOCATION_TIMEOUT_MS / 1000} seconds.`, true);
      },
      () => undefined,
    );
    try {
      const response = await Promise.race([fetch(url, { ...init, signal: request.signal }), timeout]);
      if (!response) throw new DeliveryFailure('Timeout', 'The endpoint did not answer.', true);
      return response;
    } catch (e) {
      if (e instanceof ServiceError) throw e;
      throw new DeliveryFailure('ConnectionError', `Could not reach ${url}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)}`, true);
    } finally {
      timer.abort();
    }
  }

  /** Fetches an OAuth client-credentials token from the connection's AuthorizationEndpoint. */
  async function authorize(c: ConnectionRecord): Promise<string> {
    const o = c.auth.OAuthParameters;
    const endpoint = new URL(o?.AuthorizationEndpoint ?? '');
    const http = o?.OAuthHttpParameters;
    for (const q of http?.QueryStringParameters ?? []) if (q.Key) endpoint.searchParams.set(q.Key, q.Value ?? '');
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(`${o?.ClientParameters?.ClientID ?? ''}:${o?.ClientParameters?.ClientSecret ?? ''}`).toString('base64')}`,
      'user-agent': USER_AGENT,
    };
    for (const h of http?.HeaderParameters ?? []) if (h.Key) headers[h.Key.toLowerCase()] = h.Value ?? '';
    const method = o?.HttpMethod ?? 'POST';
    let body: string | undefined;
    if (method === 'GET') endpoint.searchParams.set('grant_type', 'client_credentials');
    else {
      const form = new URLSearchParams({ grant_type: 'client_credentials' });
      for (const b of http?.BodyParameters ?? []) if (b.Key) form.set(b.Key, b.Value ?? '');
      body = form.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    try {
      const response = await fetchWithTimeout(endpoint.toString(), { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await response.text();
      if (!response.ok) throw new Error(`the authorization endpoint answered ${response.status}`);
      const parsed = JSON.parse(text) as { access_token?: unknown; expires_in?: unknown };
      if (typeof parsed.access_token !== 'string') throw new Error('the authorization endpoint answered no access_token');
      const seconds = typeof parsed.expires_in === 'number' ? parsed.expires_in : Number(parsed.expires_in ?? DEFAULT_TOKEN_SECONDS);
      c.token = { value: parsed.access_token, expiresAt: clock.now() + (Number.isFinite(seconds) ? seconds : DEFAULT_TOKEN_SECONDS) * 1000 };
      c.state = 'AUTHORIZED';
      c.stateReason = undefined;
      c.lastAuthorizedTime = new Date(clock.now());
      return c.token.value;
    } catch (e) {
      c.token = undefined;
      c.state = 'DEAUTHORIZED';
      c.stateReason = `Failed to authorize the connection: ${e instanceof Error ? e.message : String(e)}`;
      throw new DeliveryFailure('AuthorizationFailed', c.stateReason, true);
    }
  }

  function startAuthorizing(c: ConnectionRecord): void {
    c.token = undefined;
    if (c.authorizationType !== 'OAUTH_CLIENT_CREDENTIALS') {
      c.state = 'AUTHORIZED';
      c.stateReason = undefined;
      c.lastAuthorizedTime = new Date(clock.now());
      return;
    }
    c.state = 'AUTHORIZING';
    authorize(c).catch((e: unknown) => deps.log(`eventbridge connection ${c.name}: ${e instanceof Error ? e.message : String(e)}`));
  }

  /** Waits for the destination's next invocation slot, so that calls keep to InvocationRateLimitPerSecond. */
  async function throttle(d: ApiDestinationRecord): Promise<void> {
    const now = clock.now();
    const start = Math.max(now, d.nextSlot);
    d.nextSlot = start + 1000 / d.rateLimit;
    if (start > now) await clock.sleep(start - now);
  }

  /** One invocation of an API destination with an event's (transformed) body; throws a DeliveryFailure. */
  async function invoke(store: EventBridgeStore, destinationArn: string, body: string, event: unknown, params: HttpParameters | undefined): Promise<void> {
    const d = [...store.apiDestinations.values()].find((x) => x.arn === destinationArn);
    if (!d) throw new DeliveryFailure('ResourceNotFoundException', `API destination ${destinationArn} does not exist.`, false);
    const c = connectionByArn(store, d.connectionArn);
    if (!c) throw new DeliveryFailure('ResourceNotFoundException', `Connection ${d.connectionArn} does not exist.`, false);
    if (c.state === 'DEAUTHORIZED' && c.authorizationType !== 'OAUTH_CLIENT_CREDENTIALS') {
      throw new DeliveryFailure('ConnectionDeauthorized', `Connection ${c.name} is deauthorized.`, false);
    }
    await throttle(d);
    let path = d.endpoint;
    for (const value of params?.PathParameterValues ?? []) path = path.replace('*', encodeURIComponent(dynamic(value, event)));
    const url = new URL(path);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': USER_AGENT };
    for (const [k, v] of Object.entries(params?.HeaderParameters ?? {})) headers[k.toLowerCase()] = dynamic(v, event);
    for (const [k, v] of Object.entries(params?.QueryStringParameters ?? {})) url.searchParams.set(k, dynamic(v, event));
    // The connection's parameters take precedence over the target's.
    const extra = c.auth.InvocationHttpParameters;
    for (const h of extra?.HeaderParameters ?? []) if (h.Key) headers[h.Key.toLowerCase()] = h.Value ?? '';
    for (const q of extra?.QueryStringParameters ?? []) if (q.Key) url.searchParams.set(q.Key, q.Value ?? '');
    let payload: string | undefined = body;
    if (extra?.BodyParameters?.length) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        const merged = parsed as Record<string, unknown>;
        for (const b of extra.BodyParameters) if (b.Key) merged[b.Key] = b.Value ?? '';
        payload = JSON.stringify(merged);
      }
    }
    if (c.authorizationType === 'API_KEY') headers[(c.auth.ApiKeyAuthParameters?.ApiKeyName ?? '').toLowerCase()] = c.auth.ApiKeyAuthParameters?.ApiKeyValue ?? '';
    else if (c.authorizationType === 'BASIC') {
      const b = c.auth.BasicAuthParameters;
      headers.authorization = `Basic ${Buffer.from(`${b?.Username ?? ''}:${b?.Password ?? ''}`).toString('base64')}`;
    } else {
      const token = c.token && c.token.expiresAt > clock.now() ? c.token.value : await authorize(c);
      headers.authorization = `Bearer ${token}`;
    }
    if (d.httpMethod === 'GET' || d.httpMethod === 'HEAD') payload = undefined;
    const response = await fetchWithTimeout(url.toString(), { method: d.httpMethod, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await response.text().catch(() => '');
    if (response.ok) return;
    const status = response.status;
    // An expired or revoked token: fetch a new one before the retry.
    if ((status === 401 || status === 407) && c.authorizationType === 'OAUTH_CLIENT_CREDENTIALS') c.token = undefined;
    const retryable = status === 401 || status === 407 || status === 409 || status === 429 || status >= 500;
    throw new DeliveryFailure(`HTTP_${status}`, `The API destination answered ${status}${text ? `: ${text.slice(0, 256)}` : ''}`, retryable);
  }

  /**
   * What a call through a connection carries besides its own request: the authorization header (an OAuth token is
   * fetched or refreshed here) and the connection's invocation parameters. The Step Functions HTTP Task uses it.
   */
  async function connectionRequest(store: EventBridgeStore, connectionArn: string): Promise<ConnectionRequest> {
    const c = connectionByArn(store, connectionArn);
    if (!c) throw new ServiceError('ResourceNotFoundException', `Connection ${connectionArn} does not exist.`, { status: 400 });
    if (c.state === 'DEAUTHORIZED' && c.authorizationType !== 'OAUTH_CLIENT_CREDENTIALS') {
      throw new ServiceError('ConnectionDeauthorized', `Connection ${c.name} is deauthorized.`, { status: 400 });
    }
    const headers: Record<string, string> = {};
    const extra = c.auth.InvocationHttpParameters;
    for (const h of extra?.HeaderParameters ?? []) if (h.Key) headers[h.Key.toLowerCase()] = h.Value ?? '';
    if (c.authorizationType === 'API_KEY') headers[(c.auth.ApiKeyAuthParameters?.ApiKeyName ?? '').toLowerCase()] = c.auth.ApiKeyAuthParameters?.ApiKeyValue ?? '';
    else if (c.authorizationType === 'BASIC') {
      const b = c.auth.BasicAuthParameters;
      headers.authorization = `Basic ${Buffer.from(`${b?.Username ?? ''}:${b?.Password ?? ''}`).toString('base64')}`;
    } else {
      const token = c.token && c.token.expiresAt > clock.now() ? c.token.value : await authorize(c);
      headers.authorization = `Bearer ${token}`;
    }
    const pairs = (list: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): Array<[string, string]> =>
      (list ?? []).filter((p) => p.Key).map((p) => [p.Key ?? '', p.Value ?? '']);
    return { headers, query: pairs(extra?.QueryStringParameters), body: pairs(extra?.BodyParameters) };
  }

  const operations = {
    CreateConnection: (ctx: RequestContext, input: CreateConnectionRequest): CreateConnectionResponse => {
      const store = deps.storeOf(ctx);
      const name = checkName(input.Name, 'name');
      const description = checkDescription(input.Description);
      const type = input.AuthorizationType;
      if (type === undefined || type === null) throw missing('authorizationType');
      if (!AUTH_TYPES.includes(type)) throw constraint(type, 'authorizationType', `Member must satisfy enum value set: [${AUTH_TYPES.join(', ')}]`);
      const auth = input.AuthParameters;
      if (!auth) throw missing('authParameters');
      checkAuth(type, auth);
      if (input.InvocationConnectivityParameters || auth.ConnectivityParameters) {
        throw validation('Parameter InvocationConnectivityParameters is not valid. Reason: Switchyard does not connect to private resources through VPC Lattice.');
      }
      if (store.connections.has(name)) throw alreadyExists(`Connection ${name} already exists.`);
      const now = new Date(clock.now());
      const id = randomUUID();
      const c: ConnectionRecord = {
        name,
        arn: formatArn('events', store.region, store.account, `connection/${name}/${id}`),
        secretArn: formatArn('secretsmanager', store.region, store.account, `secret:events!connection/${name}/${id}-${id.slice(0, 6)}`),
        description,
        authorizationType: type,
        auth: structuredClone(auth),
        state: 'CREATING',
        stateReason: undefined,
        kmsKeyIdentifier: input.KmsKeyIdentifier ?? undefined,
        creationTime: now,
        lastModifiedTime: now,
        lastAuthorizedTime: undefined,
        token: undefined,
      };
      store.connections.set(name, c);
      startAuthorizing(c);
      return { ConnectionArn: c.arn, ConnectionState: c.state, CreationTime: c.creationTime, LastModifiedTime: c.lastModifiedTime };
    },

    DescribeConnection: (ctx: RequestContext, input: DescribeConnectionRequest): DescribeConnectionResponse => {
      const c = getConnection(deps.storeOf(ctx), checkName(input.Name, 'name'));
      return {
        ...connectionSummary(c),
        ...(c.description !== undefined ? { Description: c.description } : {}),
        SecretArn: c.secretArn,
        ...(c.kmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: c.kmsKeyIdentifier } : {}),
        AuthParameters: authResponse(c),
      };
    },

    ListConnections: (ctx: RequestContext, input: ListConnectionsRequest): ListConnectionsResponse => {
      const items = [...deps.storeOf(ctx).connections.values()]
        .filter((c) => (input.NamePrefix ? c.name.startsWith(input.NamePrefix) : true))
        .filter((c) => (input.ConnectionState ? c.state === input.ConnectionState : true))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const p = page(items, input.NextToken ?? undefined, input.Limit ?? undefined);
      return { Connections: p.items.map(connectionSummary), ...(p.next ? { NextToken: p.next } : {}) };
    },

    UpdateConnection: (ctx: RequestContext, input: UpdateConnectionRequest): UpdateConnectionResponse => {
      const c = getConnection(deps.storeOf(ctx), checkName(input.Name, 'name'));
      const description = checkDescription(input.Description);
      const type = input.AuthorizationType ?? c.authorizationType;
      if (!AUTH_TYPES.includes(type)) throw constraint(type, 'authorizationType', `Member must satisfy enum value set: [${AUTH_TYPES.join(', ')}]`);
      const given = input.AuthParameters ?? {};
      const o = given.OAuthParameters;
      const merged: CreateConnectionAuthRequestParameters = {
        ...c.auth,
        ...(given.ApiKeyAuthParameters ? { ApiKeyAuthParameters: { ...c.auth.ApiKeyAuthParameters, ...given.ApiKeyAuthParameters } as CreateConnectionAuthRequestParameters['ApiKeyAuthParameters'] } : {}),
        ...(given.BasicAuthParameters ? { BasicAuthParameters: { ...c.auth.BasicAuthParameters, ...given.BasicAuthParameters } as CreateConnectionAuthRequestParameters['BasicAuthParameters'] } : {}),
        ...(o
          ? {
              OAuthParameters: {
                ...c.auth.OAuthParameters,
                ...o,
                ClientParameters: { ...c.auth.OAuthParameters?.ClientParameters, ...o.ClientParameters },
              } as CreateConnectionAuthRequestParameters['OAuthParameters'],
            }
          : {}),
        ...(given.InvocationHttpParameters ? { InvocationHttpParameters: given.InvocationHttpParameters } : {}),
      };
      if (type !== c.authorizationType || input.AuthParameters) checkAuth(type, merged);
      if (input.InvocationConnectivityParameters || given.ConnectivityParameters) {
        throw validation('Parameter InvocationConnectivityParameters is not valid. Reason: Switchyard does not connect to private resources through VPC Lattice.');
      }
      if (description !== undefined) c.description = description;
      if (input.KmsKeyIdentifier !== undefined && input.KmsKeyIdentifier !== null) c.kmsKeyIdentifier = input.KmsKeyIdentifier;
      c.authorizationType = type;
      c.auth = structuredClone(merged);
      c.lastModifiedTime = new Date(clock.now());
      startAuthorizing(c);
      return { ConnectionArn: c.arn, ConnectionState: c.state, CreationTime: c.creationTime, LastModifiedTime: c.lastModifiedTime, ...(c.lastAuthorizedTime ? { LastAuthorizedTime: c.lastAuthorizedTime } : {}) };
    },

    DeauthorizeConnection: (ctx: RequestContext, input: DeauthorizeConnectionRequest): DeauthorizeConnectionResponse => {
      const c = getConnection(deps.storeOf(ctx), checkName(input.Name, 'name'));
      c.token = undefined;
      c.state = 'DEAUTHORIZED';
      c.lastModifiedTime = new Date(clock.now());
      return { ConnectionArn: c.arn, ConnectionState: 'DEAUTHORIZING', CreationTime: c.creationTime, LastModifiedTime: c.lastModifiedTime, ...(c.lastAuthorizedTime ? { LastAuthorizedTime: c.lastAuthorizedTime } : {}) };
    },

    DeleteConnection: (ctx: RequestContext, input: DeleteConnectionRequest): DeleteConnectionResponse => {
      const store = deps.storeOf(ctx);
      const c = getConnection(store, checkName(input.Name, 'name'));
      store.connections.delete(c.name);
      return { ConnectionArn: c.arn, ConnectionState: 'DELETING', CreationTime: c.creationTime, LastModifiedTime: new Date(clock.now()), ...(c.lastAuthorizedTime ? { LastAuthorizedTime: c.lastAuthorizedTime } : {}) };
    },

    CreateApiDestination: (ctx: RequestContext, input: CreateApiDestinationRequest): CreateApiDestinationResponse => {
      const store = deps.storeOf(ctx);
      const name = checkName(input.Name, 'name');
      const description = checkDescription(input.Description);
      if (input.ConnectionArn === undefined || input.ConnectionArn === null) throw missing('connectionArn');
      const endpoint = checkEndpoint(input.InvocationEndpoint);
      const method = checkMethod(input.HttpMethod);
      const rate = checkRate(input.InvocationRateLimitPerSecond);
      if (!connectionByArn(store, input.ConnectionArn)) throw notFound(`Connection '${input.ConnectionArn}' does not exist.`);
      if (store.apiDestinations.has(name)) throw alreadyExists(`An api-destination '${name}' already exists.`);
      const now = new Date(clock.now());
      const d: ApiDestinationRecord = {
        name,
        arn: formatArn('events', store.region, store.account, `api-destination/${name}/${randomUUID()}`),
        description,
        connectionArn: input.ConnectionArn,
        endpoint,
        httpMethod: method,
        rateLimit: rate ?? DEFAULT_RATE_LIMIT,
        creationTime: now,
        lastModifiedTime: now,
        nextSlot: 0,
      };
      store.apiDestinations.set(name, d);
      return { ApiDestinationArn: d.arn, ApiDestinationState: 'ACTIVE', CreationTime: now, LastModifiedTime: now };
    },

    DescribeApiDestination: (ctx: RequestContext, input: DescribeApiDestinationRequest): DescribeApiDestinationResponse => {
      const d = getDestination(deps.storeOf(ctx), checkName(input.Name, 'name'));
      return { ...destinationSummary(d), ...(d.description !== undefined ? { Description: d.description } : {}) };
    },

    ListApiDestinations: (ctx: RequestContext, input: ListApiDestinationsRequest): ListApiDestinationsResponse => {
      const items = [...deps.storeOf(ctx).apiDestinations.values()]
        .filter((d) => (input.NamePrefix ? d.name.startsWith(input.NamePrefix) : true))
        .filter((d) => (input.ConnectionArn ? d.connectionArn === input.ConnectionArn : true))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const p = page(items, input.NextToken ?? undefined, input.Limit ?? undefined);
      return { ApiDestinations: p.items.map(destinationSummary), ...(p.next ? { NextToken: p.next } : {}) };
    },

    UpdateApiDestination: (ctx: RequestContext, input: UpdateApiDestinationRequest): UpdateApiDestinationResponse => {
      const store = deps.storeOf(ctx);
      const d = getDestination(store, checkName(input.Name, 'name'));
      const description = checkDescription(input.Description);
      const endpoint = input.InvocationEndpoint !== undefined && input.InvocationEndpoint !== null ? checkEndpoint(input.InvocationEndpoint) : undefined;
      const method = input.HttpMethod !== undefined && input.HttpMethod !== null ? checkMethod(input.HttpMethod) : undefined;
      const rate = checkRate(input.InvocationRateLimitPerSecond);
      if (input.ConnectionArn && !connectionByArn(store, input.ConnectionArn)) throw notFound(`Connection '${input.ConnectionArn}' does not exist.`);
      if (description !== undefined) d.description = description;
      if (endpoint !== undefined) d.endpoint = endpoint;
      if (method !== undefined) d.httpMethod = method;
      if (rate !== undefined) d.rateLimit = rate;
      if (input.ConnectionArn) d.connectionArn = input.ConnectionArn;
      d.lastModifiedTime = new Date(clock.now());
      return { ApiDestinationArn: d.arn, ApiDestinationState: 'ACTIVE', CreationTime: d.creationTime, LastModifiedTime: d.lastModifiedTime };
    },

    DeleteApiDestination: (ctx: RequestContext, input: DeleteApiDestinationRequest): void => {
      const store = deps.storeOf(ctx);
      const d = getDestination(store, checkName(input.Name, 'name'));
      store.apiDestinations.delete(d.name);
    },
  };

  return { operations, invoke, connectionRequest };
}

/** A connection's part of a request: headers (authorization included), query and body parameters. */
export interface ConnectionRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly body: ReadonlyArray<readonly [string, string]>;
}
