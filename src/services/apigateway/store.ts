// REST APIs of one account and region: each API's live definition (resources, methods, integrations), its
// deployments (frozen snapshots of that definition, which invocations run) and its stages.
import { randomBytes } from 'node:crypto';
import type { Authorizer, Deployment, GatewayResponse, Integration, Method, Model, RequestValidator, RestApi, Stage } from '@aws-sdk/client-api-gateway';
import { builtInModels } from './models.js';
import { UsageStore } from './usage-plans.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** AWS's ids: lowercase alphanumerics (10 for APIs and resources, 6 for deployments). */
export function newId(length = 10): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

export interface ResourceRecord {
  readonly id: string;
  readonly parentId: string | undefined;
  pathPart: string | undefined;
  path: string;
  /** HTTP method (or ANY) -> method, with its integration and responses. */
  readonly methods: Map<string, Method>;
}

/** What a deployment freezes: everything an invocation reads. */
export interface ApiSnapshot {
  readonly resources: ReadonlyMap<string, ResourceRecord>;
  readonly rootResourceId: string;
  readonly binaryMediaTypes: readonly string[];
  readonly models: ReadonlyMap<string, Model>;
  readonly validators: ReadonlyMap<string, RequestValidator>;
  readonly gatewayResponses: ReadonlyMap<string, GatewayResponse>;
  readonly authorizers: ReadonlyMap<string, Authorizer>;
}

export interface DeploymentRecord {
  readonly deployment: Deployment;
  readonly snapshot: ApiSnapshot;
}

export interface ApiRecord {
  readonly api: RestApi & { id: string; rootResourceId: string };
  readonly resources: Map<string, ResourceRecord>;
  readonly deployments: Map<string, DeploymentRecord>;
  readonly stages: Map<string, Stage & { stageName: string }>;
  /** Model name -> model. */
  readonly models: Map<string, Model>;
  readonly validators: Map<string, RequestValidator>;
  /** Response type -> the API's customization of it. */
  readonly gatewayResponses: Map<string, GatewayResponse>;
  readonly authorizers: Map<string, Authorizer>;
}

export class RestApiStore {
  readonly apis = new Map<string, ApiRecord>();
  /** API keys and usage plans belong to the account and region, not to one API. */
  readonly usage = new UsageStore();

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  createApi(id: string, api: RestApi, now: Date): ApiRecord {
    const rootId = newId();
    const record: ApiRecord = {
      api: { ...api, id, createdDate: now, rootResourceId: rootId },
      resources: new Map([[rootId, { id: rootId, parentId: undefined, pathPart: undefined, path: '/', methods: new Map() }]]),
      deployments: new Map(),
      stages: new Map(),
      models: new Map(builtInModels(() => newId()).map((m) => [m.name ?? '', m])),
      validators: new Map(),
      gatewayResponses: new Map(),
      authorizers: new Map(),
    };
    this.apis.set(id, record);
    return record;
  }

  /** The API's live definition frozen for a deployment: later edits do not reach it. */
  snapshot(record: ApiRecord): ApiSnapshot {
    const resources = new Map<string, ResourceRecord>();
    for (const [id, r] of record.resources) {
      resources.set(id, { ...r, methods: new Map([...r.methods].map(([k, m]) => [k, cloneMethod(m)])) });
    }
    return {
      resources,
      rootResourceId: record.api.rootResourceId,
      binaryMediaTypes: [...(record.api.binaryMediaTypes ?? [])],
      models: new Map([...record.models].map(([k, m]) => [k, { ...m }])),
      validators: new Map([...record.validators].map(([k, v]) => [k, { ...v }])),
      gatewayResponses: new Map([...record.gatewayResponses].map(([k, g]) => [k, structuredClone(g)])),
      authorizers: new Map([...record.authorizers].map(([k, a]) => [k, { ...a }])),
    };
  }
}

export function cloneMethod(m: Method): Method {
  return structuredClone(m);
}

export function cloneIntegration(i: Integration): Integration {
  return structuredClone(i);
}
