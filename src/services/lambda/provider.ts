// AWS Lambda: functions from a zip or a local folder, run in child-process execution environments that speak the
// Lambda Runtime API. Control plane (functions, versions, aliases, tags) and Invoke (RequestResponse, Event, DryRun);
// InvokeWithResponseStream streams what the function writes (streaming.ts).
import { randomUUID } from 'node:crypto';
import type {
  AliasConfiguration,
  InvokeWithResponseStreamRequest,
  InvokeWithResponseStreamResponse,
  CreateAliasRequest,
  CreateFunctionRequest,
  DeleteAliasRequest,
  DeleteFunctionConcurrencyRequest,
  DeleteFunctionEventInvokeConfigRequest,
  DestinationConfig,
  FunctionEventInvokeConfig,
  GetFunctionEventInvokeConfigRequest,
  PutFunctionEventInvokeConfigRequest,
  UpdateFunctionEventInvokeConfigRequest,
  DeleteFunctionRequest,
  DeleteFunctionResponse,
  GetAccountSettingsResponse,
  GetFunctionConcurrencyRequest,
  GetFunctionConcurrencyResponse,
  FunctionCode as FunctionCodeInput,
  FunctionConfiguration,
  GetAliasRequest,
  GetFunctionConfigurationRequest,
  GetFunctionRequest,
  GetFunctionResponse,
  InvocationRequest,
  InvocationResponse,
  InvokeAsyncRequest,
  InvokeAsyncResponse,
  ListAliasesRequest,
  ListAliasesResponse,
  ListFunctionsRequest,
  ListFunctionsResponse,
  ListTagsRequest,
  ListTagsResponse,
  ListVersionsByFunctionRequest,
  ListVersionsByFunctionResponse,
  LoggingConfig,
  PublishVersionRequest,
  PutFunctionConcurrencyRequest,
  Concurrency,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateAliasRequest,
  UpdateFunctionCodeRequest,
  UpdateFunctionConfigurationRequest,
} from '@aws-sdk/client-lambda';
import { formatArn, parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost, ServiceProvider } from '../../core/provider.js';
import { RegionalStores } from '../../core/stores.js';
import type { DeliveryResult, DeliverySource, TargetMessage, TargetOwner } from '../../core/targets.js';
import { CodeStorage, HOT_RELOAD_BUCKET, type FunctionCode } from './code.js';
import {
  conflict,
  functionNotFound,
  invalidParameter,
  preconditionFailed,
  requestTooLarge,
  resourceNotFound,
  validation,
} from './errors.js';
import { allVersions, FunctionStore, type FunctionRecord, type VersionRecord } from './functions.js';
import { EventSourceMappings } from './event-source-mappings.js';
import { PermissionOperations } from './permissions.js';
import { FunctionUrls } from './urls.js';
import { Layers } from './layers.js';
import { codeArchive, codeLocation, noSuchKey, parseCodePath, zipResponse } from './code-download.js';
import type { HttpResponse } from '../../protocols/http.js';
import { DEFAULT_ASYNC_POLICY, type Execution, type AsyncPolicy, type ExecutionRequest } from './execution.js';
import { LoggedExecution } from './logs-writer.js';
import { invocationEvents } from './streaming.js';
import {
  checkDescription,
  checkEnvironment,
  checkHandler,
  checkMemorySize,
  checkNewName,
  checkRole,
  checkRuntime,
  checkTimeout,
  parseFunctionRef,
  qualifierOf,
  type FunctionRef,
} from './validate.js';

/** Synchronous request and response payload limit (6 MB). */
export const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
/** Asynchronous (Event) payload limit: 1 MB since 2025 (it was 256 KB). */
export const MAX_ASYNC_PAYLOAD = 1024 * 1024;
/** The deprecated InvokeAsync operation's payload limit. */
export const MAX_INVOKE_ASYNC_PAYLOAD = 256 * 1024;
/** LogType=Tail returns this much of the end of the log. */
const LOG_TAIL_BYTES = 4096;
/** The account's concurrency limit, as GetAccountSettings reports it. */
const ACCOUNT_CONCURRENCY = 1000;

export interface InvokeResult {
  readonly statusCode: number;
  readonly payload: Buffer;
  readonly functionError?: string;
  readonly log: string;
  readonly executedVersion: string;
  readonly requestId: string;
}

/** What other services use: synchronous invoke (Step Functions, API Gateway) and deliver (asynchronous invoke). */
export interface LambdaInternal extends TargetOwner {
  invoke(arn: string, payload: string | Uint8Array, options?: { readonly qualifier?: string }): Promise<InvokeResult>;
  /** Serves GetFunction's Code.Location and GetLayerVersion's Content.Location (a path under /_aws/lambda-code/). */
  codeDownload(path: string): HttpResponse;
}

interface Located {
  readonly store: FunctionStore;
  readonly fn: FunctionRecord;
  readonly qualifier: string | undefined;
}

const lambdaTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

class LambdaService {
  readonly stores: RegionalStores<FunctionStore>;
  private readonly code = new CodeStorage();
  private readonly execution: Execution;
  readonly mappings: EventSourceMappings;
  readonly permissions: PermissionOperations;
  readonly layers: Layers;
  readonly urls: FunctionUrls;
  /** Published versions keep the code of $LATEST at publish time; this counts the users of each code folder. */
  private readonly codeUsers = new Map<FunctionCode, number>();
  /** Whether $LATEST changed since the last PublishVersion. */
  private readonly changedSincePublish = new WeakMap<FunctionRecord, boolean>();

  constructor(private readonly host: ServiceHost) {
    this.stores = new RegionalStores((account, region) => new FunctionStore(account, region));
    this.execution = new LoggedExecution(host, this.code, () => this.endpoint());
    this.mappings = new EventSourceMappings(host, {
      resolveFunction: (ctx, name) => {
        const { fn, qualifier } = this.locate(ctx, name, undefined);
        this.versionOf(fn, qualifier);
        return qualifier === undefined ? fn.arn : `${fn.arn}:${qualifier}`;
      },
      invoke: (arn, payload) => this.internal.invoke(arn, payload),
      roleOf: (arn) => { const ref = parseFunctionRef(arn); const fn = this.stores.peek(ref.account ?? '', ref.region ?? '')?.get(ref.name); return fn ? this.versionOf(fn, ref.qualifier).record.config.Role : undefined; },
      timeoutOf: (arn) => {
        const ref = parseFunctionRef(arn);
        const fn = this.stores.peek(ref.account ?? '', ref.region ?? '')?.get(ref.name);
        return fn ? (this.versionOf(fn, ref.qualifier).record.config.Timeout ?? 3) : 3;
      },
      exists: (arn) => {
        const ref = parseFunctionRef(arn);
        const fn = this.stores.peek(ref.account ?? '', ref.region ?? '')?.get(ref.name);
        if (!fn) return false;
        try {
          this.versionOf(fn, ref.qualifier);
          return true;
        } catch {
          return false;
        }
      },
    });
    this.layers = new Layers(host.clock, () => this.endpoint());
    this.execution.layerDir = (arns) => this.layers.optDir(arns);
    this.permissions = new PermissionOperations({
      locate: (ctx, name, qualifierParam) => {
        const { fn, qualifier } = this.locate(ctx, name, qualifierParam);
        const { record } = this.versionOf(fn, qualifier);
        const alias = (): AliasConfiguration | undefined =>
          qualifier === undefined ? undefined : fn.aliases.get(qualifier);
        return {
          fn,
          qualifier,
          resource: qualifier === undefined ? fn.arn : `${fn.arn}:${qualifier}`,
          revision: {
            get: () => alias()?.RevisionId ?? record.config.RevisionId ?? '',
            set: (id) => {
              const a = alias();
              if (a && qualifier !== undefined) fn.aliases.set(qualifier, { ...a, RevisionId: id });
              else record.config = { ...record.config, RevisionId: id };
            },
          },
        };
      },
    });
    this.urls = new FunctionUrls(host, {
      locate: (ctx, name, qualifier) => this.locate(ctx, name, qualifier),
      current: (account, region, name) => this.stores.peek(account, region)?.get(name),
      invoke: (fn, qualifier, requestId, payload, stream) => {
        const arn = parseArn(fn.arn);
        return this.execution.execute(this.stores.get(arn?.account ?? '', arn?.region ?? ''), fn, this.versionOf(fn, qualifier, true).record, {
          requestId,
          payload,
          invokedFunctionArn: qualifier === undefined ? fn.arn : `${fn.arn}:${qualifier}`,
          ...stream,
        });
      },
      policy: (fn, qualifier) => this.permissions.policies.get(fn, qualifier),
    });
  }

  // ---- control plane ----

  createFunction(ctx: RequestContext, input: CreateFunctionRequest): FunctionConfiguration {
    const ref = parseFunctionRef(input.FunctionName);
    checkNewName(ref.name);
    if (ref.qualifier !== undefined) throw invalidParameter('Qualifier is not supported for CreateFunction.');
    const role = checkRole(input.Role);
    if (input.PackageType === 'Image') {
      throw invalidParameter('Switchyard does not run container image functions yet: use PackageType Zip.');
    }
    checkRuntime(input.Runtime);
    checkHandler(input.Handler);
    checkTimeout(input.Timeout);
    checkMemorySize(input.MemorySize);
    checkDescription(input.Description);
    const variables = checkEnvironment(input.Environment);
    if (!input.Runtime || !input.Handler) {
      throw invalidParameter(
        'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
      );
    }
    if (!input.Code) throw validation(undefined, 'code', 'Member must not be null');
    const store = this.storeOf(ctx, ref);
    const arn = this.functionArn(store, ref.name);
    if (store.get(ref.name)) throw conflict(`Function already exist: ${ref.name}`);
    const layers = this.layers.resolveFunctionLayers(store.account, input.Layers);
    const code = this.loadCode(input.Code);
    const now = this.host.clock.now();
    const config: FunctionConfiguration = {
      FunctionName: ref.name,
      FunctionArn: arn,
      Runtime: input.Runtime,
      Role: role,
      Handler: input.Handler,
      CodeSize: code.size,
      Description: input.Description ?? '',
      Timeout: input.Timeout ?? 3,
      MemorySize: input.MemorySize ?? 128,
      LastModified: lambdaTime(now),
      CodeSha256: code.sha256,
      Version: '$LATEST',
      ...(variables ? { Environment: { Variables: variables } } : {}),
      TracingConfig: { Mode: input.TracingConfig?.Mode ?? 'PassThrough' },
      RevisionId: randomUUID(),
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Architectures: input.Architectures?.length ? input.Architectures : ['x86_64'],
      EphemeralStorage: { Size: input.EphemeralStorage?.Size ?? 512 },
      SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      LoggingConfig: loggingConfig(input.LoggingConfig, ref.name),
      ...(layers?.length ? { Layers: layers } : {}),
      ...(input.DeadLetterConfig ? { DeadLetterConfig: input.DeadLetterConfig } : {}),
      ...(input.KMSKeyArn ? { KMSKeyArn: input.KMSKeyArn } : {}),
    };
    const record: FunctionRecord = {
      name: ref.name,
      arn,
      latest: { config, code, pool: undefined },
      versions: new Map(),
      aliases: new Map(),
      nextVersion: 1,
      tags: new Map(Object.entries(input.Tags ?? {})),
      reservedConcurrency: undefined,
      eventInvokeConfigs: new Map(),
    };
    if (!store.addIfAbsent(record)) {
      this.code.release(code);
      throw conflict(`Function already exist: ${ref.name}`);
    }
    this.useCode(code);
    this.changedSincePublish.set(record, true);
    const created = input.Publish ? this.publish(record, undefined).config : config;
    // The function is usable at once; the answer to CreateFunction still shows the Pending state AWS reports.
    return {
      ...created,
      State: 'Pending',
      StateReason: 'The function is being created.',
      StateReasonCode: 'Creating',
    };
  }

  getFunction(ctx: RequestContext, input: GetFunctionRequest): GetFunctionResponse {
    const { fn, qualifier } = this.locate(ctx, input.FunctionName, input.Qualifier);
    const version = this.versionOf(fn, qualifier).record;
    const tags = Object.fromEntries(fn.tags);
    return {
      Configuration: { ...version.config },
      Code: {
        RepositoryType: 'S3',
        Location: codeLocation(this.endpoint(), {
          kind: 'functions',
          account: parseArn(fn.arn)?.account ?? ctx.account,
          region: parseArn(fn.arn)?.region ?? ctx.region,
          name: fn.name,
          version: version.config.Version ?? '$LATEST',
        }),
      },
      ...(qualifier === undefined && fn.tags.size ? { Tags: tags } : {}),
      ...(fn.reservedConcurrency !== undefined
        ? { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } }
        : {}),
    };
  }

  getFunctionConfiguration(ctx: RequestContext, input: GetFunctionConfigurationRequest): FunctionConfiguration {
    const { fn, qualifier } = this.locate(ctx, input.FunctionName, input.Qualifier);
    return { ...this.versionOf(fn, qualifier).record.config };
  }

  listFunctions(ctx: RequestContext, input: ListFunctionsRequest): ListFunctionsResponse {
    const max = input.MaxItems ?? 50;
    if (!Number.isInteger(max) || max < 1)
      throw validation(max, 'maxItems', 'Member must have value greater than or equal to 1');
    if (max > 10000) throw validation(max, 'maxItems', 'Member must have value less than or equal to 10000');
    if (input.FunctionVersion !== undefined && input.FunctionVersion !== 'ALL') {
      throw validation(input.FunctionVersion, 'functionVersion', 'Member must satisfy enum value set: [ALL]');
    }
    const store = this.stores.get(ctx.account, ctx.region);
    const all: FunctionConfiguration[] = [];
    for (const fn of store.sorted()) {
      all.push({ ...fn.latest.config });
      if (input.FunctionVersion === 'ALL') for (const v of fn.versions.values()) all.push({ ...v.config });
    }
    const { page, nextMarker } = pageByMarker(all, input.Marker, max);
    return { Functions: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) };
  }

  updateFunctionCode(ctx: RequestContext, input: UpdateFunctionCodeRequest): FunctionConfiguration {
    const { fn, qualifier } = this.locate(ctx, input.FunctionName, undefined);
    if (qualifier !== undefined) throw invalidParameter('Qualifier is not supported for UpdateFunctionCode.');
    this.checkRevision(fn.latest.config.RevisionId, input.RevisionId);
    const code = this.loadCode(input);
    if (input.DryRun) {
      // Validated, not applied: the answer shows what the code would be.
      this.code.release(code);
      return { ...fn.latest.config, CodeSha256: code.sha256, CodeSize: code.size };
    }
    const latest = fn.latest;
    this.execution.dropPool(latest);
    this.unuseCode(latest.code);
    this.useCode(code);
    latest.code = code;
    latest.config = {
      ...latest.config,
      CodeSha256: code.sha256,
      CodeSize: code.size,
      ...(input.Architectures?.length ? { Architectures: input.Architectures } : {}),
    };
    this.touch(fn);
    const result = input.Publish ? this.publish(fn, undefined).config : latest.config;
    return { ...result, ...inProgress() };
  }

  updateFunctionConfiguration(ctx: RequestContext, input: UpdateFunctionConfigurationRequest): FunctionConfiguration {
    const { fn, qualifier } = this.locate(ctx, input.FunctionName, undefined);
    if (qualifier !== undefined) throw invalidParameter('Qualifier is not supported for UpdateFunctionConfiguration.');
    this.checkRevision(fn.latest.config.RevisionId, input.RevisionId);
    const role = input.Role !== undefined ? checkRole(input.Role) : undefined;
    checkRuntime(input.Runtime);
    checkHandler(input.Handler);
    checkTimeout(input.Timeout);
    checkMemorySize(input.MemorySize);
    checkDescription(input.Description);
    const variables = checkEnvironment(input.Environment);
    const layers = this.layers.resolveFunctionLayers(parseArn(fn.arn)?.account ?? ctx.account, input.Layers);
    const latest = fn.latest;
    const next: FunctionConfiguration = { ...latest.config };
    if (layers !== undefined) next.Layers = layers.length ? layers : undefined;
    if (role !== undefined) next.Role = role;
    if (input.Runtime !== undefined) next.Runtime = input.Runtime;
    if (input.Handler !== undefined) next.Handler = input.Handler;
    if (input.Timeout !== undefined) next.Timeout = input.Timeout;
    if (input.MemorySize !== undefined) next.MemorySize = input.MemorySize;
    if (input.Description !== undefined) next.Description = input.Description;
    if (variables !== undefined) next.Environment = { Variables: variables };
    if (input.TracingConfig?.Mode) next.TracingConfig = { Mode: input.TracingConfig.Mode };
    if (input.EphemeralStorage?.Size) next.EphemeralStorage = { Size: input.EphemeralStorage.Size };
    if (input.DeadLetterConfig) next.DeadLetterConfig = input.DeadLetterConfig;
    if (input.LoggingConfig)
      next.LoggingConfig = loggingConfig({ ...next.LoggingConfig, ...input.LoggingConfig }, fn.name);
    latest.config = next;
    // New settings (environment variables, memory, handler) take effect in new execution environments.
    this.execution.dropPool(latest);
    this.touch(fn);
    return { ...latest.config, ...inProgress() };
  }

  deleteFunction(ctx: RequestContext, input: DeleteFunctionRequest): DeleteFunctionResponse {
    const { store, fn, qualifier } = this.locate(ctx, input.FunctionName, input.Qualifier);
    if (qualifier === '$LATEST')
      throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
    if (qualifier !== undefined) {
      const version = fn.versions.get(qualifier);
      if (!version) throw functionNotFound(`${fn.arn}:${qualifier}`);
      const alias = [...fn.aliases.values()].find(
        (a) =>
          a.FunctionVersion === qualifier || Object.hasOwn(a.RoutingConfig?.AdditionalVersionWeights ?? {}, qualifier),
      );
      if (alias) {
        throw conflict(`Unable to delete version because the following aliases reference it: [${alias.Name ?? ''}]`);
      }
      this.execution.dropPool(version, true);
      this.unuseCode(version.code);
      fn.versions.delete(qualifier);
      return { StatusCode: 204 };
    }
    store.remove(fn.name);
    for (const v of allVersions(fn)) {
      this.execution.dropPool(v, true);
      this.unuseCode(v.code);
    }
    return { StatusCode: 204 };
  }

  publishVersion(ctx: RequestContext, input: PublishVersionRequest): FunctionConfiguration {
    const { fn, qualifier } = this.locate(ctx, input.FunctionName, undefined);
    if (qualifier !== undefined) throw invalidParameter('Qualifier is not supported for PublishVersion.');
    if (input.CodeSha256 !== undefined && input.CodeSha256 !== fn.latest.config.CodeSha256) {
      throw invalidParameter(
        `CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${fn.latest.config.CodeSha256 ?? ''}). Please try again with the CodeSHA256 in $LATEST.`,
      );
    }
    this.checkRevision(fn.latest.config.RevisionId, input.RevisionId);
    return { ...this.publish(fn, input.Description).config };
  }

  listVersionsByFunction(ctx: RequestContext, input: ListVersionsByFunctionRequest): ListVersionsByFunctionResponse {
    const { fn } = this.locate(ctx, input.FunctionName, undefined);
    const all = allVersions(fn).map((v) => ({ ...v.config }));
    const { page, nextMarker } = pageByMarker(all, input.Marker, input.MaxItems ?? 50);
    return { Versions: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) };
  }

  createAlias(ctx: RequestContext, input: CreateAliasRequest): AliasConfiguration {
    const { fn } = this.locate(ctx, input.FunctionName, undefined);
    const name = checkAliasName(input.Name);
    const version = this.checkAliasTarget(fn, input.FunctionVersion, input.RoutingConfig?.AdditionalVersionWeights);
    const aliasArn = `${fn.arn}:${name}`;
    if (fn.aliases.has(name)) throw conflict(`Alias already exists: ${aliasArn}`);
    const alias: AliasConfiguration = {
      AliasArn: aliasArn,
      Name: name,
      FunctionVersion: version,
      Description: input.Description ?? '',
      RevisionId: randomUUID(),
      ...(input.RoutingConfig ? { RoutingConfig: input.RoutingConfig } : {}),
    };
    fn.aliases.set(name, alias);
    return { ...alias };
  }

  getAlias(ctx: RequestContext, input: GetAliasRequest): AliasConfiguration {
    const { fn } = this.locate(ctx, input.FunctionName, undefined);
    return { ...this.aliasOf(fn, input.Name) };
  }

  listAliases(ctx: RequestContext, input: ListAliasesRequest): ListAliasesResponse {
    const { fn } = this.locate(ctx, input.FunctionName, undefined);
    const all = [...fn.aliases.values()]
      .filter((a) => input.FunctionVersion === undefined || a.FunctionVersion === input.FunctionVersion)
      .sort((a, b) => ((a.Name ?? '') < (b.Name ?? '') ? -1 : 1))
      .map((a) => ({ ...a }));
    const { page, nextMarker } = pageByMarker(all, input.Marker, input.MaxItems ?? 50);
    return { Aliases: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) };
  }

  updateAlias(ctx: RequestContext, input: UpdateAliasRequest): AliasConfiguration {
    const { fn } = this.locate(ctx, input.FunctionName, undefined);
    const alias = this.aliasOf(fn, input.Name);
    this.checkRevision(alias.RevisionId, input.RevisionId);
    const version = this.checkAliasTarget(
      fn,
      input.FunctionVersion ?? alias.FunctionVersion,
      input.RoutingConfig?.AdditionalVersionWeights,
    );
    const next: AliasConfiguration = {
      ...alias,
      FunctionVersion: version,
      RevisionId: randomUUID(),
      ...(input.Description !== undefined ? { Description: input.Description } : {}),
      ...(input.RoutingConfig !== undefined ? { RoutingConfig: input.RoutingConfig } : {}),
    };
    fn.aliases.set(alias.Name ?? '', next);
    return { ...next };
  }

  deleteAlias(ctx: RequestContext, input: DeleteAliasRequest): Record<string, never> {
    const { fn } = this.locate(ctx, input.FunctionName, undefined);
    if (input.Name) fn.aliases.delete(input.Name);
    if (input.Name) this.permissions.policies.forget(fn, input.Name);
    return {};
  }

  putFunctionConcurrency(ctx: RequestContext, input: PutFunctionConcurrencyRequest): Concurrency {
    const { fn, qualifier } = this.locate(ctx, input.FunctionName, undefined);
    if (qualifier !== undefined) throw invalidParameter('Qualifier is not supported for PutFunctionConcurrency.');
    const n = input.ReservedConcurrentExecutions;
    if (n === undefined || n === null) throw validation(n, 'reservedConcurrentExecutions', 'Member must not be null');
    if (!Number.isInteger(n) || n < 0) {
      throw validation(n, 'reservedConcurrentExecutions', 'Member must have value greater than or equal to 0');
    }
    if (n > ACCOUNT_CONCURRENCY - 100) {
      throw invalidParameter(
        `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].`,
      );
    }
    fn.reservedConcurrency = n;
    return { ReservedConcurrentExecutions: n };
  }

  getFunctionConcurrency(ctx: RequestContext, input: GetFunctionConcurrencyRequest): GetFunctionConcurrencyResponse {
    const { fn } = this.locate(ctx, input.FunctionName, undefined);
    return fn.reservedConcurrency !== undefined ? { ReservedConcurrentExecutions: fn.reservedConcurrency } : {};
  }

  deleteFunctionConcurrency(ctx: RequestContext, input: DeleteFunctionConcurrencyRequest): Record<string, never> {
    const { fn } = this.locate(ctx, input.FunctionName, undefined);
    fn.reservedConcurrency = undefined;
    return {};
  }

  getAccountSettings(ctx: RequestContext): GetAccountSettingsResponse {
    const store = this.stores.get(ctx.account, ctx.region);
    let reserved = 0;
    let codeSize = 0;
    for (const fn of store.functions.values()) {
      reserved += fn.reservedConcurrency ?? 0;
      for (const v of allVersions(fn)) codeSize += v.config.CodeSize ?? 0;
    }
    return {
      AccountLimit: {
        TotalCodeSize: 80530636800,
        CodeSizeUnzipped: 262144000,
        CodeSizeZipped: 52428800,
        ConcurrentExecutions: ACCOUNT_CONCURRENCY,
        UnreservedConcurrentExecutions: ACCOUNT_CONCURRENCY - reserved,
      },
      AccountUsage: { TotalCodeSize: codeSize, FunctionCount: store.functions.size },
    };
  }

  putFunctionEventInvokeConfig(
    ctx: RequestContext,
    input: PutFunctionEventInvokeConfigRequest,
  ): FunctionEventInvokeConfig {
    return this.writeEventInvokeConfig(ctx, input, false);
  }

  updateFunctionEventInvokeConfig(
    ctx: RequestContext,
    input: UpdateFunctionEventInvokeConfigRequest,
  ): FunctionEventInvokeConfig {
    return this.writeEventInvokeConfig(ctx, input, true);
  }

  getFunctionEventInvokeConfig(
    ctx: RequestContext,
    input: GetFunctionEventInvokeConfigRequest,
  ): FunctionEventInvokeConfig {
    const { fn, qualifier } = this.locate(ctx, input.FunctionName, input.Qualifier);
    const key = qualifier ?? '$LATEST';
    const config = fn.eventInvokeConfigs.get(key);
    if (!config) throw resourceNotFound(`The function ${fn.arn}:${key} doesn't have an EventInvokeConfig`);
    return { ...config };
  }

  deleteFunctionEventInvokeConfig(
    ctx: RequestContext,
    input: DeleteFunctionEventInvokeConfigRequest,
  ): Record<string, never> {
    const { fn, qualifier } = this.locate(ctx, input.FunctionName, input.Qualifier);
    const key = qualifier ?? '$LATEST';
    if (!fn.eventInvokeConfigs.delete(key)) {
      throw resourceNotFound(`The function ${fn.arn}:${key} doesn't have an EventInvokeConfig`);
    }
    return {};
  }

  tagResource(ctx: RequestContext, input: TagResourceRequest): Record<string, never> {
    const fn = this.taggable(ctx, input.Resource);
    if (!input.Tags || Object.keys(input.Tags).length === 0) {
      throw invalidParameter('A list of tags is required.');
    }
    for (const [k, v] of Object.entries(input.Tags)) fn.tags.set(k, v);
    if (fn.tags.size > 50) throw invalidParameter('The number of tags exceeds the limit of 50.');
    return {};
  }

  untagResource(ctx: RequestContext, input: UntagResourceRequest): Record<string, never> {
    const fn = this.taggable(ctx, input.Resource);
    for (const k of input.TagKeys ?? []) fn.tags.delete(k);
    return {};
  }

  listTags(ctx: RequestContext, input: ListTagsRequest): ListTagsResponse {
    const fn = this.taggable(ctx, input.Resource);
    return { Tags: Object.fromEntries(fn.tags) };
  }

  // ---- invoke ----

  async invokeOperation(ctx: RequestContext, input: InvocationRequest): Promise<InvocationResponse> {
    const type = input.InvocationType ?? 'RequestResponse';
    if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
      throw validation(type, 'invocationType', 'Member must satisfy enum value set: [Event, RequestResponse, DryRun]');
    }
    if (input.LogType !== undefined && input.LogType !== 'None' && input.LogType !== 'Tail') {
      throw validation(input.LogType, 'logType', 'Member must satisfy enum value set: [None, Tail]');
    }
    const located = this.locate(ctx, input.FunctionName, input.Qualifier);
    this.permissions.checkInvoke(
      ctx.account,
      located.store.account,
      located.fn,
      located.qualifier,
      located.qualifier === undefined ? located.fn.arn : `${located.fn.arn}:${located.qualifier}`,
    );
    const payload = Buffer.from(input.Payload ?? new Uint8Array());
    const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
    if (payload.length > limit) throw requestTooLarge(limit);
    const target = this.versionOf(located.fn, located.qualifier, true);
    checkJson(payload);
    let clientContext: string | undefined;
    if (input.ClientContext) {
      clientContext = Buffer.from(input.ClientContext, 'base64').toString('utf8');
      try {
        JSON.parse(clientContext);
      } catch {
        throw new ServiceError(
          'InvalidRequestContentException',
          'Client context must be a valid Base64-encoded JSON object.',
          {
            fields: { Type: 'User' },
            messageMember: 'message',
          },
        );
      }
    }
    if (type === 'DryRun') return { StatusCode: 204 };
    const invokedArn = located.qualifier === undefined ? located.fn.arn : `${located.fn.arn}:${located.qualifier}`;
    if (type === 'Event') {
      this.enqueueEvent(located.store, located.fn, located.qualifier, {
        requestId: ctx.requestId,
        payload,
        invokedFunctionArn: invokedArn,
      });
      return { StatusCode: 202 };
    }
    const outcome = await this.execution.execute(located.store, located.fn, target.record, {
      requestId: ctx.requestId,
      payload,
      invokedFunctionArn: invokedArn,
      ...(clientContext !== undefined ? { clientContext } : {}),
    });
    return {
      StatusCode: 200,
      Payload: outcome.payload,
      ExecutedVersion: target.version,
      ...(outcome.functionError ? { FunctionError: outcome.functionError } : {}),
      ...(input.LogType === 'Tail' ? { LogResult: logTail(outcome.log) } : {}),
    };
  }

  /** RequestResponse streams the function's response as PayloadChunk events; DryRun only checks. */
  invokeWithResponseStreamOperation(
    ctx: RequestContext,
    input: InvokeWithResponseStreamRequest,
  ): InvokeWithResponseStreamResponse {
    const type = input.InvocationType ?? 'RequestResponse';
    if (type !== 'RequestResponse' && type !== 'DryRun') {
      throw validation(type, 'invocationType', 'Member must satisfy enum value set: [RequestResponse, DryRun]');
    }
    if (input.LogType !== undefined && input.LogType !== 'None' && input.LogType !== 'Tail') {
      throw validation(input.LogType, 'logType', 'Member must satisfy enum value set: [None, Tail]');
    }
    const located = this.locate(ctx, input.FunctionName, input.Qualifier);
    const invokedArn = located.qualifier === undefined ? located.fn.arn : `${located.fn.arn}:${located.qualifier}`;
    this.permissions.checkInvoke(ctx.account, located.store.account, located.fn, located.qualifier, invokedArn);
    const payload = Buffer.from(input.Payload ?? new Uint8Array());
    if (payload.length > MAX_SYNC_PAYLOAD) throw requestTooLarge(MAX_SYNC_PAYLOAD);
    const target = this.versionOf(located.fn, located.qualifier, true);
    checkJson(payload);
    let clientContext: string | undefined;
    if (input.ClientContext) {
      clientContext = Buffer.from(input.ClientContext, 'base64').toString('utf8');
      try {
        JSON.parse(clientContext);
      } catch {
        throw new ServiceError('InvalidRequestContentException', 'Client context must be a valid Base64-encoded JSON object.', {
          fields: { Type: 'User' },
          messageMember: 'message',
        });
      }
    }
    if (type === 'DryRun') return { StatusCode: 204 };
    this.execution.checkCapacity(located.fn);
    const events = invocationEvents({
      run: (onChunk) =>
        this.execution.execute(located.store, located.fn, target.record, {
          requestId: ctx.requestId,
          payload,
          invokedFunctionArn: invokedArn,
          onChunk,
          ...(clientContext !== undefined ? { clientContext } : {}),
        }),
      logResult: (outcome) => (input.LogType === 'Tail' ? logTail(outcome.log) : undefined),
    });
    return { StatusCode: 200, ExecutedVersion: target.version, EventStream: events };
  }

  /** The deprecated InvokeAsync: an Event invocation with a 256 KB limit. */
  invokeAsyncOperation(ctx: RequestContext, input: InvokeAsyncRequest): InvokeAsyncResponse {
    const located = this.locate(ctx, input.FunctionName, undefined);
    this.permissions.checkInvoke(ctx.account, located.store.account, located.fn, located.qualifier, located.fn.arn);
    const args = input.InvokeArgs;
    const payload = Buffer.from(args instanceof Uint8Array ? args : typeof args === 'string' ? args : new Uint8Array());
    if (payload.length > MAX_INVOKE_ASYNC_PAYLOAD) throw requestTooLarge(MAX_INVOKE_ASYNC_PAYLOAD, 'InvokeAsync');
    this.versionOf(located.fn, located.qualifier);
    checkJson(payload);
    const invokedArn = located.qualifier === undefined ? located.fn.arn : `${located.fn.arn}:${located.qualifier}`;
    this.enqueueEvent(located.store, located.fn, located.qualifier, {
      requestId: ctx.requestId,
      payload,
      invokedFunctionArn: invokedArn,
    });
    return { Status: 202 };
  }

  readonly internal: LambdaInternal = {
    codeDownload: (path: string): HttpResponse => {
      const ref = parseCodePath(path);
      if (ref?.kind === 'layers') {
        const code = this.layers.code(ref.account, ref.region, ref.name, Number(ref.version));
        return code ? zipResponse(codeArchive(code)) : noSuchKey();
      }
      const fn = ref ? this.stores.peek(ref.account, ref.region)?.get(ref.name) : undefined;
      const record = ref && fn ? (ref.version === '$LATEST' ? fn.latest : fn.versions.get(ref.version)) : undefined;
      return record ? zipResponse(codeArchive(record.code)) : noSuchKey();
    },
    deliver: async (arn: string, message: TargetMessage, source: DeliverySource): Promise<DeliveryResult> => {
      const ctxLike = { account: source.account, region: source.region };
      const ref = parseFunctionRef(arn);
      const store = this.stores.get(ref.account ?? ctxLike.account, ref.region ?? ctxLike.region);
      const fn = store.get(ref.name);
      if (!fn) throw functionNotFound(arn);
      this.versionOf(fn, ref.qualifier);
      const payload = Buffer.from(message.body);
      if (payload.length > MAX_ASYNC_PAYLOAD) throw requestTooLarge(MAX_ASYNC_PAYLOAD);
      const requestId = randomUUID();
      const invokedArn = ref.qualifier === undefined ? fn.arn : `${fn.arn}:${ref.qualifier}`;
      this.enqueueEvent(store, fn, ref.qualifier, {
        requestId,
        payload,
        invokedFunctionArn: invokedArn,
      });
      return { id: requestId };
    },
    invoke: async (arn, payload, options = {}): Promise<InvokeResult> => {
      const ref = parseFunctionRef(arn);
      const store = this.stores.get(ref.account ?? this.host.config.account, ref.region ?? this.host.config.region);
      const fn = store.get(ref.name);
      const qualifier = options.qualifier ?? ref.qualifier;
      if (!fn) throw functionNotFound(arn);
      const target = this.versionOf(fn, qualifier, true);
      const body = Buffer.from(payload);
      if (body.length > MAX_SYNC_PAYLOAD) throw requestTooLarge(MAX_SYNC_PAYLOAD);
      const requestId = randomUUID();
      const outcome = await this.execution.execute(store, fn, target.record, {
        requestId,
        payload: body,
        invokedFunctionArn: qualifier === undefined ? fn.arn : `${fn.arn}:${qualifier}`,
      });
      return {
        statusCode: 200,
        payload: outcome.payload,
        log: outcome.log,
        executedVersion: target.version,
        requestId,
        ...(outcome.functionError ? { functionError: outcome.functionError } : {}),
      };
    },
  };

  // ---- lifecycle ----

  stop(): void {
    const records: VersionRecord[] = [];
    for (const store of this.stores.all()) for (const fn of store.functions.values()) records.push(...allVersions(fn));
    this.execution.stop(records);
    this.code.removeAll();
    this.layers.removeAll();
    this.codeUsers.clear();
    this.mappings.stop();
  }

  reset(): void {
    this.stop();
    this.mappings.reset();
    this.layers.reset();
    this.stores.clear();
  }

  // ---- helpers ----

  private writeEventInvokeConfig(
    ctx: RequestContext,
    input: PutFunctionEventInvokeConfigRequest,
    merge: boolean,
  ): FunctionEventInvokeConfig {
    const { fn, qualifier } = this.locate(ctx, input.FunctionName, input.Qualifier);
    this.versionOf(fn, qualifier);
    const key = qualifier ?? '$LATEST';
    const previous = fn.eventInvokeConfigs.get(key);
    if (merge && !previous) throw resourceNotFound(`The function ${fn.arn}:${key} doesn't have an EventInvokeConfig`);
    const retries = input.MaximumRetryAttempts;
    if (retries !== undefined && (!Number.isInteger(retries) || retries < 0 || retries > 2)) {
      throw validation(retries, 'maximumRetryAttempts', 'Member must have value less than or equal to 2');
    }
    const age = input.MaximumEventAgeInSeconds;
    if (age !== undefined && (!Number.isInteger(age) || age < 60 || age > 21600)) {
      throw validation(age, 'maximumEventAgeInSeconds', 'Member must have value between 60 and 21600');
    }
    for (const d of [
      input.DestinationConfig?.OnSuccess?.Destination,
      input.DestinationConfig?.OnFailure?.Destination,
    ]) {
      if (d !== undefined && !parseArn(d)) throw invalidParameter(`The destination ARN ${d} is invalid.`);
    }
    const base: FunctionEventInvokeConfig = merge && previous ? previous : {};
    const destinations: DestinationConfig = {
      OnSuccess: input.DestinationConfig?.OnSuccess ?? (merge ? (base.DestinationConfig?.OnSuccess ?? {}) : {}),
      OnFailure: input.DestinationConfig?.OnFailure ?? (merge ? (base.DestinationConfig?.OnFailure ?? {}) : {}),
    };
    const config: FunctionEventInvokeConfig = {
      LastModified: new Date(this.host.clock.now()),
      FunctionArn: `${fn.arn}:${key}`,
      ...(retries !== undefined
        ? { MaximumRetryAttempts: retries }
        : base.MaximumRetryAttempts !== undefined
          ? { MaximumRetryAttempts: base.MaximumRetryAttempts }
          : {}),
      ...(age !== undefined
        ? { MaximumEventAgeInSeconds: age }
        : base.MaximumEventAgeInSeconds !== undefined
          ? { MaximumEventAgeInSeconds: base.MaximumEventAgeInSeconds }
          : {}),
      DestinationConfig: destinations,
    };
    fn.eventInvokeConfigs.set(key, config);
    return { ...config };
  }

  private enqueueEvent(
    store: FunctionStore,
    fn: FunctionRecord,
    qualifier: string | undefined,
    req: ExecutionRequest,
  ): void {
    this.execution.invokeAsync(store, fn, this.eventTarget(store, fn, qualifier), req, this.asyncPolicy(fn, qualifier));
  }

  /** Retries, age, destinations (FunctionEventInvokeConfig) and dead-letter queue of an Event invocation. */
  private asyncPolicy(fn: FunctionRecord, qualifier: string | undefined): AsyncPolicy {
    const config = fn.eventInvokeConfigs.get(qualifier ?? '$LATEST');
    let record: VersionRecord | undefined;
    try {
      record = this.versionOf(fn, qualifier).record;
    } catch {
      record = undefined;
    }
    const onSuccess = config?.DestinationConfig?.OnSuccess?.Destination;
    const onFailure = config?.DestinationConfig?.OnFailure?.Destination;
    const deadLetter = record?.config.DeadLetterConfig?.TargetArn;
    return {
      maxRetries: config?.MaximumRetryAttempts ?? DEFAULT_ASYNC_POLICY.maxRetries,
      maxAgeMs: (config?.MaximumEventAgeInSeconds ?? DEFAULT_ASYNC_POLICY.maxAgeMs / 1000) * 1000,
      ...(onSuccess ? { onSuccess } : {}),
      ...(onFailure ? { onFailure } : {}),
      ...(deadLetter ? { deadLetter } : {}),
    };
  }

  /** The version an Event invocation runs at each attempt; undefined once the function or qualifier is gone. */
  private eventTarget(
    store: FunctionStore,
    fn: FunctionRecord,
    qualifier: string | undefined,
  ): () => VersionRecord | undefined {
    return () => {
      if (store.get(fn.name) !== fn) return undefined;
      try {
        return this.versionOf(fn, qualifier, true).record;
      } catch {
        return undefined;
      }
    };
  }

  private endpoint(): string {
    return this.host.endpoint;
  }

  private storeOf(ctx: { account: string; region: string }, ref: FunctionRef): FunctionStore {
    return this.stores.get(ref.account ?? ctx.account, ref.region ?? ctx.region);
  }

  private functionArn(store: FunctionStore, name: string): string {
    return formatArn('lambda', store.region, store.account, `function:${name}`);
  }

  private locate(ctx: RequestContext, functionName: string | undefined, qualifierParam: string | undefined): Located {
    const ref = parseFunctionRef(functionName);
    const qualifier = qualifierOf(ref, qualifierParam);
    const store = this.storeOf(ctx, ref);
    const fn = store.get(ref.name);
    if (!fn) {
      const arn = this.functionArn(store, ref.name);
      throw functionNotFound(qualifier === undefined ? arn : `${arn}:${qualifier}`);
    }
    return { store, fn, qualifier };
  }

  /** The version a qualifier names ($LATEST, a number or an alias), and the version that runs. */
  private versionOf(
    fn: FunctionRecord,
    qualifier: string | undefined,
    route = false,
  ): { record: VersionRecord; version: string } {
    if (qualifier === undefined || qualifier === '$LATEST') return { record: fn.latest, version: '$LATEST' };
    const published = fn.versions.get(qualifier);
    if (published) return { record: published, version: qualifier };
    const alias = fn.aliases.get(qualifier);
    if (alias) {
      // An invocation follows the alias's routing weights; a read shows its main version.
      const version = route ? pickWeighted(alias) : (alias.FunctionVersion ?? '$LATEST');
      if (version === '$LATEST') return { record: fn.latest, version };
      const record = fn.versions.get(version);
      if (record) return { record, version };
    }
    throw functionNotFound(`${fn.arn}:${qualifier}`);
  }

  private aliasOf(fn: FunctionRecord, name: string | undefined): AliasConfiguration {
    const alias = name ? fn.aliases.get(name) : undefined;
    if (!alias) throw resourceNotFound(`Cannot find alias arn: ${fn.arn}:${name ?? ''}`);
    return alias;
  }

  private checkAliasTarget(
    fn: FunctionRecord,
    version: string | undefined,
    weights: Record<string, number> | undefined,
  ): string {
    if (!version) throw validation(version, 'functionVersion', 'Member must not be null');
    if (version !== '$LATEST' && !fn.versions.has(version)) throw functionNotFound(`${fn.arn}:${version}`);
    for (const [v, w] of Object.entries(weights ?? {})) {
      if (!fn.versions.has(v)) throw functionNotFound(`${fn.arn}:${v}`);
      if (!(w >= 0 && w <= 1))
        throw validation(
          w,
          'routingConfig.additionalVersionWeights',
          'Member must have value less than or equal to 1.0',
        );
    }
    return version;
  }

  private taggable(ctx: RequestContext, resource: string | undefined): FunctionRecord {
    const ref = parseFunctionRef(resource, 'resource');
    if (ref.qualifier !== undefined) {
      throw invalidParameter(
        'Tags are not supported on function versions or aliases: use the unqualified function ARN.',
      );
    }
    const store = this.storeOf(ctx, ref);
    const fn = store.get(ref.name);
    if (!fn) throw functionNotFound(this.functionArn(store, ref.name));
    return fn;
  }

  private checkRevision(current: string | undefined, given: string | undefined): void {
    if (given !== undefined && given !== current) {
      throw preconditionFailed(
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      );
    }
  }

  private loadCode(code: FunctionCodeInput | UpdateFunctionCodeRequest): FunctionCode {
    const sources = [
      code.ZipFile !== undefined,
      code.S3Bucket !== undefined || code.S3Key !== undefined,
      code.ImageUri !== undefined,
    ];
    if (sources.filter(Boolean).length > 1) {
      throw invalidParameter('Please do not provide other FunctionCode parameters when providing a ZipFile.');
    }
    if (code.ZipFile !== undefined) return this.code.unpack(code.ZipFile);
    if (code.S3Bucket === HOT_RELOAD_BUCKET) {
      if (!code.S3Key) throw invalidParameter('The hot-reload bucket needs S3Key set to an absolute folder path.');
      return this.code.local(code.S3Key);
    }
    if (code.S3Bucket !== undefined) {
      throw invalidParameter(
        `Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist (Switchyard reads function code from ZipFile or from the '${HOT_RELOAD_BUCKET}' bucket)`,
      );
    }
    if (code.ImageUri !== undefined) {
      throw invalidParameter('Switchyard does not run container image functions yet: use PackageType Zip.');
    }
    throw invalidParameter('Please provide a source for function code.');
  }

  private useCode(code: FunctionCode): void {
    this.codeUsers.set(code, (this.codeUsers.get(code) ?? 0) + 1);
  }

  private unuseCode(code: FunctionCode): void {
    const n = (this.codeUsers.get(code) ?? 1) - 1;
    if (n > 0) {
      this.codeUsers.set(code, n);
      return;
    }
    this.codeUsers.delete(code);
    this.code.release(code);
  }

  private touch(fn: FunctionRecord): void {
    fn.latest.config = {
      ...fn.latest.config,
      LastModified: lambdaTime(this.host.clock.now()),
      RevisionId: randomUUID(),
      LastUpdateStatus: 'Successful',
    };
    this.changedSincePublish.set(fn, true);
  }

  private publish(fn: FunctionRecord, description: string | undefined): VersionRecord {
    const last = fn.versions.get(String(fn.nextVersion - 1));
    if (last && !this.changedSincePublish.get(fn)) return last;
    const version = String(fn.nextVersion++);
    const record: VersionRecord = {
      config: {
        ...fn.latest.config,
        Version: version,
        FunctionArn: `${fn.arn}:${version}`,
        RevisionId: randomUUID(),
        ...(description !== undefined ? { Description: description } : {}),
      },
      code: fn.latest.code,
      pool: undefined,
    };
    this.useCode(record.code);
    fn.versions.set(version, record);
    this.changedSincePublish.set(fn, false);
    return record;
  }
}

/** LoggingConfig as AWS shows it: JSON logs carry application and system log levels (INFO by default). */
function loggingConfig(input: LoggingConfig | undefined, name: string): LoggingConfig {
  const format = input?.LogFormat ?? 'Text';
  if (format !== 'Text' && format !== 'JSON') {
    throw validation(format, 'loggingConfig.logFormat', 'Member must satisfy enum value set: [JSON, Text]');
  }
  const group = input?.LogGroup ?? `/aws/lambda/${name}`;
  if (format === 'Text') return { LogFormat: 'Text', LogGroup: group };
  return {
    LogFormat: 'JSON',
    ApplicationLogLevel: input?.ApplicationLogLevel ?? 'INFO',
    SystemLogLevel: input?.SystemLogLevel ?? 'INFO',
    LogGroup: group,
  };
}

function inProgress(): Partial<FunctionConfiguration> {
  return {
    LastUpdateStatus: 'InProgress',
    LastUpdateStatusReason: 'The function is being created.',
    // AWS answers with this code, which the SDK's enum does not list.
    LastUpdateStatusReasonCode: 'Creating' as FunctionConfiguration['LastUpdateStatusReasonCode'],
  };
}

function checkAliasName(name: string | undefined): string {
  if (!name) throw validation(name, 'name', 'Member must not be null');
  if (!/^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/.test(name) || name.length > 128) {
    throw validation(name, 'name', 'Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)');
  }
  return name;
}

function pickWeighted(alias: AliasConfiguration): string {
  const weights = alias.RoutingConfig?.AdditionalVersionWeights ?? {};
  let r = Math.random();
  for (const [version, weight] of Object.entries(weights)) {
    if (r < weight) return version;
    r -= weight;
  }
  return alias.FunctionVersion ?? '$LATEST';
}

function checkJson(payload: Buffer): void {
  if (payload.length === 0) return;
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw new ServiceError(
      'InvalidRequestContentException',
      `Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`,
      { status: 400, fields: { Type: 'User' }, messageMember: 'message' },
    );
  }
}

function logTail(log: string): string {
  const bytes = Buffer.from(log, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
}

/** One page of a list, with Lambda's opaque Marker (the next index, base64). */
function pageByMarker<T>(all: readonly T[], marker: string | undefined, max: number): { page: T[]; nextMarker?: string } {
  let start = 0;
  if (marker) {
    const n = Number(Buffer.from(marker, 'base64').toString('utf8'));
    if (!Number.isInteger(n) || n < 0) throw invalidParameter('Invalid Marker.');
    start = n;
  }
  const page = all.slice(start, start + max);
  const next = start + page.length;
  return next < all.length ? { page, nextMarker: Buffer.from(String(next)).toString('base64') } : { page };
}

export function createLambdaProvider(host: ServiceHost): ServiceProvider {
  const s = new LambdaService(host);
  return {
    name: 'lambda',
    internal: s.internal,
    dataPlane: {
      // Function URLs, and the code downloads GetFunction's Code.Location points at.
      handle: (req) => (req.plane === 'lambda-code' ? s.internal.codeDownload(req.request.path) : s.urls.dataPlane.handle(req)),
    },
    reset: () => {
      s.urls.reset();
      s.reset();
    },
    stop: () => s.stop(),
    operations: {
      CreateFunction: s.createFunction.bind(s),
      GetFunction: s.getFunction.bind(s),
      GetFunctionConfiguration: s.getFunctionConfiguration.bind(s),
      ListFunctions: s.listFunctions.bind(s),
      UpdateFunctionCode: s.updateFunctionCode.bind(s),
      UpdateFunctionConfiguration: s.updateFunctionConfiguration.bind(s),
      DeleteFunction: s.deleteFunction.bind(s),
      PublishVersion: s.publishVersion.bind(s),
      ListVersionsByFunction: s.listVersionsByFunction.bind(s),
      CreateAlias: s.createAlias.bind(s),
      GetAlias: s.getAlias.bind(s),
      ListAliases: s.listAliases.bind(s),
      UpdateAlias: s.updateAlias.bind(s),
      DeleteAlias: s.deleteAlias.bind(s),
      PutFunctionConcurrency: s.putFunctionConcurrency.bind(s),
      GetFunctionConcurrency: s.getFunctionConcurrency.bind(s),
      DeleteFunctionConcurrency: s.deleteFunctionConcurrency.bind(s),
      GetAccountSettings: s.getAccountSettings.bind(s),
      PutFunctionEventInvokeConfig: s.putFunctionEventInvokeConfig.bind(s),
      UpdateFunctionEventInvokeConfig: s.updateFunctionEventInvokeConfig.bind(s),
      GetFunctionEventInvokeConfig: s.getFunctionEventInvokeConfig.bind(s),
      DeleteFunctionEventInvokeConfig: s.deleteFunctionEventInvokeConfig.bind(s),
      TagResource: s.tagResource.bind(s),
      UntagResource: s.untagResource.bind(s),
      ListTags: s.listTags.bind(s),
      InvokeAsync: s.invokeAsyncOperation.bind(s),
      Invoke: s.invokeOperation.bind(s),
      InvokeWithResponseStream: s.invokeWithResponseStreamOperation.bind(s),
      CreateEventSourceMapping: s.mappings.create.bind(s.mappings),
      GetEventSourceMapping: s.mappings.get.bind(s.mappings),
      ListEventSourceMappings: s.mappings.list.bind(s.mappings),
      UpdateEventSourceMapping: s.mappings.update.bind(s.mappings),
      DeleteEventSourceMapping: s.mappings.delete.bind(s.mappings),
      AddPermission: s.permissions.addPermission.bind(s.permissions),
      RemovePermission: s.permissions.removePermission.bind(s.permissions),
      GetPolicy: s.permissions.getPolicy.bind(s.permissions),
      CreateFunctionUrlConfig: s.urls.create.bind(s.urls),
      GetFunctionUrlConfig: s.urls.get.bind(s.urls),
      UpdateFunctionUrlConfig: s.urls.update.bind(s.urls),
      DeleteFunctionUrlConfig: s.urls.delete.bind(s.urls),
      ListFunctionUrlConfigs: s.urls.list.bind(s.urls),
      PublishLayerVersion: s.layers.publish.bind(s.layers),
      GetLayerVersion: s.layers.get.bind(s.layers),
      GetLayerVersionByArn: s.layers.getByArn.bind(s.layers),
      ListLayers: s.layers.list.bind(s.layers),
      ListLayerVersions: s.layers.listVersions.bind(s.layers),
      DeleteLayerVersion: s.layers.delete.bind(s.layers),
      AddLayerVersionPermission: s.layers.addPermission.bind(s.layers),
      RemoveLayerVersionPermission: s.layers.removePermission.bind(s.layers),
      GetLayerVersionPolicy: s.layers.getPolicy.bind(s.layers),
    },
  };
}
