// EventBridge state of one account and region: event buses (the `default` bus always exists), their rules and the
// rules' targets. Each bus keeps a RuleSet of its enabled pattern rules, so PutEvents meets only rules that can match.
import type { DeadLetterConfig, Target } from '@aws-sdk/client-eventbridge';
import { formatArn } from '../../core/arn.js';
import type { ApiDestinationRecord, ConnectionRecord } from './api-destinations.js';
import type { ArchiveRecord, ReplayRecord } from './archive.js';
import type { BusPolicy } from './bus-policy.js';
import { RuleSet, type EventPattern } from './pattern/index.js';

export const DEFAULT_BUS = 'default';

export interface RuleRecord {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  eventPattern: string | undefined;
  pattern: EventPattern | undefined;
  scheduleExpression: string | undefined;
  state: string;
  description: string | undefined;
  roleArn: string | undefined;
  /** Target id -> target, in the order they were put. */
  readonly targets: Map<string, Target>;
  readonly tags: Map<string, string>;
}

export interface BusRecord {
  readonly name: string;
  readonly arn: string;
  description: string | undefined;
  readonly creationTime: Date;
  lastModifiedTime: Date;
  readonly rules: Map<string, RuleRecord>;
  /** Enabled rules with an event pattern, by rule name. */
  readonly ruleSet: RuleSet<string>;
  readonly tags: Map<string, string>;
  /** The resource policy other accounts' PutEvents and bus-to-bus deliveries are checked against. */
  policy: BusPolicy | undefined;
  kmsKeyIdentifier: string | undefined;
  deadLetterConfig: DeadLetterConfig | undefined;
}

export class EventBridgeStore {
  readonly buses = new Map<string, BusRecord>();
  readonly archives = new Map<string, ArchiveRecord>();
  readonly replays = new Map<string, ReplayRecord>();
  readonly connections = new Map<string, ConnectionRecord>();
  readonly apiDestinations = new Map<string, ApiDestinationRecord>();

  constructor(
    readonly account: string,
    readonly region: string,
    now: number,
  ) {
    this.createBus(DEFAULT_BUS, undefined, now);
  }

  busArn(name: string): string {
    return formatArn('events', this.region, this.account, `event-bus/${name}`);
  }

  ruleArn(busName: string, ruleName: string): string {
    const resource = busName === DEFAULT_BUS ? `rule/${ruleName}` : `rule/${busName}/${ruleName}`;
    return formatArn('events', this.region, this.account, resource);
  }

  createBus(name: string, description: string | undefined, now: number): BusRecord {
    const bus: BusRecord = {
      name,
      arn: this.busArn(name),
      description,
      creationTime: new Date(now),
      lastModifiedTime: new Date(now),
      rules: new Map(),
      ruleSet: new RuleSet<string>(),
      tags: new Map(),
      policy: undefined,
      kmsKeyIdentifier: undefined,
      deadLetterConfig: undefined,
    };
    this.buses.set(name, bus);
    return bus;
  }

  /** Files the rule in its bus's RuleSet when it is enabled and has a pattern, and takes it out otherwise. */
  refile(bus: BusRecord, rule: RuleRecord): void {
    if (rule.pattern && rule.state !== 'DISABLED') bus.ruleSet.add(rule.name, rule.pattern);
    else bus.ruleSet.remove(rule.name);
  }

  deleteRule(bus: BusRecord, name: string): void {
    bus.rules.delete(name);
    bus.ruleSet.remove(name);
  }

  /** The tags of a bus or rule of this store, by ARN. */
  tagsOf(arn: string): Map<string, string> | undefined {
    for (const bus of this.buses.values()) {
      if (bus.arn === arn) return bus.tags;
      for (const rule of bus.rules.values()) if (rule.arn === arn) return rule.tags;
    }
    return undefined;
  }
}
