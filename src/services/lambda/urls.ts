// Function URLs: Create/Get/Update/Delete/ListFunctionUrlConfigs, and the traffic they serve (the lambda provider's
// data plane) at `http://URL_ID.lambda-url.REGION.localhost:PORT/` and `http://localhost:PORT/_aws/lambda-url/URL_ID/`,
// with AuthType (NONE, AWS_IAM), CORS and payload format 2.0; InvokeMode BUFFERED or RESPONSE_STREAM.
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  Cors,
  CreateFunctionUrlConfigRequest,
  CreateFunctionUrlConfigResponse,
  DeleteFunctionUrlConfigRequest,
  FunctionUrlConfig,
  GetFunctionUrlConfigRequest,
  GetFunctionUrlConfigResponse,
  ListFunctionUrlConfigsRequest,
  ListFunctionUrlConfigsResponse,
  UpdateFunctionUrlConfigRequest,
  UpdateFunctionUrlConfigResponse,
} from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import type { DataPlane, DataPlaneRequest, ServiceHost } from '../../core/provider.js';
import type { HttpResponse } from '../../protocols/http.js';
import { isPreflight, preflight, withCors } from './dataplane/cors.js';
import { badGateway, buildUrlEvent, forbidden, mapUrlResult, messageResponse } from './dataplane/payload.js';
import { streamedUrlResponse, type UrlStreamCallbacks } from './dataplane/streamed-response.js';
import { conflict, functionNotFound, invalidParameter, resourceNotFound, validation } from './errors.js';
import type { FunctionRecord, FunctionStore } from './functions.js';
import type { PolicyDocument } from './permissions.js';
import type { InvocationOutcome } from './runtime/environment.js';

/** The synchronous request payload limit applies to function URL requests too. */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
const AUTH_TYPES = ['NONE', 'AWS_IAM'];
const CORS_METHODS = ['GET', 'PUT', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS', '*'];

/** What function URLs need from the rest of Lambda. */
export interface UrlFunctionLocator {
  /** The function and qualifier a request names; throws ResourceNotFoundException. */
  locate(
    ctx: RequestContext,
    functionName: string | undefined,
    qualifier: string | undefined,
  ): { readonly store: FunctionStore; readonly fn: FunctionRecord; readonly qualifier: string | undefined };
  /** The function of that name now (undefined once deleted or after a reset). */
  current(account: string, region: string, name: string): FunctionRecord | undefined;
  /**
   * One synchronous invocation through the normal invoke path; throws TooManyRequestsException when throttled.
   * With `stream`, a streamed response goes to its callbacks as it is written (RESPONSE_STREAM).
   */
  invoke(
    fn: FunctionRecord,
    qualifier: string | undefined,
    requestId: string,
    payload: Buffer,
    stream?: UrlStreamCallbacks,
  ): Promise<InvocationOutcome>;
  /** The resource-based policy of the function or alias, when it has one. */
  policy(fn: FunctionRecord, qualifier: string | undefined): PolicyDocument | undefined;
}

interface UrlRecord {
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly fn: FunctionRecord;
  /** An alias name, or undefined for the unqualified function ($LATEST). */
  readonly qualifier: string | undefined;
  readonly creationTime: string;
  lastModifiedTime: string;
  authType: string;
  cors: Cors | undefined;
  invokeMode: string;
}

export class FunctionUrls {
  private readonly byId = new Map<string, UrlRecord>();
  private readonly byFunction = new WeakMap<FunctionRecord, Map<string, UrlRecord>>();

  constructor(
    private readonly host: ServiceHost,
    private readonly functions: UrlFunctionLocator,
  ) {}

  // ---- control plane ----

  create(ctx: RequestContext, input: CreateFunctionUrlConfigRequest): CreateFunctionUrlConfigResponse {
    const { fn, qualifier, account, region } = this.target(ctx, input.FunctionName, input.Qualifier);
    const authType = checkAuthType(input.AuthType);
    const invokeMode = checkInvokeMode(input.InvokeMode);
    const cors = checkCors(input.Cors);
    if (this.find(fn, qualifier)) {
      throw conflict(
        `Failed to create function url config for [functionArn = ${arnOf(fn, qualifier)}]. ` +
          'Error message:  FunctionUrlConfig exists for this Lambda function',
      );
    }
    const now = new Date(this.host.clock.now()).toISOString();
    let id: string;
    do id = urlId();
    while (this.byId.has(id));
    const record: UrlRecord = {
      id,
      account,
      region,
      fn,
      qualifier,
      creationTime: now,
      lastModifiedTime: now,
      authType,
      cors,
      invokeMode,
    };
    this.byId.set(id, record);
    let forFunction = this.byFunction.get(fn);
    if (!forFunction) {
      forFunction = new Map();
      this.byFunction.set(fn, forFunction);
    }
    forFunction.set(qualifier ?? '', record);
    const config = this.render(ctx, record);
    return {
      FunctionUrl: config.FunctionUrl,
      FunctionArn: config.FunctionArn,
      AuthType: config.AuthType,
      ...(config.Cors ? { Cors: config.Cors } : {}),
      CreationTime: config.CreationTime,
      InvokeMode: config.InvokeMode,
    };
  }

  get(ctx: RequestContext, input: GetFunctionUrlConfigRequest): GetFunctionUrlConfigResponse {
    const { fn, qualifier } = this.target(ctx, input.FunctionName, input.Qualifier);
    return this.render(ctx, this.existing(fn, qualifier));
  }

  update(ctx: RequestContext, input: UpdateFunctionUrlConfigRequest): UpdateFunctionUrlConfigResponse {
    const { fn, qualifier } = this.target(ctx, input.FunctionName, input.Qualifier);
    const record = this.existing(fn, qualifier);
    const authType = input.AuthType !== undefined ? checkAuthType(input.AuthType) : record.authType;
    const invokeMode = input.InvokeMode !== undefined ? checkInvokeMode(input.InvokeMode) : record.invokeMode;
    const cors = input.Cors !== undefined ? checkCors(input.Cors) : record.cors;
    record.authType = authType;
    record.invokeMode = invokeMode;
    record.cors = cors;
    record.lastModifiedTime = new Date(this.host.clock.now()).toISOString();
    return this.render(ctx, record);
  }

  delete(ctx: RequestContext, input: DeleteFunctionUrlConfigRequest): Record<string, never> {
    const { fn, qualifier } = this.target(ctx, input.FunctionName, input.Qualifier);
    const record = this.existing(fn, qualifier);
    this.forget(record);
    return {};
  }

  list(ctx: RequestContext, input: ListFunctionUrlConfigsRequest): ListFunctionUrlConfigsResponse {
    const { fn, qualifier } = this.functions.locate(ctx, input.FunctionName, undefined);
    if (qualifier !== undefined) throw invalidParameter('Qualifier is not supported for ListFunctionUrlConfigs.');
    const max = input.MaxItems ?? 50;
    if (!Number.isInteger(max) || max < 1 || max > 50) {
      throw validation(
        max,
        'maxItems',
        max < 1 ? 'Member must have value greater than or equal to 1' : 'Member must have value less than or equal to 50',
      );
    }
    const all = [...(this.byFunction.get(fn)?.values() ?? [])]
      .filter((r) => this.alive(r))
      .sort((a, b) => ((a.qualifier ?? '') < (b.qualifier ?? '') ? -1 : 1));
    let start = 0;
    if (input.Marker) {
      start = Number(Buffer.from(input.Marker, 'base64').toString('utf8'));
      if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid Marker.');
    }
    const page = all.slice(start, start + max);
    const next = start + page.length;
    return {
      FunctionUrlConfigs: page.map((r) => this.render(ctx, r)),
      ...(next < all.length ? { NextMarker: Buffer.from(String(next)).toString('base64') } : {}),
    };
  }

  reset(): void {
    this.byId.clear();
  }

  // ---- data plane ----

  readonly dataPlane: DataPlane = {
    handle: (req) => this.handle(req),
  };

  private async handle(req: DataPlaneRequest): Promise<HttpResponse> {
    const record = this.byId.get(req.id.toLowerCase());
    if (!record || !this.alive(record) || (req.region !== undefined && req.region !== record.region)) return forbidden();
    const http = req.request;
    let iam: { accessKey: string; accountId: string } | undefined;
    if (record.authType === 'AWS_IAM') {
      iam = callerOf(http.headers.authorization, http.rawQuery, this.host.config.account);
      if (!iam || !this.mayInvoke(record, iam.accountId)) return forbidden();
    }
    const cors = record.cors;
    if (cors && isPreflight(http)) return preflight(cors, http);
    if (http.body.length > MAX_REQUEST_BYTES) {
      return messageResponse(413, `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`);
    }
    const requestId = randomUUID();
    const domainName =
      req.form === 'host' ? req.host.replace(/:\d+$/, '') : `${record.id}.lambda-url.${record.region}.localhost`;
    const event = buildUrlEvent(http, {
      accountId: record.account,
      urlId: record.id,
      domainName,
      requestId,
      sourceIp: req.sourceIp,
      now: this.host.clock.now(),
      ...(iam ? { iam } : {}),
    });
    let response: HttpResponse;
    try {
      const payload = Buffer.from(JSON.stringify(event));
      if (record.invokeMode === 'RESPONSE_STREAM') {
        response = await streamedUrlResponse((callbacks) =>
          this.functions.invoke(record.fn, record.qualifier, requestId, payload, callbacks),
        );
      } else {
        const outcome = await this.functions.invoke(record.fn, record.qualifier, requestId, payload);
        response = outcome.functionError ? badGateway() : mapUrlResult(outcome.payload);
      }
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      response =
        err.code === 'TooManyRequestsException'
          ? messageResponse(429, 'Rate Exceeded.')
          : messageResponse(err.status, err.message);
    }
    response.headers['x-amzn-requestid'] = requestId;
    return cors ? withCors(cors, http, response) : response;
  }

  /**
   * AWS_IAM: the owner's account may call its own URL (its IAM policies are not modelled); another account needs a
   * statement allowing lambda:InvokeFunctionUrl in the function's (or alias's) resource-based policy.
   */
  private mayInvoke(record: UrlRecord, callerAccount: string): boolean {
    if (callerAccount === record.account) return true;
    const policy = this.functions.policy(record.fn, record.qualifier);
    return (policy?.statements ?? []).some((s) => {
      if (s.Action !== 'lambda:InvokeFunctionUrl' && s.Action !== 'lambda:*' && s.Action !== '*') return false;
      for (const [operator, values] of Object.entries(s.Condition ?? {})) {
        for (const [key, value] of Object.entries(values)) {
          if (!(operator === 'StringEquals' && key === 'lambda:FunctionUrlAuthType' && value === 'AWS_IAM')) return false;
        }
      }
      if (s.Principal === '*') return true;
      if (typeof s.Principal === 'string') return false;
      const aws = s.Principal.AWS;
      return aws !== undefined && (aws === '*' || aws === callerAccount || aws.split(':')[4] === callerAccount);
    });
  }

  // ---- helpers ----

  private target(
    ctx: RequestContext,
    functionName: string | undefined,
    qualifierParam: string | undefined,
  ): { fn: FunctionRecord; qualifier: string | undefined; account: string; region: string } {
    const { store, fn, qualifier } = this.functions.locate(ctx, functionName, qualifierParam);
    if (qualifier === undefined || qualifier === '$LATEST') return { fn, qualifier: undefined, account: store.account, region: store.region };
    if (/^\d+$/.test(qualifier)) {
      throw validation(
        qualifier,
        'qualifier',
        'Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)|(^\\$LATEST$)',
      );
    }
    if (!fn.aliases.has(qualifier)) throw functionNotFound(`${fn.arn}:${qualifier}`);
    return { fn, qualifier, account: store.account, region: store.region };
  }

  private find(fn: FunctionRecord, qualifier: string | undefined): UrlRecord | undefined {
    const record = this.byFunction.get(fn)?.get(qualifier ?? '');
    return record && this.alive(record) ? record : undefined;
  }

  private existing(fn: FunctionRecord, qualifier: string | undefined): UrlRecord {
    const record = this.find(fn, qualifier);
    if (!record) throw resourceNotFound('The resource you requested does not exist.');
    return record;
  }

  /** A URL lives as long as its function (and alias); a stale one is dropped when met. */
  private alive(record: UrlRecord): boolean {
    const ok =
      this.functions.current(record.account, record.region, record.fn.name) === record.fn &&
      (record.qualifier === undefined || record.fn.aliases.has(record.qualifier));
    if (!ok) this.forget(record);
    return ok;
  }

  private forget(record: UrlRecord): void {
    this.byId.delete(record.id);
    const forFunction = this.byFunction.get(record.fn);
    if (forFunction?.get(record.qualifier ?? '') === record) forFunction.delete(record.qualifier ?? '');
  }

  private render(ctx: RequestContext, r: UrlRecord): FunctionUrlConfig {
    const port = /:(\d+)$/.exec(ctx.host)?.[1];
    return {
      FunctionUrl: `${ctx.scheme}://${r.id}.lambda-url.${r.region}.localhost${port ? `:${port}` : ''}/`,
      FunctionArn: arnOf(r.fn, r.qualifier),
      AuthType: r.authType as FunctionUrlConfig['AuthType'],
      ...(r.cors ? { Cors: r.cors } : {}),
      CreationTime: r.creationTime,
      LastModifiedTime: r.lastModifiedTime,
      InvokeMode: r.invokeMode as FunctionUrlConfig['InvokeMode'],
    };
  }
}

function arnOf(fn: FunctionRecord, qualifier: string | undefined): string {
  return qualifier === undefined ? fn.arn : `${fn.arn}:${qualifier}`;
}

/** 32 lower-case letters and digits, as AWS's URL ids. */
function urlId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(32);
  let id = '';
  for (const b of bytes) id += alphabet[b % alphabet.length] ?? 'a';
  return id;
}

function checkAuthType(authType: string | undefined): string {
  if (authType === undefined || authType === null) throw validation(authType, 'authType', 'Member must not be null');
  if (!AUTH_TYPES.includes(authType)) {
    throw validation(authType, 'authType', 'Member must satisfy enum value set: [NONE, AWS_IAM]');
  }
  return authType;
}

function checkInvokeMode(mode: string | undefined): string {
  if (mode === undefined || mode === null) return 'BUFFERED';
  if (mode !== 'BUFFERED' && mode !== 'RESPONSE_STREAM') {
    throw validation(mode, 'invokeMode', 'Member must satisfy enum value set: [BUFFERED, RESPONSE_STREAM]');
  }
  return mode;
}

function checkCors(cors: Cors | undefined): Cors | undefined {
  if (cors === undefined || cors === null) return undefined;
  if (cors.MaxAge !== undefined && (!Number.isInteger(cors.MaxAge) || cors.MaxAge < 0 || cors.MaxAge > 86400)) {
    throw validation(cors.MaxAge, 'cors.maxAge', 'Member must have value less than or equal to 86400');
  }
  for (const m of cors.AllowMethods ?? []) {
    if (!CORS_METHODS.includes(m.toUpperCase())) {
      throw validation(m, 'cors.allowMethods.member', 'Member must satisfy regular expression pattern: .*');
    }
  }
  if ((cors.AllowMethods?.length ?? 0) > 6) {
    throw validation(`[${(cors.AllowMethods ?? []).join(', ')}]`, 'cors.allowMethods', 'Member must have length less than or equal to 6');
  }
  return {
    ...(cors.AllowCredentials !== undefined ? { AllowCredentials: cors.AllowCredentials } : {}),
    ...(cors.AllowHeaders ? { AllowHeaders: [...cors.AllowHeaders] } : {}),
    ...(cors.AllowMethods ? { AllowMethods: [...cors.AllowMethods] } : {}),
    ...(cors.AllowOrigins ? { AllowOrigins: [...cors.AllowOrigins] } : {}),
    ...(cors.ExposeHeaders ? { ExposeHeaders: [...cors.ExposeHeaders] } : {}),
    ...(cors.MaxAge !== undefined ? { MaxAge: cors.MaxAge } : {}),
  };
}

/**
 * The caller of a SigV4-signed request (Authorization header or presigned query): its access key and account (a
 * 12-digit access key id is the account, as everywhere in Switchyard). Undefined when the request is not signed.
 */
function callerOf(
  authorization: string | string[] | undefined,
  rawQuery: string,
  defaultAccount: string,
): { accessKey: string; accountId: string } | undefined {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  let credential: string | undefined;
  if (header?.startsWith('AWS4-HMAC-SHA256 ')) {
    if (!/Signature=[0-9a-f]+/.test(header)) return undefined;
    credential = /Credential=([^,\s]+)/.exec(header)?.[1];
  } else {
    const params = new URLSearchParams(rawQuery);
    if (params.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256' && params.get('X-Amz-Signature')) {
      credential = params.get('X-Amz-Credential') ?? undefined;
    }
  }
  const accessKey = credential?.split('/')[0];
  if (!accessKey) return undefined;
  return { accessKey, accountId: /^\d{12}$/.test(accessKey) ? accessKey : defaultAccount };
}
