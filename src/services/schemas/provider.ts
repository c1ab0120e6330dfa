// EventBridge Schema Registry (https://docs.aws.amazon.com/eventbridge/latest/schema-reference/): registries,
// schemas with versions, search and export, discoverers that infer schemas from the events reaching an event bus
// (through EventBridgeInternal.observe), and TypeScript, Python and Java code bindings.
import { randomUUID } from 'node:crypto';
import type {
  CreateDiscovererRequest,
  CreateDiscovererResponse,
  CreateRegistryRequest,
  CreateRegistryResponse,
  CreateSchemaRequest,
  CreateSchemaResponse,
  DeleteDiscovererRequest,
  DeleteRegistryRequest,
  DeleteResourcePolicyRequest,
  DeleteSchemaRequest,
  DeleteSchemaVersionRequest,
  DescribeCodeBindingRequest,
  DescribeCodeBindingResponse,
  DescribeDiscovererRequest,
  DescribeDiscovererResponse,
  DescribeRegistryRequest,
  DescribeRegistryResponse,
  DescribeSchemaRequest,
  DescribeSchemaResponse,
  DiscovererSummary,
  ExportSchemaRequest,
  ExportSchemaResponse,
  GetCodeBindingSourceRequest,
  GetCodeBindingSourceResponse,
  GetDiscoveredSchemaRequest,
  GetDiscoveredSchemaResponse,
  GetResourcePolicyRequest,
  GetResourcePolicyResponse,
  ListDiscoverersRequest,
  ListDiscoverersResponse,
  ListRegistriesRequest,
  ListRegistriesResponse,
  ListSchemasRequest,
  ListSchemasResponse,
  ListSchemaVersionsRequest,
  ListSchemaVersionsResponse,
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  PutCodeBindingRequest,
  PutCodeBindingResponse,
  PutResourcePolicyRequest,
  PutResourcePolicyResponse,
  SearchSchemasRequest,
  SearchSchemasResponse,
  StartDiscovererRequest,
  StartDiscovererResponse,
  StopDiscovererRequest,
  StopDiscovererResponse,
  TagResourceRequest,
  UntagResourceRequest,
  UpdateDiscovererRequest,
  UpdateDiscovererResponse,
  UpdateRegistryRequest,
  UpdateRegistryResponse,
  UpdateSchemaRequest,
  UpdateSchemaResponse,
} from '@aws-sdk/client-schemas';
import { zipSync } from 'fflate';
import { parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../core/context.js';
import type { ServiceHost, ServiceProvider } from '../../core/provider.js';
import { RegionalStores } from '../../core/stores.js';
import type { EventBridgeInternal } from '../eventbridge/provider.js';
import { generateJava } from './codegen-java.js';
import { generatePython } from './codegen-python.js';
import { componentsOf, generateTypeScript } from './codegen-typescript.js';
import { checkType, ContentChecker, MAX_CONTENT_LENGTH, openApiToDraft4, type SchemaType } from './documents.js';
import { SchemasErrors } from './errors.js';
import { discoveredSchemaName, inferShape, isEnvelope, mergeShapes, renderOpenApi, sameShape, type Shape } from './inference.js';
import { prettyJson } from './json-format.js';
import {
  AWS_EVENTS_REGISTRY,
  DISCOVERED_REGISTRY,
  SchemasStore,
  type CodeBindingRecord,
  type DiscovererRecord,
  type RegistryRecord,
  type SchemaRecord,
  type VersionRecord,
} from './store.js';

/** How long a code binding stays CREATE_IN_PROGRESS before its source is ready. */
export const CODE_BINDING_MS = 1000;
const LANGUAGES = ['Java8', 'Python36', 'TypeScript3', 'Go1'];
const SUPPORTED_LANGUAGES = ['TypeScript3', 'Python36', 'Java8'];
const MAX_DESCRIPTION = 256;
const MAX_REGISTRY_NAME = 64;
const MAX_SCHEMA_NAME = 385;
const MAX_TAGS = 50;
const MAX_DISCOVERED_EVENTS = 10;
const DEFAULT_PAGE = 100;
const REGISTRY_NAME = /^[.\-_A-Za-z@0-9]+$/;
const SCHEMA_NAME = /^[.\-_A-Za-z@0-9]+$/;
const DISCOVERER_PREFIX = 'events-event-bus-';

type Tags = Record<string, string>;
const tagsOf = (map: Map<string, string>): Tags => Object.fromEntries(map);
const byName = <T extends { readonly name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function required(value: string | undefined, member: string): string {
  if (value === undefined || value === null || value === '') throw SchemasErrors.missing(member);
  return value;
}

function checkDescription(value: string | undefined): string | undefined {
  if (value !== undefined && value !== null && value.length > MAX_DESCRIPTION) {
    throw SchemasErrors.badRequest(`Description must be at most ${MAX_DESCRIPTION} characters long.`);
  }
  return value ?? undefined;
}

function checkTags(tags: Record<string, string> | undefined): [string, string][] {
  const entries = Object.entries(tags ?? {});
  if (entries.length > MAX_TAGS) throw SchemasErrors.badRequest(`A resource can have at most ${MAX_TAGS} tags.`);
  for (const [k, v] of entries) {
    if (k.length < 1 || k.length > 128) throw SchemasErrors.badRequest(`Tag key ${k} must be between 1 and 128 characters long.`);
    if (k.toLowerCase().startsWith('aws:')) throw SchemasErrors.badRequest(`Tag keys starting with aws: are reserved: ${k}.`);
    if (typeof v !== 'string' || v.length > 256) throw SchemasErrors.badRequest(`Tag value for key ${k} must be at most 256 characters long.`);
  }
  return entries;
}

/** One page of a sorted list; the token carries the offset of the next page. */
function page<T>(items: readonly T[], token: string | undefined, limit: number | undefined): { items: T[]; next?: string } {
  let start = 0;
  if (token !== undefined && token !== null && token !== '') {
    const text = Buffer.from(token, 'base64url').toString('utf8');
    const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n) || n > items.length) throw SchemasErrors.badRequest('The NextToken provided is invalid.');
    start = n;
  }
  if (limit !== undefined && limit !== null && (!Number.isInteger(limit) || limit < 1)) {
    throw SchemasErrors.badRequest('Limit must be a positive integer.');
  }
  const end = Math.min(items.length, start + (limit ?? DEFAULT_PAGE));
  const out: { items: T[]; next?: string } = { items: items.slice(start, end) };
  if (end < items.length) out.next = Buffer.from(String(end), 'utf8').toString('base64url');
  return out;
}

export function createSchemasProvider(host: ServiceHost): ServiceProvider {
  const stores = new RegionalStores((account, region) => new SchemasStore(account, region, host.clock.now()));
  const storeOf = (ctx: RequestContext): SchemasStore => stores.get(ctx.account, ctx.region);
  const now = (): number => host.clock.now();
  const contents = new ContentChecker();

  // ---- lookups ----

  const registryOf = (store: SchemasStore, name: string | undefined): RegistryRecord => {
    const registryName = required(name, 'RegistryName');
    const registry = store.registries.get(registryName);
    if (!registry) throw SchemasErrors.registryNotFound(registryName);
    return registry;
  };

  const writable = (registry: RegistryRecord): RegistryRecord => {
    if (registry.awsOwned) throw SchemasErrors.awsOwned(registry.name);
    return registry;
  };

  const schemaOf = (registry: RegistryRecord, name: string | undefined): SchemaRecord => {
    const schemaName = required(name, 'SchemaName');
    const schema = registry.schemas.get(schemaName);
    if (!schema) throw SchemasErrors.schemaNotFound(registry.name, schemaName);
    return schema;
  };

  const versionOf = (store: SchemasStore, schema: SchemaRecord, version: string | undefined): VersionRecord => {
    if (version === undefined || version === null || version === '') {
      const latest = store.latest(schema);
      if (!latest) throw SchemasErrors.schemaNotFound(schema.arn.split('/')[1] ?? '', schema.name);
      return latest;
    }
    const found = schema.versions.get(version);
    if (!found) throw SchemasErrors.versionNotFound(schema.name, version);
    return found;
  };

  const discovererOf = (store: SchemasStore, id: string | undefined): DiscovererRecord => {
    const discovererId = required(id, 'DiscovererId');
    const d = store.discoverers.get(discovererId);
    if (!d) throw SchemasErrors.discovererNotFound(discovererId);
    return d;
  };

  /** The tags of the registry, schema or discoverer an ARN names. */
  const taggable = (arn: string | undefined): Map<string, string> => {
    const text = required(arn, 'ResourceArn');
    const parsed = parseArn(text);
    if (parsed?.service !== 'schemas') throw SchemasErrors.badRequest(`Invalid ResourceArn: ${text}.`);
    const store = stores.get(parsed.account, parsed.region);
    const [kind, first = '', ...rest] = parsed.resource.split('/');
    let tags: Map<string, string> | undefined;
    if (kind === 'registry' && rest.length === 0) tags = store.registries.get(first)?.tags;
    else if (kind === 'schema' && rest.length === 1) tags = store.registries.get(first)?.schemas.get(rest[0] ?? '')?.tags;
    else if (kind === 'discoverer' && rest.length === 0) tags = store.discoverers.get(first)?.tags;
    else throw SchemasErrors.badRequest(`Invalid ResourceArn: ${text}.`);
    if (!tags) throw SchemasErrors.notFound(`Resource ${text} does not exist.`);
    return tags;
  };

  // ---- registry events ----

  /**
   * Sends `Schema Created` (for a new schema) and `Schema Version Created` to the default event bus, as AWS does
   * (EventBridge user guide, "EventBridge events detail reference").
   */
  const announce = (store: SchemasStore, registry: RegistryRecord, schema: SchemaRecord, version: VersionRecord, created: boolean): void => {
    const time = new Date(version.created).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const detail = {
      SchemaName: schema.name,
      SchemaType: version.type,
      RegistryName: registry.name,
      CreationDate: time,
      Version: Number(version.version),
    };
    const events = (created ? ['Schema Created', 'Schema Version Created'] : ['Schema Version Created']).map((detailType) => ({
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source: 'aws.schemas',
      account: store.account,
      time,
      region: store.region,
      resources: [schema.arn],
      detail,
    }));
    publish(store, events).catch((err: unknown) => host.log.warn(`schemas: could not send ${schema.name} events to the default bus: ${(err as Error).message}`));
  };

  const publish = async (store: SchemasStore, events: Record<string, unknown>[]): Promise<void> => {
    const eventbridge = (await host.provider('eventbridge'))?.internal as EventBridgeInternal | undefined;
    if (!eventbridge) return;
    for (const event of events) await eventbridge.route(store.account, store.region, 'default', event);
  };

  // ---- discovery ----

  let unsubscribe: (() => void) | undefined;

  const anyStarted = (): boolean => {
    for (const store of stores.all()) for (const d of store.discoverers.values()) if (d.state === 'STARTED') return true;
    return false;
  };

  /** Observes the event buses while a discoverer runs, and only then. */
  const syncSubscription = async (): Promise<void> => {
    if (anyStarted()) {
      if (unsubscribe) return;
      const eventbridge = (await host.provider('eventbridge'))?.internal as EventBridgeInternal | undefined;
      if (!eventbridge || unsubscribe || !anyStarted()) return;
      unsubscribe = eventbridge.observe(onBusEvent);
    } else if (unsubscribe) {
      unsubscribe();
      unsubscribe = undefined;
    }
  };

  function onBusEvent(account: string, region: string, busName: string, event: Readonly<Record<string, unknown>>): void {
    const store = stores.peek(account, region);
    const discoverer = store?.discoverers.get(`${DISCOVERER_PREFIX}${busName}`);
    if (!store || !discoverer || discoverer.state !== 'STARTED') return;
    if (!discoverer.crossAccount && event.account !== account) return;
    if (!isEnvelope(event)) return;
    const source = event.source as string;
    // AWS service events have their published schemas in the aws.events registry.
    if (source.startsWith('aws.')) return;
    discover(store, source, event['detail-type'] as string, inferShape(event));
  }

  /** Merges an event's shape into its discovered schema, adding a version when the rendered schema changes. */
  function discover(store: SchemasStore, source: string, detailType: string, shape: Shape): void {
    const registry = store.registries.get(DISCOVERED_REGISTRY) ?? store.addRegistry(DISCOVERED_REGISTRY, undefined);
    const name = discoveredSchemaName(source, detailType);
    if (name.length > MAX_SCHEMA_NAME) return;
    let schema = registry.schemas.get(name);
    const merged = schema?.discovered ? mergeShapes(schema.discovered.shape, shape) : shape;
    if (schema?.discovered && sameShape(schema.discovered.shape, merged) && store.latest(schema)?.content === schema.discovered.content) return;
    const content = prettyJson(renderOpenApi({ shape: merged, source, detailType }));
    const t = now();
    const created = !schema;
    schema ??= store.addSchema(registry, name, undefined, t);
    const latest = store.latest(schema);
    if (!latest || latest.content !== content || latest.type !== 'OpenApi3') {
      announce(store, registry, schema, store.addVersion(schema, 'OpenApi3', content, t), created);
    }
    schema.discovered = { shape: merged, source, detailType, content };
  }

  // ---- code bindings ----

  const checkLanguage = (language: string | undefined): string => {
    const lang = required(language, 'Language');
    if (!LANGUAGES.includes(lang)) {
      throw SchemasErrors.badRequest(`Invalid Language: ${lang}. Valid values are: ${LANGUAGES.join(', ')}.`);
    }
    if (!SUPPORTED_LANGUAGES.includes(lang)) {
      throw SchemasErrors.badRequest(`Switchyard does not generate ${lang} code bindings yet; the supported languages are TypeScript3, Python36 and Java8.`);
    }
    return lang;
  };

  const bindingOut = (b: CodeBindingRecord): DescribeCodeBindingResponse => ({
    CreationDate: new Date(b.created),
    LastModified: new Date(b.lastModified),
    SchemaVersion: b.version,
    Status: b.status,
  });

  const generate = (schema: SchemaRecord, version: VersionRecord, language: string): Uint8Array => {
    const doc = JSON.parse(version.content) as Record<string, unknown>;
    const components = componentsOf(doc, version.type);
    const files =
      language === 'Python36'
        ? generatePython(schema.name, components)
        : language === 'Java8'
          ? generateJava(schema.name, components)
          : generateTypeScript(schema.name, components);
    const entries: Record<string, Uint8Array> = {};
    for (const [path, text] of files) entries[path] = new TextEncoder().encode(text);
    return zipSync(entries, { mtime: new Date(now()) });
  };

  // ---- output shapes ----

  const registryOut = (r: RegistryRecord): DescribeRegistryResponse => ({
    Description: r.description,
    RegistryArn: r.arn,
    RegistryName: r.name,
    Tags: tagsOf(r.tags),
  });

  const schemaOut = (s: SchemaRecord, v: VersionRecord): DescribeSchemaResponse => ({
    Content: v.content,
    Description: s.description,
    LastModified: new Date(s.lastModified),
    SchemaArn: s.arn,
    SchemaName: s.name,
    SchemaVersion: v.version,
    Tags: tagsOf(s.tags),
    Type: v.type,
    VersionCreatedDate: new Date(v.created),
  });

  const schemaWriteOut = (s: SchemaRecord, v: VersionRecord): CreateSchemaResponse => {
    const { Content: _content, ...rest } = schemaOut(s, v);
    return rest;
  };

  const discovererOut = (d: DiscovererRecord): DescribeDiscovererResponse => ({
    Description: d.description,
    DiscovererArn: d.arn,
    DiscovererId: d.id,
    SourceArn: d.sourceArn,
    State: d.state,
    CrossAccount: d.crossAccount,
    Tags: tagsOf(d.tags),
  });

  const operations = {
    // ---- registries ----

    CreateRegistry: (ctx: RequestContext, input: CreateRegistryRequest): CreateRegistryResponse => {
      const store = storeOf(ctx);
      const name = required(input.RegistryName, 'RegistryName');
      if (name.length > MAX_REGISTRY_NAME || !REGISTRY_NAME.test(name)) {
        throw SchemasErrors.badRequest(
          `Invalid RegistryName: ${name}. It must be at most ${MAX_REGISTRY_NAME} characters of letters, digits and . - _ @.`,
        );
      }
      if (store.registries.has(name)) throw SchemasErrors.conflict(`Registry with name ${name} already exists.`);
      if (name.startsWith('aws.')) throw SchemasErrors.badRequest(`Registry names starting with aws. are reserved: ${name}.`);
      const description = checkDescription(input.Description);
      const tags = checkTags(input.Tags);
      const registry = store.addRegistry(name, description);
      for (const [k, v] of tags) registry.tags.set(k, v);
      return registryOut(registry);
    },

    DescribeRegistry: (ctx: RequestContext, input: DescribeRegistryRequest): DescribeRegistryResponse =>
      registryOut(registryOf(storeOf(ctx), input.RegistryName)),

    UpdateRegistry: (ctx: RequestContext, input: UpdateRegistryRequest): UpdateRegistryResponse => {
      const registry = writable(registryOf(storeOf(ctx), input.RegistryName));
      const description = checkDescription(input.Description);
      if (description !== undefined) registry.description = description;
      return registryOut(registry);
    },

    DeleteRegistry: (ctx: RequestContext, input: DeleteRegistryRequest): Record<string, never> => {
      const store = storeOf(ctx);
      const registry = writable(registryOf(store, input.RegistryName));
      if (registry.name === DISCOVERED_REGISTRY) throw SchemasErrors.forbidden(`Registry ${DISCOVERED_REGISTRY} cannot be deleted.`);
      store.deleteRegistry(registry);
      return {};
    },

    ListRegistries: (ctx: RequestContext, input: ListRegistriesRequest): ListRegistriesResponse => {
      const scope = input.Scope ?? undefined;
      if (scope !== undefined && scope !== 'LOCAL' && scope !== 'AWS') {
        throw SchemasErrors.badRequest(`Invalid Scope: ${scope}. Valid values are: LOCAL, AWS.`);
      }
      const prefix = input.RegistryNamePrefix ?? '';
      const all = [...storeOf(ctx).registries.values()]
        .filter((r) => r.name.startsWith(prefix))
        .filter((r) => scope === undefined || (scope === 'AWS') === r.awsOwned)
        .sort(byName);
      const p = page(all, input.NextToken, input.Limit);
      return {
        Registries: p.items.map((r) => ({ RegistryArn: r.arn, RegistryName: r.name, Tags: tagsOf(r.tags) })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },

    // ---- resource policies ----

    PutResourcePolicy: (ctx: RequestContext, input: PutResourcePolicyRequest): PutResourcePolicyResponse => {
      const store = storeOf(ctx);
      const key = input.RegistryName ?? '';
      if (key !== '') writable(registryOf(store, key));
      const text = input.Policy === undefined || input.Policy === null ? undefined : String(input.Policy);
      const policy = required(text, 'Policy');
      let parsed: unknown;
      try {
        parsed = JSON.parse(policy);
      } catch {
        throw SchemasErrors.badRequest('Policy is not a valid JSON document.');
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw SchemasErrors.badRequest('Policy must be a JSON object.');
      }
      const current = store.policies.get(key);
      if (input.RevisionId !== undefined && input.RevisionId !== null && input.RevisionId !== current?.revisionId) {
        throw SchemasErrors.preconditionFailed(`RevisionId ${input.RevisionId} does not match the policy's current revision.`);
      }
      const record = { policy, revisionId: randomUUID() };
      store.policies.set(key, record);
      return { Policy: record.policy, RevisionId: record.revisionId };
    },

    GetResourcePolicy: (ctx: RequestContext, input: GetResourcePolicyRequest): GetResourcePolicyResponse => {
      const store = storeOf(ctx);
      const key = input.RegistryName ?? '';
      if (key !== '') registryOf(store, key);
      const record = store.policies.get(key);
      if (!record) throw SchemasErrors.notFound(key ? `Resource policy for registry ${key} does not exist.` : 'Resource policy does not exist.');
      return { Policy: record.policy, RevisionId: record.revisionId };
    },

    DeleteResourcePolicy: (ctx: RequestContext, input: DeleteResourcePolicyRequest): Record<string, never> => {
      const store = storeOf(ctx);
      const key = input.RegistryName ?? '';
      if (key !== '') registryOf(store, key);
      if (!store.policies.delete(key)) {
        throw SchemasErrors.notFound(key ? `Resource policy for registry ${key} does not exist.` : 'Resource policy does not exist.');
      }
      return {};
    },

    // ---- tags ----

    TagResource: (_ctx: RequestContext, input: TagResourceRequest): Record<string, never> => {
      const tags = taggable(input.ResourceArn);
      if (input.Tags === undefined || input.Tags === null) throw SchemasErrors.missing('Tags');
      const entries = checkTags(input.Tags);
      const keys = new Set([...tags.keys(), ...entries.map(([k]) => k)]);
      if (keys.size > MAX_TAGS) throw SchemasErrors.badRequest(`A resource can have at most ${MAX_TAGS} tags.`);
      for (const [k, v] of entries) tags.set(k, v);
      return {};
    },

    UntagResource: (_ctx: RequestContext, input: UntagResourceRequest): Record<string, never> => {
      const tags = taggable(input.ResourceArn);
      if (input.TagKeys === undefined || input.TagKeys === null) throw SchemasErrors.missing('TagKeys');
      for (const k of input.TagKeys) tags.delete(k);
      return {};
    },

    ListTagsForResource: (_ctx: RequestContext, input: ListTagsForResourceRequest): ListTagsForResourceResponse => ({
      Tags: tagsOf(taggable(input.ResourceArn)),
    }),

    // ---- schemas ----

    CreateSchema: (ctx: RequestContext, input: CreateSchemaRequest): CreateSchemaResponse => {
      const store = storeOf(ctx);
      const registry = writable(registryOf(store, input.RegistryName));
      const name = required(input.SchemaName, 'SchemaName');
      if (name.length > MAX_SCHEMA_NAME || !SCHEMA_NAME.test(name)) {
        throw SchemasErrors.badRequest(
          `Invalid SchemaName: ${name}. It must be at most ${MAX_SCHEMA_NAME} characters of letters, digits and . - _ @.`,
        );
      }
      const type = checkType(input.Type);
      contents.check(input.Content, type);
      const description = checkDescription(input.Description);
      const tags = checkTags(input.Tags);
      if (registry.schemas.has(name)) {
        throw SchemasErrors.conflict(`Schema with name ${name} already exists in registry ${registry.name}.`);
      }
      const t = now();
      const schema = store.addSchema(registry, name, description, t);
      for (const [k, v] of tags) schema.tags.set(k, v);
      const version = store.addVersion(schema, type, input.Content as string, t);
      announce(store, registry, schema, version, true);
      return schemaWriteOut(schema, version);
    },

    DescribeSchema: (ctx: RequestContext, input: DescribeSchemaRequest): DescribeSchemaResponse => {
      const store = storeOf(ctx);
      const schema = schemaOf(registryOf(store, input.RegistryName), input.SchemaName);
      return schemaOut(schema, versionOf(store, schema, input.SchemaVersion));
    },

    UpdateSchema: (ctx: RequestContext, input: UpdateSchemaRequest): UpdateSchemaResponse => {
      const store = storeOf(ctx);
      const registry = writable(registryOf(store, input.RegistryName));
      const schema = schemaOf(registry, input.SchemaName);
      const latest = versionOf(store, schema, undefined);
      const token = input.ClientTokenId ?? undefined;
      const answered = token === undefined ? undefined : schema.versions.get(schema.clientTokens.get(token) ?? '');
      if (answered) return schemaWriteOut(schema, answered);
      const description = checkDescription(input.Description);
      const type: SchemaType = input.Type ? checkType(input.Type) : latest.type;
      if (input.Type && (input.Content === undefined || input.Content === null)) {
        throw SchemasErrors.badRequest('Content is required when Type is given.');
      }
      let version = latest;
      if (input.Content !== undefined && input.Content !== null) {
        contents.check(input.Content, type);
        if (input.Content !== latest.content || type !== latest.type) {
          version = store.addVersion(schema, type, input.Content, now());
          announce(store, registry, schema, version, false);
        }
      }
      if (description !== undefined && description !== schema.description) {
        schema.description = description;
        schema.lastModified = now();
      }
      if (token !== undefined) schema.clientTokens.set(token, version.version);
      return schemaWriteOut(schema, version);
    },

    DeleteSchema: (ctx: RequestContext, input: DeleteSchemaRequest): Record<string, never> => {
      const store = storeOf(ctx);
      const registry = writable(registryOf(store, input.RegistryName));
      store.deleteSchema(registry, schemaOf(registry, input.SchemaName));
      return {};
    },

    DeleteSchemaVersion: (ctx: RequestContext, input: DeleteSchemaVersionRequest): Record<string, never> => {
      const store = storeOf(ctx);
      const schema = schemaOf(writable(registryOf(store, input.RegistryName)), input.SchemaName);
      const version = versionOf(store, schema, required(input.SchemaVersion, 'SchemaVersion'));
      if (schema.versions.size === 1) {
        throw SchemasErrors.badRequest(
          `Version ${version.version} is the only version of schema ${schema.name}; delete the schema instead.`,
        );
      }
      schema.versions.delete(version.version);
      for (const [key, binding] of schema.codeBindings) {
        if (binding.version === version.version) {
          binding.timer?.cancel();
          schema.codeBindings.delete(key);
        }
      }
      return {};
    },

    ListSchemas: (ctx: RequestContext, input: ListSchemasRequest): ListSchemasResponse => {
      const registry = registryOf(storeOf(ctx), input.RegistryName);
      const prefix = input.SchemaNamePrefix ?? '';
      const all = [...registry.schemas.values()].filter((s) => s.name.startsWith(prefix)).sort(byName);
      const p = page(all, input.NextToken, input.Limit);
      return {
        Schemas: p.items.map((s) => ({
          LastModified: new Date(s.lastModified),
          SchemaArn: s.arn,
          SchemaName: s.name,
          Tags: tagsOf(s.tags),
          VersionCount: s.versions.size,
        })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },

    ListSchemaVersions: (ctx: RequestContext, input: ListSchemaVersionsRequest): ListSchemaVersionsResponse => {
      const schema = schemaOf(registryOf(storeOf(ctx), input.RegistryName), input.SchemaName);
      const p = page([...schema.versions.values()], input.NextToken, input.Limit);
      return {
        SchemaVersions: p.items.map((v) => ({ SchemaArn: schema.arn, SchemaName: schema.name, SchemaVersion: v.version, Type: v.type })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },

    SearchSchemas: (ctx: RequestContext, input: SearchSchemasRequest): SearchSchemasResponse => {
      const registry = registryOf(storeOf(ctx), input.RegistryName);
      const keywords = required(input.Keywords, 'Keywords')
        .toLowerCase()
        .split(/\s+/)
        .filter((k) => k.length > 0);
      if (keywords.length === 0) throw SchemasErrors.missing('Keywords');
      const hit = (text: string): boolean => {
        const lower = text.toLowerCase();
        return keywords.some((k) => lower.includes(k));
      };
      const found: SearchSchemasResponse['Schemas'] = [];
      for (const schema of [...registry.schemas.values()].sort(byName)) {
        const byNameHit = hit(schema.name);
        const versions = [...schema.versions.values()].filter((v) => byNameHit || hit(v.content));
        if (versions.length === 0) continue;
        found.push({
          RegistryName: registry.name,
          SchemaArn: schema.arn,
          SchemaName: schema.name,
          SchemaVersions: versions.map((v) => ({ CreatedDate: new Date(v.created), SchemaVersion: v.version, Type: v.type })),
        });
      }
      const p = page(found, input.NextToken, input.Limit);
      return { Schemas: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },

    ExportSchema: (ctx: RequestContext, input: ExportSchemaRequest): ExportSchemaResponse => {
      const store = storeOf(ctx);
      const schema = schemaOf(registryOf(store, input.RegistryName), input.SchemaName);
      const type = required(input.Type, 'Type');
      if (type !== 'JSONSchemaDraft4') {
        throw SchemasErrors.badRequest(`Invalid Type: ${type}. Schemas can be exported as JSONSchemaDraft4 only.`);
      }
      const version = versionOf(store, schema, input.SchemaVersion);
      const doc = JSON.parse(version.content) as Record<string, unknown>;
      const content = version.type === 'OpenApi3' ? JSON.stringify(openApiToDraft4(doc)) : version.content;
      return { Content: content, SchemaArn: schema.arn, SchemaName: schema.name, SchemaVersion: version.version, Type: type };
    },

    GetDiscoveredSchema: (_ctx: RequestContext, input: GetDiscoveredSchemaRequest): GetDiscoveredSchemaResponse => {
      const type = checkType(input.Type);
      const events = input.Events;
      if (!events || events.length === 0) throw SchemasErrors.missing('Events');
      if (events.length > MAX_DISCOVERED_EVENTS) {
        throw SchemasErrors.badRequest(`Events must contain between 1 and ${MAX_DISCOVERED_EVENTS} events.`);
      }
      let shape: Shape | undefined;
      let envelope: { source: string; detailType: string } | undefined;
      for (const text of events) {
        if (text.length > MAX_CONTENT_LENGTH) throw SchemasErrors.badRequest(`Each event must be at most ${MAX_CONTENT_LENGTH} characters long.`);
        let event: unknown;
        try {
          event = JSON.parse(text);
        } catch {
          throw SchemasErrors.badRequest(`Event is not valid JSON: ${text.slice(0, 100)}`);
        }
        if (event === null || typeof event !== 'object' || Array.isArray(event)) {
          throw SchemasErrors.badRequest('Each event must be a JSON object.');
        }
        if (shape === undefined && isEnvelope(event)) envelope = { source: event.source as string, detailType: event['detail-type'] as string };
        else if (envelope && !(isEnvelope(event) && event.source === envelope.source && event['detail-type'] === envelope.detailType)) envelope = undefined;
        const s = inferShape(event);
        shape = shape ? mergeShapes(shape, s) : s;
      }
      const doc = renderOpenApi({ shape: shape as Shape, ...(envelope ?? {}) });
      return { Content: JSON.stringify(type === 'OpenApi3' ? doc : openApiToDraft4(doc)) };
    },

    // ---- discoverers ----

    CreateDiscoverer: async (ctx: RequestContext, input: CreateDiscovererRequest): Promise<CreateDiscovererResponse> => {
      const store = storeOf(ctx);
      const sourceArn = required(input.SourceArn, 'SourceArn');
      const arn = parseArn(sourceArn);
      if (arn?.service !== 'events' || !arn.resource.startsWith('event-bus/') || arn.resource.length === 'event-bus/'.length) {
        throw SchemasErrors.badRequest(`Invalid SourceArn: ${sourceArn}. It must be the ARN of an event bus.`);
      }
      if (arn.region !== ctx.region || arn.account !== ctx.account) {
        throw SchemasErrors.badRequest(`Invalid SourceArn: ${sourceArn}. The event bus must be in the discoverer's account and region.`);
      }
      const description = checkDescription(input.Description);
      const tags = checkTags(input.Tags);
      const busName = arn.resource.slice('event-bus/'.length);
      const id = `${DISCOVERER_PREFIX}${busName}`;
      if (store.discoverers.has(id)) throw SchemasErrors.conflict(`Discoverer with id ${id} already exists.`);
      const discoverer: DiscovererRecord = {
        id,
        arn: store.discovererArn(id),
        sourceArn,
        busName,
        description,
        crossAccount: input.CrossAccount ?? true,
        state: 'STARTED',
        tags: new Map(tags),
      };
      store.discoverers.set(id, discoverer);
      await syncSubscription();
      return discovererOut(discoverer);
    },

    DescribeDiscoverer: (ctx: RequestContext, input: DescribeDiscovererRequest): DescribeDiscovererResponse =>
      discovererOut(discovererOf(storeOf(ctx), input.DiscovererId)),

    UpdateDiscoverer: (ctx: RequestContext, input: UpdateDiscovererRequest): UpdateDiscovererResponse => {
      const discoverer = discovererOf(storeOf(ctx), input.DiscovererId);
      const description = checkDescription(input.Description);
      if (description !== undefined) discoverer.description = description;
      if (input.CrossAccount !== undefined && input.CrossAccount !== null) discoverer.crossAccount = input.CrossAccount;
      return discovererOut(discoverer);
    },

    DeleteDiscoverer: async (ctx: RequestContext, input: DeleteDiscovererRequest): Promise<Record<string, never>> => {
      const store = storeOf(ctx);
      store.discoverers.delete(discovererOf(store, input.DiscovererId).id);
      await syncSubscription();
      return {};
    },

    ListDiscoverers: (ctx: RequestContext, input: ListDiscoverersRequest): ListDiscoverersResponse => {
      const idPrefix = input.DiscovererIdPrefix ?? '';
      const arnPrefix = input.SourceArnPrefix ?? '';
      const all = [...storeOf(ctx).discoverers.values()]
        .filter((d) => d.id.startsWith(idPrefix) && d.sourceArn.startsWith(arnPrefix))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const p = page(all, input.NextToken, input.Limit);
      const summaries: DiscovererSummary[] = p.items.map((d) => ({
        DiscovererArn: d.arn,
        DiscovererId: d.id,
        SourceArn: d.sourceArn,
        State: d.state,
        CrossAccount: d.crossAccount,
        Tags: tagsOf(d.tags),
      }));
      return { Discoverers: summaries, ...(p.next ? { NextToken: p.next } : {}) };
    },

    StartDiscoverer: async (ctx: RequestContext, input: StartDiscovererRequest): Promise<StartDiscovererResponse> => {
      const discoverer = discovererOf(storeOf(ctx), input.DiscovererId);
      discoverer.state = 'STARTED';
      await syncSubscription();
      return { DiscovererId: discoverer.id, State: discoverer.state };
    },

    StopDiscoverer: async (ctx: RequestContext, input: StopDiscovererRequest): Promise<StopDiscovererResponse> => {
      const discoverer = discovererOf(storeOf(ctx), input.DiscovererId);
      discoverer.state = 'STOPPED';
      await syncSubscription();
      return { DiscovererId: discoverer.id, State: discoverer.state };
    },

    // ---- code bindings ----

    PutCodeBinding: (ctx: RequestContext, input: PutCodeBindingRequest): PutCodeBindingResponse => {
      const store = storeOf(ctx);
      const schema = schemaOf(registryOf(store, input.RegistryName), input.SchemaName);
      const language = checkLanguage(input.Language);
      const version = versionOf(store, schema, input.SchemaVersion);
      const key = `${version.version}/${language}`;
      const existing = schema.codeBindings.get(key);
      if (existing) return bindingOut(existing);
      const t = now();
      const binding: CodeBindingRecord = {
        language,
        version: version.version,
        created: t,
        lastModified: t,
        status: 'CREATE_IN_PROGRESS',
        timer: undefined,
        source: undefined,
      };
      binding.timer = host.clock.setTimer(CODE_BINDING_MS, () => {
        binding.timer = undefined;
        try {
          binding.source = generate(schema, version, language);
          binding.status = 'CREATE_COMPLETE';
        } catch (err) {
          host.log.warn(`schemas: code binding for ${schema.name} version ${version.version} failed: ${(err as Error).message}`);
          binding.status = 'CREATE_FAILED';
        }
        binding.lastModified = now();
      });
      schema.codeBindings.set(key, binding);
      return bindingOut(binding);
    },

    DescribeCodeBinding: (ctx: RequestContext, input: DescribeCodeBindingRequest): DescribeCodeBindingResponse => {
      const store = storeOf(ctx);
      const schema = schemaOf(registryOf(store, input.RegistryName), input.SchemaName);
      const language = checkLanguage(input.Language);
      const version = versionOf(store, schema, input.SchemaVersion);
      const binding = schema.codeBindings.get(`${version.version}/${language}`);
      if (!binding) {
        throw SchemasErrors.notFound(`Code binding for language ${language} of schema ${schema.name} version ${version.version} does not exist.`);
      }
      return bindingOut(binding);
    },

    GetCodeBindingSource: (ctx: RequestContext, input: GetCodeBindingSourceRequest): GetCodeBindingSourceResponse => {
      const store = storeOf(ctx);
      const schema = schemaOf(registryOf(store, input.RegistryName), input.SchemaName);
      const language = checkLanguage(input.Language);
      const version = versionOf(store, schema, input.SchemaVersion);
      const binding = schema.codeBindings.get(`${version.version}/${language}`);
      if (!binding?.source) {
        throw SchemasErrors.notFound(`Code binding for language ${language} of schema ${schema.name} version ${version.version} does not exist.`);
      }
      return { Body: binding.source };
    },
  };

  const shutdown = (): void => {
    for (const store of stores.all()) store.close();
    unsubscribe?.();
    unsubscribe = undefined;
  };

  return {
    name: 'schemas',
    operations,
    reset: () => {
      shutdown();
      stores.clear();
    },
    stop: shutdown,
  };
}

export { AWS_EVENTS_REGISTRY, DISCOVERED_REGISTRY };
