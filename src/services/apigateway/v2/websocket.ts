// WebSocket APIs: the upgrade runs `$connect` (refusing the connection when its integration answers non-2xx), each
// message is routed by the API's route selection expression (`$default` when nothing matches), two-way routes send
// the integration's answer back, and `$disconnect` runs when the socket closes, whoever closes it. The management
// API reaches connections through post/describe/disconnect. Integrations: Lambda (AWS_PROXY), HTTP_PROXY and MOCK.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Integration, Route } from '@aws-sdk/client-apigatewayv2';
import { render as renderVelocity } from 'velocityjs';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Timer } from '../../../core/clock.js';
import type { DataPlaneRequest, ServiceHost } from '../../../core/provider.js';
import { ManagementErrors } from './errors.js';
import { decide } from './authorizers.js';
import { clfTime, parseQuery } from './http-request.js';
import { servedStage } from './http-invoke.js';
import { functionArnOf } from './integration-settings.js';
import { invokeLambda } from './lambda-invoke.js';
import type { ApiDefinition, ApiRecord } from './store.js';

/** PostToConnection's limit (128 KB frames). */
const MAX_MESSAGE = 128 * 1024;
/** AWS closes a connection idle this long, and any connection after two hours. */
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;
const MAX_DURATION_MS = 2 * 60 * 60 * 1000;

export interface Connection {
  readonly connectionId: string;
  readonly record: ApiRecord;
  readonly stage: string;
  readonly connectedAt: number;
  lastActiveAt: number;
  readonly sourceIp: string;
  readonly userAgent: string;
  readonly domainName: string;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly socket: WebSocket;
  /** What the $connect authorizer put in requestContext.authorizer, for every event of the connection. */
  readonly authorizer: Record<string, unknown> | undefined;
  closed: boolean;
  timers: Timer[];
}

export interface ConnectionInfo {
  readonly ConnectedAt: Date;
  readonly LastActiveAt: Date;
  readonly Identity: { readonly SourceIp: string; readonly UserAgent: string };
}

export class WebSocketGateway {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  private readonly connections = new Map<string, Connection>();

  constructor(private readonly host: ServiceHost) {}

  upgrade(record: ApiRecord, dp: DataPlaneRequest, raw: IncomingMessage, socket: Duplex, head: Buffer): void {
    void this.connect(record, dp, raw, socket, head).catch((err: unknown) => {
      this.host.log.error('apigatewayv2 WebSocket connect failed', err);
      refuse(socket, 500);
    });
  }

  private async connect(record: ApiRecord, dp: DataPlaneRequest, raw: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const served = servedStage(record, dp.request.path);
    if (!served || served.stage.StageName === '$default' || (served.path !== '/' && served.path !== '')) {
      refuse(socket, 404);
      return;
    }
    const connectionId = randomBytes(11).toString('base64');
    const now = this.host.clock.now();
    const headers: Record<string, string> = {};
    const multiValueHeaders: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(dp.request.headers)) {
      if (v === undefined) continue;
      const list = Array.isArray(v) ? v : [v];
      headers[canonical(k)] = list[list.length - 1] ?? '';
      multiValueHeaders[canonical(k)] = list;
    }
    const base = {
      connectionId,
      record,
      stage: served.stage.StageName ?? '',
      connectedAt: now,
      sourceIp: dp.sourceIp,
      userAgent: headers['User-Agent'] ?? '',
      domainName: dp.form === 'host' ? dp.host.replace(/:\d+$/, '') : `${dp.id}.execute-api.localhost`,
      headers,
      multiValueHeaders,
    };
    const connectRoute = routeByKey(served.definition, '$connect');
    const query = parseQuery(dp.request.rawQuery);
    let authorizer: Record<string, unknown> | undefined;
    if (connectRoute && (connectRoute.AuthorizationType ?? 'NONE') !== 'NONE') {
      const verdict = await this.authorize(connectRoute, served.definition, served.stage.StageVariables ?? {}, { ...base, authorizer: undefined }, headers, multiValueHeaders, query, now);
      if (typeof verdict === 'number') {
        refuse(socket, verdict);
        return;
      }
      authorizer = verdict;
    }
    if (connectRoute) {
      const event: Record<string, unknown> = {
        headers,
        multiValueHeaders,
        ...(query.size
          ? {
              queryStringParameters: Object.fromEntries([...query].map(([k, v]) => [k, v[v.length - 1] ?? ''])),
              multiValueQueryStringParameters: Object.fromEntries(query),
            }
          : {}),
        requestContext: this.context({ ...base, authorizer }, '$connect', 'CONNECT', now, { userAgent: base.userAgent, sourceIp: base.sourceIp }),
        isBase64Encoded: false,
      };
      const status = await this.connectStatus(served.definition, connectRoute, event);
      if (status < 200 || status > 299) {
        refuse(socket, status);
        return;
      }
    }
    this.server.handleUpgrade(raw, socket, head, (ws) => {
      const connection: Connection = { ...base, authorizer, lastActiveAt: this.host.clock.now(), socket: ws, closed: false, timers: [] };
      this.connections.set(connectionId, connection);
      connection.timers.push(this.host.clock.setTimer(MAX_DURATION_MS, () => ws.close(1001, 'Going away')));
      this.watchIdle(connection);
      ws.on('message', (data, isBinary) => void this.message(connection, data, isBinary));
      ws.on('close', (code, reason) => void this.closed(connection, code, reason.toString('utf8')));
      ws.on('error', () => ws.terminate());
    });
  }

  /** The $connect authorizer's verdict: the requestContext.authorizer to keep, or the status that refuses. */
  private async authorize(
    route: Route,
    definition: ApiDefinition,
    stageVariables: Record<string, string>,
    c: Pick<Connection, 'connectionId' | 'record' | 'stage' | 'connectedAt' | 'domainName' | 'authorizer' | 'sourceIp' | 'userAgent'>,
    headers: Record<string, string>,
    multiValueHeaders: Record<string, string[]>,
    query: Map<string, string[]>,
    now: number,
  ): Promise<Record<string, unknown> | number> {
    const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    if (route.AuthorizationType === 'AWS_IAM') {
      const signed = (lower.get('authorization') ?? '').startsWith('AWS4-HMAC-SHA256') || query.has('X-Amz-Signature');
      return signed ? { principalId: c.sourceIp } : 403;
    }
    const authorizer = definition.authorizers.get(route.AuthorizerId ?? '');
    const arn = functionArnOf(authorizer?.AuthorizerUri ?? '');
    if (!authorizer || !arn) return 500;
    for (const source of authorizer.IdentitySource ?? []) {
      const m = /^route\.request\.(header|querystring)\.(.+)$/.exec(source);
      const value = m ? (m[1] === 'header' ? lower.get((m[2] ?? '').toLowerCase()) : query.get(m[2] ?? '')?.[0]) : stageVariables[source.slice('stageVariables.'.length)];
      if (value === undefined || value === '') return 401;
    }
    const { record } = c;
    const methodArn = `arn:aws:execute-api:${record.region}:${record.account}:${record.api.ApiId}/${c.stage}/$connect`;
    const event = {
      type: 'REQUEST',
      methodArn,
      headers,
      multiValueHeaders,
      queryStringParameters: Object.fromEntries([...query].map(([k, v]) => [k, v[v.length - 1] ?? ''])),
      multiValueQueryStringParameters: Object.fromEntries(query),
      stageVariables,
      requestContext: this.context(c, '$connect', 'CONNECT', now, { userAgent: c.userAgent, sourceIp: c.sourceIp }),
    };
    const outcome = await invokeLambda(this.host, arn, event, 10_000);
    if (outcome.kind !== 'ok') return 500;
    let result: unknown;
    try {
      result = JSON.parse(outcome.payload.toString('utf8'));
    } catch {
      return 500;
    }
    const decision = decide(result, false, methodArn);
    if (!decision) return 500;
    if (!decision.allowed) return 403;
    const context = (decision.authorizer.lambda as Record<string, unknown> | undefined) ?? {};
    return { ...context, principalId: decision.authorizer.principalId, integrationLatency: 0 };
  }

  private context(
    c: Pick<Connection, 'connectionId' | 'record' | 'stage' | 'connectedAt' | 'domainName' | 'authorizer'>,
    routeKey: string,
    eventType: string,
    at: number,
    identity: Record<string, string>,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> {
    const requestId = randomBytes(11).toString('base64');
    return {
      routeKey,
      ...(c.authorizer ? { authorizer: c.authorizer } : {}),
      ...extra,
      eventType,
      extendedRequestId: requestId,
      requestTime: clfTime(at),
      messageDirection: 'IN',
      stage: c.stage,
      connectedAt: c.connectedAt,
      requestTimeEpoch: at,
      identity,
      requestId,
      domainName: c.domainName,
      connectionId: c.connectionId,
      apiId: c.record.api.ApiId,
    };
  }

  /** The status `$connect` answers: the Lambda's statusCode (200 when it gives none), or a MOCK template's. */
  private async connectStatus(definition: ApiDefinition, route: Route, event: Record<string, unknown>): Promise<number> {
    const integration = integrationOf(definition, route);
    if (!integration) return 500;
    if (integration.IntegrationType === 'MOCK') return mockStatus(integration);
    if (integration.IntegrationType === 'HTTP_PROXY') {
      const answer = await this.callHttp(integration, undefined, event.headers as Record<string, string>);
      return answer ? answer.status : 500;
    }
    const outcome = await this.callLambda(integration, event);
    if (outcome.kind !== 'ok') return 500;
    return statusOf(outcome.value);
  }

  private async callLambda(integration: Integration, event: unknown): Promise<{ kind: 'ok'; value: unknown } | { kind: 'failed' }> {
    const arn = functionArnOf(integration.IntegrationUri ?? '');
    if (!arn) return { kind: 'failed' };
    const outcome = await invokeLambda(this.host, arn, event, integration.TimeoutInMillis ?? 29000);
    if (outcome.kind !== 'ok') {
      this.host.log.warn(`apigatewayv2 WebSocket integration failed: ${outcome.kind === 'error' ? outcome.reason : 'timed out'}`);
      return { kind: 'failed' };
    }
    const text = outcome.payload.toString('utf8');
    try {
      return { kind: 'ok', value: JSON.parse(text) };
    } catch {
      return { kind: 'ok', value: text };
    }
  }

  /** An HTTP_PROXY call: the message (if any) as the body, the handshake's headers; undefined when it fails. */
  private async callHttp(integration: Integration, body: Buffer | undefined, headers: Record<string, string>): Promise<{ status: number; body: string } | undefined> {
    const abort = new AbortController();
    const timer = this.host.clock.setTimer(integration.TimeoutInMillis ?? 29000, () => abort.abort(new Error('timeout')));
    try {
      const forwarded = new Headers();
      for (const [k, v] of Object.entries(headers)) {
        if (!['Host', 'Connection', 'Upgrade', 'Content-Length'].includes(k) && !k.startsWith('Sec-Websocket')) forwarded.set(k, v);
      }
      const method = integration.IntegrationMethod && integration.IntegrationMethod !== 'ANY' ? integration.IntegrationMethod : 'POST';
      const res = await fetch(integration.IntegrationUri ?? '', {
        method,
        headers: forwarded,
        signal: abort.signal,
        ...(body && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
      });
      return { status: res.status, body: await res.text() };
    } catch (err) {
      this.host.log.warn(`apigatewayv2 WebSocket HTTP_PROXY to ${integration.IntegrationUri} failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    } finally {
      timer.cancel();
    }
  }

  private async message(c: Connection, data: RawData, isBinary: boolean): Promise<void> {
    const now = this.host.clock.now();
    c.lastActiveAt = now;
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    const text = isBinary ? undefined : buf.toString('utf8');
    const served = servedStage(c.record, `/${c.stage}`);
    if (!served) return;
    const selected = text === undefined ? undefined : selectRouteKey(served.definition.routeSelectionExpression ?? '', text);
    const route = (selected !== undefined ? routeByKey(served.definition, selected) : undefined) ?? routeByKey(served.definition, '$default');
    const requestContext = this.context(c, route?.RouteKey ?? '$default', 'MESSAGE', now, { sourceIp: c.sourceIp }, {
      messageId: randomBytes(11).toString('base64'),
    });
    if (!route) {
      this.send(c, JSON.stringify({ message: 'Forbidden', connectionId: c.connectionId, requestId: requestContext.requestId }));
      return;
    }
    const integration = integrationOf(served.definition, route);
    if (!integration) {
      this.send(c, JSON.stringify({ message: 'Internal server error', connectionId: c.connectionId, requestId: requestContext.requestId }));
      return;
    }
    const twoWay = (served.definition.routeResponses.get(route.RouteId ?? '')?.size ?? 0) > 0 && route.RouteResponseSelectionExpression !== undefined;
    if (integration.IntegrationType === 'MOCK') {
      if (!twoWay) return;
      const reply = mockReply(served.definition, integration, text ?? buf.toString('base64'), requestContext);
      if (reply === null) this.send(c, JSON.stringify({ message: 'Internal server error', connectionId: c.connectionId, requestId: requestContext.requestId }));
      else if (reply !== undefined && reply !== '') this.send(c, reply);
      return;
    }
    const failed = (): void => this.send(c, JSON.stringify({ message: 'Internal server error', connectionId: c.connectionId, requestId: requestContext.requestId }));
    if (integration.IntegrationType === 'HTTP_PROXY') {
      const answer = await this.callHttp(integration, buf, c.headers);
      if (!answer) failed();
      else if (twoWay && answer.body !== '') this.send(c, answer.body);
      return;
    }
    const event = { requestContext, body: text ?? buf.toString('base64'), isBase64Encoded: text === undefined };
    const outcome = await this.callLambda(integration, event);
    if (outcome.kind !== 'ok') {
      failed();
      return;
    }
    if (twoWay) {
      const reply = replyOf(outcome.value);
      if (reply !== undefined) this.send(c, reply);
    }
  }

  private send(c: Connection, data: string | Buffer): void {
    if (!c.closed) c.socket.send(data);
  }

  /** Closes the connection once nothing has passed either way for the idle timeout. */
  private watchIdle(c: Connection): void {
    const due = c.lastActiveAt + IDLE_TIMEOUT_MS - this.host.clock.now();
    c.timers.push(
      this.host.clock.setTimer(due, () => {
        if (c.closed) return;
        if (this.host.clock.now() - c.lastActiveAt >= IDLE_TIMEOUT_MS) c.socket.close(1001, 'Going away');
        else this.watchIdle(c);
      }),
    );
  }

  private async closed(c: Connection, code: number, reason: string): Promise<void> {
    if (c.closed) return;
    c.closed = true;
    for (const t of c.timers) t.cancel();
    this.connections.delete(c.connectionId);
    const served = servedStage(c.record, `/${c.stage}`);
    const route = served ? routeByKey(served.definition, '$disconnect') : undefined;
    const integration = route && served ? integrationOf(served.definition, route) : undefined;
    if (!integration || integration.IntegrationType === 'MOCK') return;
    if (integration.IntegrationType === 'HTTP_PROXY') {
      await this.callHttp(integration, undefined, c.headers);
      return;
    }
    const event = {
      headers: c.headers,
      multiValueHeaders: c.multiValueHeaders,
      requestContext: this.context(c, '$disconnect', 'DISCONNECT', this.host.clock.now(), { userAgent: c.userAgent, sourceIp: c.sourceIp }, {
        disconnectStatusCode: code,
        disconnectReason: reason,
      }),
      isBase64Encoded: false,
    };
    await this.callLambda(integration, event);
  }

  // ---- the management API ----

  private live(connectionId: string): Connection {
    const c = this.connections.get(connectionId);
    if (!c || c.closed) throw ManagementErrors.gone(connectionId);
    return c;
  }

  post(connectionId: string, data: Uint8Array | string | undefined): void {
    const c = this.live(connectionId);
    const buf = Buffer.from(data ?? '');
    if (buf.length > MAX_MESSAGE) throw ManagementErrors.payloadTooLarge();
    const text = buf.toString('utf8');
    // Text frames for UTF-8 data (what browsers expect of JSON), binary frames otherwise.
    c.lastActiveAt = this.host.clock.now();
    c.socket.send(Buffer.from(text, 'utf8').equals(buf) ? text : buf);
  }

  describe(connectionId: string): ConnectionInfo {
    const c = this.live(connectionId);
    return {
      ConnectedAt: new Date(c.connectedAt),
      LastActiveAt: new Date(c.lastActiveAt),
      Identity: { SourceIp: c.sourceIp, UserAgent: c.userAgent },
    };
  }

  disconnect(connectionId: string): void {
    const c = this.live(connectionId);
    c.socket.close(1000, 'Going away');
  }

  /** Drops every connection of an API (deleted) or of all APIs (reset, stop), without running $disconnect. */
  closeAll(apiId?: string): void {
    for (const c of [...this.connections.values()]) {
      if (apiId !== undefined && c.record.api.ApiId !== apiId) continue;
      c.closed = true;
      for (const t of c.timers) t.cancel();
      this.connections.delete(c.connectionId);
      c.socket.terminate();
    }
  }
}

function refuse(socket: Duplex, status: number): void {
  const text = status === 404 ? 'Not Found' : status === 403 ? 'Forbidden' : status >= 500 ? 'Internal Server Error' : 'Unauthorized';
  socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
}

/** Header names as clients usually write them (`User-Agent`), which is how AWS hands them to `$connect`. */
function canonical(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}

function routeByKey(definition: ApiDefinition, key: string): Route | undefined {
  for (const r of definition.routes.values()) if (r.RouteKey === key) return r;
  return undefined;
}

function integrationOf(definition: ApiDefinition, route: Route): Integration | undefined {
  const id = /^integrations\/(.+)$/.exec(route.Target ?? '')?.[1];
  return id ? definition.integrations.get(id) : undefined;
}

function mockStatus(integration: Integration): number {
  const templates = integration.RequestTemplates ?? {};
  const template = templates.$default ?? Object.values(templates)[0];
  if (template === undefined) return 200;
  try {
    return statusOf(JSON.parse(template));
  } catch {
    return 200;
  }
}

/**
 * A MOCK integration's answer on a two-way route: the integration response whose key matches the status the request
 * template gave (a /pattern/ before $default), its template rendered as Velocity with $context and $input. Undefined
 * when there is nothing to send, null when the template fails.
 */
function mockReply(definition: ApiDefinition, integration: Integration, body: string, context: Record<string, unknown>): string | undefined | null {
  const status = String(mockStatus(integration));
  const responses = [...(definition.integrationResponses.get(integration.IntegrationId ?? '')?.values() ?? [])];
  const chosen =
    responses.find((r) => {
      const m = /^\/(.+)\/$/.exec(r.IntegrationResponseKey ?? '');
      return m ? new RegExp(`^(?:${m[1]})$`).test(status) : false;
    }) ?? responses.find((r) => r.IntegrationResponseKey === '$default');
  const templates = chosen?.ResponseTemplates ?? {};
  const template = templates[chosen?.TemplateSelectionExpression ?? '$default'] ?? templates.$default ?? Object.values(templates)[0];
  if (template === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const select = (path: string): unknown => {
    let v = parsed;
    for (const step of path.replace(/^\$\.?/, '').split('.').filter(Boolean)) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[step] : undefined;
    return v;
  };
  try {
    return renderVelocity(template, {
      context,
      input: { body, json: (path: string) => JSON.stringify(select(path) ?? null), path: (path: string) => select(path) },
    });
  } catch {
    return null;
  }
}

function statusOf(value: unknown): number {
  if (value !== null && typeof value === 'object' && 'statusCode' in value) {
    const n = Number((value).statusCode);
    return Number.isInteger(n) ? n : 500;
  }
  return 200;
}

/** The route key a message selects: `$request.body.PATH` (or `${request.body.PATH}`) read from a JSON message. */
export function selectRouteKey(expression: string, message: string): string | undefined {
  const m = /^\$\{?request\.body\.([^}]+)\}?$/.exec(expression.trim());
  if (!m) return expression.startsWith('$') ? undefined : expression;
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  for (const step of (m[1] ?? '').split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** What a two-way route sends back: a proxy result's body, or the function's result itself. */
function replyOf(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'statusCode' in value) {
    const body = (value as { body?: unknown }).body;
    if (body === undefined || body === null) return undefined;
    return typeof body === 'string' ? body : JSON.stringify(body);
  }
  return JSON.stringify(value);
}
