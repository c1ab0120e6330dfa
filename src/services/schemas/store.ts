// The schema registry of one account and region: registries (the AWS-owned `aws.events`, the `discovered-schemas`
// registry discoverers write to, and the account's own), their schemas with versions and code bindings, the
// discoverers on event buses, and resource policies.
import { formatArn } from '../../core/arn.js';
import type { Timer } from '../../core/clock.js';
import { builtInAwsSchemas } from './aws-events.js';
import type { SchemaType } from './documents.js';
import type { Shape } from './inference.js';

export const AWS_EVENTS_REGISTRY = 'aws.events';
export const DISCOVERED_REGISTRY = 'discovered-schemas';

export interface VersionRecord {
  readonly version: string;
  readonly type: SchemaType;
  readonly content: string;
  readonly created: number;
}

export type CodeBindingStatus = 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'CREATE_FAILED';

export interface CodeBindingRecord {
  readonly language: string;
  readonly version: string;
  readonly created: number;
  lastModified: number;
  status: CodeBindingStatus;
  timer: Timer | undefined;
  source: Uint8Array | undefined;
}

export interface SchemaRecord {
  readonly name: string;
  readonly arn: string;
  description: string | undefined;
  readonly tags: Map<string, string>;
  lastModified: number;
  /** By version number, in creation order. */
  readonly versions: Map<string, VersionRecord>;
  nextVersion: number;
  /** Version/language -> binding. */
  readonly codeBindings: Map<string, CodeBindingRecord>;
  /** UpdateSchema ClientTokenId -> the version that update answered with, so that a retried update is not applied twice. */
  readonly clientTokens: Map<string, string>;
  /** For discovered schemas: the merged shape of the events seen, the event's source and detail-type, and the content rendered from them. */
  discovered: { shape: Shape; source: string; detailType: string; content: string } | undefined;
}

export interface RegistryRecord {
  readonly name: string;
  readonly arn: string;
  description: string | undefined;
  readonly tags: Map<string, string>;
  /** AWS-owned registries are listed under Scope AWS and cannot be changed. */
  readonly awsOwned: boolean;
  readonly schemas: Map<string, SchemaRecord>;
}

export type DiscovererState = 'STARTED' | 'STOPPED';

export interface DiscovererRecord {
  readonly id: string;
  readonly arn: string;
  readonly sourceArn: string;
  readonly busName: string;
  description: string | undefined;
  crossAccount: boolean;
  state: DiscovererState;
  readonly tags: Map<string, string>;
}

export interface PolicyRecord {
  readonly policy: string;
  readonly revisionId: string;
}

export class SchemasStore {
  readonly registries = new Map<string, RegistryRecord>();
  readonly discoverers = new Map<string, DiscovererRecord>();
  /** Registry name ('' for the account's policy) -> policy. */
  readonly policies = new Map<string, PolicyRecord>();

  constructor(
    readonly account: string,
    readonly region: string,
    now: number,
  ) {
    const awsEvents = this.addRegistry(AWS_EVENTS_REGISTRY, 'Schemas for AWS service events', true);
    for (const [name, content] of builtInAwsSchemas()) {
      const schema = this.addSchema(awsEvents, name, `Schema for event type ${name.split('@')[1] ?? name}, published by AWS service ${name.split('@')[0] ?? ''}`, now);
      this.addVersion(schema, 'OpenApi3', content, now);
    }
    this.addRegistry(DISCOVERED_REGISTRY, 'Auto-discovered event schemas', false);
  }

  registryArn(name: string): string {
    return formatArn('schemas', this.region, this.account, `registry/${name}`);
  }

  schemaArn(registry: string, name: string): string {
    return formatArn('schemas', this.region, this.account, `schema/${registry}/${name}`);
  }

  discovererArn(id: string): string {
    return formatArn('schemas', this.region, this.account, `discoverer/${id}`);
  }

  addRegistry(name: string, description: string | undefined, awsOwned = false): RegistryRecord {
    const record: RegistryRecord = { name, arn: this.registryArn(name), description, tags: new Map(), awsOwned, schemas: new Map() };
    this.registries.set(name, record);
    return record;
  }

  addSchema(registry: RegistryRecord, name: string, description: string | undefined, now: number): SchemaRecord {
    const record: SchemaRecord = {
      name,
      arn: this.schemaArn(registry.name, name),
      description,
      tags: new Map(),
      lastModified: now,
      versions: new Map(),
      nextVersion: 1,
      codeBindings: new Map(),
      clientTokens: new Map(),
      discovered: undefined,
    };
    registry.schemas.set(name, record);
    return record;
  }

  /** Appends a version; numbers are never reused, even after DeleteSchemaVersion. */
  addVersion(schema: SchemaRecord, type: SchemaType, content: string, now: number): VersionRecord {
    const version: VersionRecord = { version: String(schema.nextVersion++), type, content, created: now };
    schema.versions.set(version.version, version);
    schema.lastModified = now;
    return version;
  }

  latest(schema: SchemaRecord): VersionRecord | undefined {
    let last: VersionRecord | undefined;
    for (const v of schema.versions.values()) last = v;
    return last;
  }

  deleteSchema(registry: RegistryRecord, schema: SchemaRecord): void {
    for (const binding of schema.codeBindings.values()) binding.timer?.cancel();
    registry.schemas.delete(schema.name);
  }

  deleteRegistry(registry: RegistryRecord): void {
    for (const schema of registry.schemas.values()) this.deleteSchema(registry, schema);
    this.registries.delete(registry.name);
    this.policies.delete(registry.name);
  }

  /** Stops every pending code binding timer. */
  close(): void {
    for (const registry of this.registries.values()) {
      for (const schema of registry.schemas.values()) for (const b of schema.codeBindings.values()) b.timer?.cancel();
    }
  }
}
