// Lambda's state for one account and region: functions, their $LATEST and published versions, aliases and tags.
import type { AliasConfiguration, FunctionConfiguration, FunctionEventInvokeConfig } from '@aws-sdk/client-lambda';
import type { FunctionCode } from './code.js';
import type { EnvironmentPool } from './runtime/pool.js';

export interface VersionRecord {
  /** What GetFunctionConfiguration shows (State and LastUpdateStatus as settled). */
  config: FunctionConfiguration;
  code: FunctionCode;
  /** The warm environments of this version, made on first invoke; dropped when the version changes. */
  pool: EnvironmentPool | undefined;
}

export interface FunctionRecord {
  readonly name: string;
  /** The unqualified ARN. */
  readonly arn: string;
  latest: VersionRecord;
  readonly versions: Map<string, VersionRecord>;
  readonly aliases: Map<string, AliasConfiguration>;
  nextVersion: number;
  readonly tags: Map<string, string>;
  /** PutFunctionConcurrency: at most this many invocations at once (0 throttles every one). */
  reservedConcurrency: number | undefined;
  /** Put/UpdateFunctionEventInvokeConfig, by qualifier (`$LATEST` when unqualified). */
  readonly eventInvokeConfigs: Map<string, FunctionEventInvokeConfig>;
}

export class FunctionStore {
  readonly functions = new Map<string, FunctionRecord>();

  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  get(name: string): FunctionRecord | undefined {
    return this.functions.get(name);
  }

  /** Adds a function unless one of that name exists; false when it does. */
  addIfAbsent(record: FunctionRecord): boolean {
    if (this.functions.has(record.name)) return false;
    this.functions.set(record.name, record);
    return true;
  }

  remove(name: string): FunctionRecord | undefined {
    const record = this.functions.get(name);
    this.functions.delete(name);
    return record;
  }

  /** Functions in name order, for ListFunctions. */
  sorted(): FunctionRecord[] {
    return [...this.functions.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** Every version record of a function ($LATEST first). */
export function allVersions(fn: FunctionRecord): VersionRecord[] {
  return [fn.latest, ...fn.versions.values()];
}
