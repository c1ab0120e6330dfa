// HTTP and WebSocket APIs of one account and region: each API's live definition, its deployments (frozen copies of
// the definition that stages serve) and its stages.
import { randomBytes } from 'node:crypto';
import type {
  Api,
  Authorizer,
  Cors,
  Deployment,
  Integration,
  IntegrationResponse,
  Route,
  RouteResponse,
  Stage,
} from '@aws-sdk/client-apigatewayv2';
import { V2Errors } from './errors.js';

/** What a deployment freezes: everything a request is served by. */
export interface ApiDefinition {
  readonly routes: Map<string, Route>;
  readonly integrations: Map<string, Integration>;
  readonly authorizers: Map<string, Authorizer>;
  /** Route responses by route id, then by route response id. */
  readonly routeResponses: Map<string, Map<string, RouteResponse>>;
  /** Integration responses by integration id, then by integration response id. */
  readonly integrationResponses: Map<string, Map<string, IntegrationResponse>>;
  cors: Cors | undefined;
  routeSelectionExpression: string | undefined;
}

export interface DeploymentRecord {
  readonly deployment: Deployment;
  readonly definition: ApiDefinition;
}

export interface ApiRecord {
  readonly account: string;
  readonly region: string;
  readonly api: Api;
  readonly definition: ApiDefinition;
  readonly stages: Map<string, Stage>;
  readonly deployments: Map<string, DeploymentRecord>;
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Lower-case alphanumeric ids, as AWS makes them (10 characters for APIs, 7 for routes and integrations). */
export function newId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHANUMERIC[b % ALPHANUMERIC.length];
  return out;
}

export function emptyDefinition(): ApiDefinition {
  return {
    routes: new Map(),
    integrations: new Map(),
    authorizers: new Map(),
    routeResponses: new Map(),
    integrationResponses: new Map(),
    cors: undefined,
    routeSelectionExpression: undefined,
  };
}

export function freeze(def: ApiDefinition): ApiDefinition {
  return structuredClone(def);
}

export class ApiStore {
  readonly apis = new Map<string, ApiRecord>();

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  add(api: Api): ApiRecord {
    const record: ApiRecord = {
      account: this.account,
      region: this.region,
      api,
      definition: emptyDefinition(),
      stages: new Map(),
      deployments: new Map(),
    };
    this.apis.set(api.ApiId ?? '', record);
    return record;
  }

  get(apiId: string): ApiRecord {
    const record = this.apis.get(apiId);
    if (!record) throw V2Errors.apiNotFound(this.account, apiId);
    return record;
  }

  delete(apiId: string): ApiRecord {
    const record = this.get(apiId);
    this.apis.delete(apiId);
    return record;
  }
}
