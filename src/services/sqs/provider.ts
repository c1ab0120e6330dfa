// SQS (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/): the 23 operations. Each validates its
// input at the edge with AWS's messages, then calls the store. JSON and query clients reach the same handlers.
import type {
  AddPermissionRequest,
  BatchResultErrorEntry,
  CancelMessageMoveTaskRequest,
  CancelMessageMoveTaskResult,
  ChangeMessageVisibilityBatchRequest,
  ChangeMessageVisibilityBatchResult,
  ChangeMessageVisibilityRequest,
  CreateQueueRequest,
  CreateQueueResult,
  DeleteMessageBatchRequest,
  DeleteMessageBatchResult,
  DeleteMessageRequest,
  DeleteQueueRequest,
  GetQueueAttributesRequest,
  GetQueueAttributesResult,
  GetQueueUrlRequest,
  GetQueueUrlResult,
  Message,
  ListDeadLetterSourceQueuesRequest,
  ListDeadLetterSourceQueuesResult,
  ListMessageMoveTasksRequest,
  ListMessageMoveTasksResult,
  ListMessageMoveTasksResultEntry,
  ListQueueTagsRequest,
  ListQueueTagsResult,
  ListQueuesRequest,
  ListQueuesResult,
  PurgeQueueRequest,
  ReceiveMessageRequest,
  ReceiveMessageResult,
  RemovePermissionRequest,
  SendMessageBatchRequest,
  SendMessageBatchResult,
  SendMessageBatchResultEntry,
  SendMessageRequest,
  SendMessageResult,
  SetQueueAttributesRequest,
  StartMessageMoveTaskRequest,
  StartMessageMoveTaskResult,
  TagQueueRequest,
  UntagQueueRequest,
} from '@aws-sdk/client-sqs';
import { parseArn } from '../../core/arn.js';
import type { DeliveryResult, DeliverySource, TargetMessage, TargetOwner } from '../../core/targets.js';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost, ServiceProvider } from '../../core/provider.js';
import { RegionalStores } from '../../core/stores.js';
import {
  defaultSettings,
  isKnownAttributeName,
  parseRedrivePolicy,
  redriveAllows,
  validateSettings,
  type QueueSettings,
} from './attributes.js';
import { SqsErrors } from './errors.js';
import type {
  InternalReceiveOptions,
  InternalSendMessage,
  InternalSendResult,
  QueueInfo,
  SqsInternal,
} from './internal.js';
import { receiveWithWait } from './long-poll.js';
import { paginate } from './pagination.js';
import { permissionStatement, readPolicy } from './permissions.js';
import { QueueLocator } from './queue-url.js';
import { prepareMessage, renderMessage, SYSTEM_ATTRIBUTE_NAMES, type SendInput } from './messages.js';
import {
  cancelMoveTask,
  newMoveTask,
  parseTaskHandle,
  runMoveTask,
  stopMoveTask,
  type MoveTaskDeps,
} from './move-tasks.js';
import { MAX_VISIBILITY_SECONDS, parseReceiptHandle, SqsStore, type Queue, type StoredMessage } from './store.js';

export type { SqsInternal } from './internal.js';

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BATCH_ENTRIES = 10;
const MAX_BATCH_PAYLOAD = 1_048_576;
const PURGE_INTERVAL_MS = 60_000;
const MAX_TAGS = 50;
const PERMISSION_ACTIONS = new Set([
  '*',
  'SendMessage',
  'ReceiveMessage',
  'DeleteMessage',
  'ChangeMessageVisibility',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'PurgeQueue',
  'ListQueueTags',
]);
/** Attributes that an empty string removes. */
const CLEARABLE = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId']);

export interface SqsProvider extends ServiceProvider {
  readonly internal: SqsInternal;
}

export function createSqsProvider(host: ServiceHost): SqsProvider {
  const stores = new RegionalStores((account, region) => new SqsStore(account, region));
  const clock = host.clock;
  let stopped = false;

  const queueByArn = (arn: string): Queue | undefined => {
    const a = parseArn(arn);
    if (!a || a.service !== 'sqs') return undefined;
    return stores.peek(a.account, a.region)?.queues.get(a.resource);
  };
  const storeOf = (q: Queue): SqsStore => stores.get(q.account, q.region);
  const moveDeps: MoveTaskDeps = { clock, queueByArn };

  /** The queue a QueueUrl names: `/ACCOUNT/NAME` on any host; the URL's account owns the queue. */
  const queueAt = (ctx: RequestContext, url: string | undefined): Queue => {
    const q = lookupUrl(ctx.account, ctx.region, url);
    if (!q) throw SqsErrors.queueDoesNotExist();
    return q;
  };
  const locator = new QueueLocator();
  const lookupUrl = (account: string, region: string, url: string | undefined): Queue | undefined => {
    const loc = locator.locate(url, account, region);
    return stores.peek(loc.account, loc.region)?.queues.get(loc.name);
  };
  const urlOf = (ctx: RequestContext, q: Queue): string => `${ctx.scheme}://${ctx.host}/${q.account}/${q.name}`;

  /** Checks a RedrivePolicy against its target: it must exist, be of the same type, and allow this source. */
  const checkRedrive = (sourceArn: string, fifo: boolean, policy: string | undefined): void => {
    if (!policy) return;
    const p = parseRedrivePolicy(policy);
    const dlq = queueByArn(p.deadLetterTargetArn);
    const source = parseArn(sourceArn);
    const target = parseArn(p.deadLetterTargetArn);
    if (!dlq || !source || !target || target.account !== source.account || target.region !== source.region) {
      throw SqsErrors.invalidParameter('RedrivePolicy', policy, 'Dead letter target does not exist.');
    }
    if (dlq.fifo !== fifo) {
      throw SqsErrors.invalidParameter(
        'RedrivePolicy',
        policy,
        'Dead-letter target queue must be of the same type as the source queue (standard or FIFO).',
      );
    }
    if (!redriveAllows(dlq.settings.RedriveAllowPolicy, sourceArn)) {
      throw SqsErrors.invalidParameter(
        'RedrivePolicy',
        policy,
        `Queue ${dlq.arn} does not allow this queue to use it as a dead-letter queue (RedriveAllowPolicy).`,
      );
    }
  };

  const checkThroughput = (settings: QueueSettings): void => {
    if (settings.FifoThroughputLimit === 'perMessageGroupId' && settings.DeduplicationScope !== 'messageGroup') {
      throw SqsErrors.invalidAttributeValue(
        'FifoThroughputLimit',
        'FifoThroughputLimit perMessageGroupId is only valid when DeduplicationScope is messageGroup.',
      );
    }
  };

  const send = (q: Queue, input: SendInput, senderId: string, now: number): SendMessageResult => {
    const { message } = prepareMessage(q, input, senderId);
    const { message: stored } = q.enqueue(message, now);
    return {
      MessageId: stored.id,
      MD5OfMessageBody: message.md5OfBody,
      MD5OfMessageAttributes: message.md5OfAttributes,
      MD5OfMessageSystemAttributes: message.md5OfSystemAttributes,
      SequenceNumber: stored.sequenceNumber,
    };
  };

  const info = (q: Queue): QueueInfo => ({
    arn: q.arn,
    name: q.name,
    account: q.account,
    region: q.region,
    fifo: q.fifo,
    visibilityTimeout: q.setting('VisibilityTimeout'),
  });

  const internal: SqsInternal & TargetOwner = {
    sendMessage(account: string, region: string, target: string, m: InternalSendMessage): InternalSendResult {
      const q = target.startsWith('arn:') ? queueByArn(target) : lookupUrl(account, region, target);
      if (!q) throw SqsErrors.queueDoesNotExist();
      const r = send(
        q,
        {
          body: m.body,
          attributes: m.attributes,
          systemAttributes: m.systemAttributes,
          groupId: m.groupId,
          deduplicationId: m.deduplicationId,
          delaySeconds: m.delaySeconds,
        },
        m.senderId ?? account,
        clock.now(),
      );
      return { messageId: r.MessageId ?? '', md5OfBody: r.MD5OfMessageBody ?? '', sequenceNumber: r.SequenceNumber };
    },
    queueByArn(arn: string): QueueInfo | undefined {
      const q = queueByArn(arn);
      return q ? info(q) : undefined;
    },
    async receiveMessages(arn: string, options: InternalReceiveOptions): Promise<Message[]> {
      const q = queueByArn(arn);
      if (!q) throw SqsErrors.queueDoesNotExist();
      const claimOptions = {
        max: Math.min(10, Math.max(1, options.maxMessages ?? 10)),
        visibilityTimeout: options.visibilityTimeout ?? q.setting('VisibilityTimeout'),
      };
      const selection = { system: new Set(['All']), messageAttributes: ['All'] };
      const claim = () => storeOf(q).claimVisibleMessages(q, clock.now(), claimOptions).map((m) => renderMessage(m, selection));
      const waitMs = Math.min(20, Math.max(0, options.waitSeconds ?? 0)) * 1000;
      if (waitMs === 0) return claim();
      const signal = options.signal ?? new AbortController().signal;
      return receiveWithWait({ clock, queue: q, signal, waitMs, stopped: () => stopped, claim });
    },
    deleteMessage(arn: string, receiptHandle: string): void {
      const q = queueByArn(arn);
      if (!q) throw SqsErrors.queueDoesNotExist();
      q.deleteByReceipt(receiptFor(q, receiptHandle), clock.now());
    },
    changeMessageVisibility(arn: string, receiptHandle: string, visibilityTimeout: number): void {
      const q = queueByArn(arn);
      if (!q) throw SqsErrors.queueDoesNotExist();
      q.changeVisibility(receiptFor(q, receiptHandle), visibilityFor(visibilityTimeout), clock.now());
    },
    waitingReceives(arn: string): number {
      return queueByArn(arn)?.waiters.size ?? 0;
    },
    async deliver(arn: string, message: TargetMessage, source: DeliverySource): Promise<DeliveryResult> {
      const r = internal.sendMessage(source.account, source.region, arn, {
        body: message.body,
        attributes: message.attributes,
        groupId: message.groupId,
        deduplicationId: message.deduplicationId,
      });
      return { id: r.messageId };
    },
  };

  /** Stops move tasks and wakes long-poll receivers (which then answer empty). */
  const stopAll = (): void => {
    for (const store of stores.all()) {
      for (const task of store.moveTasks) stopMoveTask(task);
      for (const q of store.queues.values()) q.notify();
    }
  };

  return {
    name: 'sqs',
    internal,
    reset: () => {
      for (const store of stores.all()) {
        for (const task of store.moveTasks) stopMoveTask(task);
        store.clear();
      }
      stores.clear();
    },
    stop: () => {
      stopped = true;
      stopAll();
    },
    operations: {
      CreateQueue: (ctx: RequestContext, input: CreateQueueRequest): CreateQueueResult => {
        const name = input.QueueName;
        if (name === undefined || name === '') throw SqsErrors.missingParameter('QueueName');
        const attributes = input.Attributes ?? {};
        const fifo = attributes.FifoQueue === 'true';
        if (fifo ? !FIFO_QUEUE_NAME.test(name) : !QUEUE_NAME.test(name)) {
          throw SqsErrors.invalidParameterValue(
            fifo
              ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
              : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
          );
        }
        const given = validateSettings(attributes, fifo, true);
        const tags = validateTags(input.tags ?? {}, 0);
        const store = stores.get(ctx.account, ctx.region);
        const existing = store.queues.get(name);
        const settings: QueueSettings = { ...defaultSettings(fifo), ...given };
        for (const k of CLEARABLE) if (settings[k] === '') delete settings[k];
        if (given.KmsMasterKeyId && given.SqsManagedSseEnabled === undefined) settings.SqsManagedSseEnabled = 'false';
        if (existing) {
          for (const [k, v] of Object.entries(given)) {
            if ((existing.settings[k] ?? '') !== v) throw SqsErrors.queueNameExists(k);
          }
          if (existing.fifo !== fifo) throw SqsErrors.queueNameExists('FifoQueue');
          return { QueueUrl: urlOf(ctx, existing) };
        }
        if (fifo) checkThroughput(settings);
        checkRedrive(`arn:aws:sqs:${ctx.region}:${ctx.account}:${name}`, fifo, settings.RedrivePolicy);
        const q = store.createQueue(name, fifo, settings, tags, clock.now());
        return { QueueUrl: urlOf(ctx, q) };
      },

      GetQueueUrl: (ctx: RequestContext, input: GetQueueUrlRequest): GetQueueUrlResult => {
        const name = input.QueueName;
        if (name === undefined || name === '') throw SqsErrors.missingParameter('QueueName');
        const owner = input.QueueOwnerAWSAccountId || ctx.account;
        const q = stores.peek(owner, ctx.region)?.queues.get(name);
        if (!q) throw SqsErrors.queueDoesNotExist();
        return { QueueUrl: urlOf(ctx, q) };
      },

      DeleteQueue: (ctx: RequestContext, input: DeleteQueueRequest): void => {
        const q = queueAt(ctx, input.QueueUrl);
        storeOf(q).deleteQueue(q.name);
      },

      ListQueues: (ctx: RequestContext, input: ListQueuesRequest): ListQueuesResult => {
        const names = stores.get(ctx.account, ctx.region).queueNames(input.QueueNamePrefix);
        const page = paginate(names, input.MaxResults, input.NextToken);
        const out: ListQueuesResult = {};
        if (page.items.length > 0) out.QueueUrls = page.items.map((n) => `${ctx.scheme}://${ctx.host}/${ctx.account}/${n}`);
        if (page.nextToken) out.NextToken = page.nextToken;
        return out;
      },

      ListDeadLetterSourceQueues: (
        ctx: RequestContext,
        input: ListDeadLetterSourceQueuesRequest,
      ): ListDeadLetterSourceQueuesResult => {
        const q = queueAt(ctx, input.QueueUrl);
        const sources = storeOf(q).deadLetterSources(q.arn).map((s) => s.name);
        const page = paginate(sources, input.MaxResults, input.NextToken);
        const out: ListDeadLetterSourceQueuesResult = {
          queueUrls: page.items.map((n) => `${ctx.scheme}://${ctx.host}/${q.account}/${n}`),
        };
        if (page.nextToken) out.NextToken = page.nextToken;
        return out;
      },

      GetQueueAttributes: (ctx: RequestContext, input: GetQueueAttributesRequest): GetQueueAttributesResult => {
        const q = queueAt(ctx, input.QueueUrl);
        const names: string[] = (input.AttributeNames ?? []);
        for (const n of names) if (!isKnownAttributeName(n)) throw SqsErrors.invalidAttributeName(n);
        if (names.length === 0) return {};
        const all = queueAttributes(q, clock.now());
        if (names.includes('All')) return { Attributes: all };
        const out: Record<string, string> = {};
        for (const n of names) {
          const v = all[n];
          if (v !== undefined) out[n] = v;
        }
        return Object.keys(out).length > 0 ? { Attributes: out } : {};
      },

      SetQueueAttributes: (ctx: RequestContext, input: SetQueueAttributesRequest): void => {
        const q = queueAt(ctx, input.QueueUrl);
        const given = validateSettings(input.Attributes ?? {}, q.fifo, false);
        const next: QueueSettings = { ...q.settings, ...given };
        for (const k of CLEARABLE) if (next[k] === '') delete next[k];
        if (given.KmsMasterKeyId) next.SqsManagedSseEnabled = given.SqsManagedSseEnabled ?? 'false';
        if (given.SqsManagedSseEnabled === 'true') delete next.KmsMasterKeyId;
        if (q.fifo) checkThroughput(next);
        if (given.RedrivePolicy) checkRedrive(q.arn, q.fifo, given.RedrivePolicy);
        q.settings = next;
        q.lastModifiedAt = clock.now();
      },

      PurgeQueue: (ctx: RequestContext, input: PurgeQueueRequest): void => {
        const q = queueAt(ctx, input.QueueUrl);
        const now = clock.now();
        if (q.lastPurgeAt !== undefined && now - q.lastPurgeAt < PURGE_INTERVAL_MS) {
          throw SqsErrors.purgeQueueInProgress(q.name);
        }
        q.purge(now);
      },

      SendMessage: (ctx: RequestContext, input: SendMessageRequest): SendMessageResult => {
        const q = queueAt(ctx, input.QueueUrl);
        return send(
          q,
          {
            body: input.MessageBody,
            attributes: input.MessageAttributes,
            systemAttributes: input.MessageSystemAttributes,
            delaySeconds: input.DelaySeconds,
            groupId: input.MessageGroupId,
            deduplicationId: input.MessageDeduplicationId,
          },
          ctx.account,
          clock.now(),
        );
      },

      SendMessageBatch: (ctx: RequestContext, input: SendMessageBatchRequest): SendMessageBatchResult => {
        const q = queueAt(ctx, input.QueueUrl);
        const entries = input.Entries ?? [];
        checkBatch(entries, 'SendMessageBatchRequestEntry');
        let total = 0;
        for (const e of entries) {
          total += Buffer.byteLength(e.MessageBody ?? '', 'utf8');
          for (const [name, a] of Object.entries(e.MessageAttributes ?? {})) {
            total += Buffer.byteLength(name) + Buffer.byteLength(a.DataType ?? '');
            total += a.BinaryValue ? a.BinaryValue.length : Buffer.byteLength(a.StringValue ?? '');
          }
        }
        if (total > MAX_BATCH_PAYLOAD) throw SqsErrors.batchRequestTooLong(MAX_BATCH_PAYLOAD, total);
        const now = clock.now();
        const Successful: SendMessageBatchResultEntry[] = [];
        const Failed: BatchResultErrorEntry[] = [];
        for (const e of entries) {
          try {
            const r = send(
              q,
              {
                body: e.MessageBody,
                attributes: e.MessageAttributes,
                systemAttributes: e.MessageSystemAttributes,
                delaySeconds: e.DelaySeconds,
                groupId: e.MessageGroupId,
                deduplicationId: e.MessageDeduplicationId,
              },
              ctx.account,
              now,
            );
            Successful.push({ Id: e.Id, ...r } as SendMessageBatchResultEntry);
          } catch (err) {
            Failed.push(batchFailure(e.Id ?? '', err));
          }
        }
        return { Successful, Failed };
      },

      ReceiveMessage: async (ctx: RequestContext, input: ReceiveMessageRequest): Promise<ReceiveMessageResult> => {
        const q = queueAt(ctx, input.QueueUrl);
        const max = input.MaxNumberOfMessages ?? 1;
        if (!Number.isInteger(max) || max < 1 || max > 10) {
          throw SqsErrors.invalidParameter('MaxNumberOfMessages', max, 'Must be between 1 and 10, if provided.');
        }
        const visibilityTimeout = input.VisibilityTimeout ?? q.setting('VisibilityTimeout');
        if (!Number.isInteger(visibilityTimeout) || visibilityTimeout < 0 || visibilityTimeout > MAX_VISIBILITY_SECONDS) {
          throw SqsErrors.invalidParameter(
            'VisibilityTimeout',
            visibilityTimeout,
            `Must be >= 0 and <= ${MAX_VISIBILITY_SECONDS}, if provided.`,
          );
        }
        const wait = input.WaitTimeSeconds ?? q.setting('ReceiveMessageWaitTimeSeconds');
        if (!Number.isInteger(wait) || wait < 0 || wait > 20) {
          throw SqsErrors.invalidParameter('WaitTimeSeconds', wait, 'Must be >= 0 and <= 20, if provided.');
        }
        const attemptId = input.ReceiveRequestAttemptId;
        if (attemptId !== undefined && !/^[\x21-\x7e]{1,128}$/.test(attemptId)) {
          throw SqsErrors.invalidParameter(
            'ReceiveRequestAttemptId',
            attemptId,
            'ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
          );
        }
        const system = new Set<string>();
        for (const n of [...((input.AttributeNames ?? []) as string[]), ...((input.MessageSystemAttributeNames ?? []) as string[])]) {
          if (SYSTEM_ATTRIBUTE_NAMES.has(n)) system.add(n);
          else if (!isKnownAttributeName(n)) throw SqsErrors.invalidAttributeName(n);
        }
        const selection = { system, messageAttributes: input.MessageAttributeNames ?? [] };
        const store = storeOf(q);
        const options = { max, visibilityTimeout, attemptId };
        const render = (m: StoredMessage) => renderMessage(m, selection);
        const claim = () => store.claimVisibleMessages(q, clock.now(), options).map(render);
        const messages =
          wait > 0
            ? await receiveWithWait({ clock, queue: q, signal: ctx.signal, waitMs: wait * 1000, stopped: () => stopped, claim })
            : claim();
        return messages.length > 0 ? { Messages: messages } : {};
      },

      DeleteMessage: (ctx: RequestContext, input: DeleteMessageRequest): void => {
        const q = queueAt(ctx, input.QueueUrl);
        q.deleteByReceipt(receiptFor(q, input.ReceiptHandle), clock.now());
      },

      DeleteMessageBatch: (ctx: RequestContext, input: DeleteMessageBatchRequest): DeleteMessageBatchResult => {
        const q = queueAt(ctx, input.QueueUrl);
        const entries = input.Entries ?? [];
        checkBatch(entries, 'DeleteMessageBatchRequestEntry');
        const out: DeleteMessageBatchResult = { Successful: [], Failed: [] };
        const now = clock.now();
        for (const e of entries) {
          try {
            q.deleteByReceipt(receiptFor(q, e.ReceiptHandle), now);
            out.Successful?.push({ Id: e.Id });
          } catch (err) {
            out.Failed?.push(batchFailure(e.Id ?? '', err));
          }
        }
        return out;
      },

      ChangeMessageVisibility: (ctx: RequestContext, input: ChangeMessageVisibilityRequest): void => {
        const q = queueAt(ctx, input.QueueUrl);
        const handle = receiptFor(q, input.ReceiptHandle);
        q.changeVisibility(handle, visibilityFor(input.VisibilityTimeout), clock.now());
      },

      ChangeMessageVisibilityBatch: (
        ctx: RequestContext,
        input: ChangeMessageVisibilityBatchRequest,
      ): ChangeMessageVisibilityBatchResult => {
        const q = queueAt(ctx, input.QueueUrl);
        const entries = input.Entries ?? [];
        checkBatch(entries, 'ChangeMessageVisibilityBatchRequestEntry');
        const out: ChangeMessageVisibilityBatchResult = { Successful: [], Failed: [] };
        const now = clock.now();
        for (const e of entries) {
          try {
            q.changeVisibility(receiptFor(q, e.ReceiptHandle), visibilityFor(e.VisibilityTimeout), now);
            out.Successful?.push({ Id: e.Id });
          } catch (err) {
            out.Failed?.push(batchFailure(e.Id ?? '', err));
          }
        }
        return out;
      },

      TagQueue: (ctx: RequestContext, input: TagQueueRequest): void => {
        const q = queueAt(ctx, input.QueueUrl);
        if (!input.Tags || Object.keys(input.Tags).length === 0) throw SqsErrors.missingParameter('Tags');
        const tags = validateTags(input.Tags, 0);
        const merged = new Set([...q.tags.keys(), ...Object.keys(tags)]);
        if (merged.size > MAX_TAGS) throw SqsErrors.invalidParameterValue(`Too many tags added for queue ${q.name}.`);
        for (const [k, v] of Object.entries(tags)) q.tags.set(k, v);
      },

      UntagQueue: (ctx: RequestContext, input: UntagQueueRequest): void => {
        const q = queueAt(ctx, input.QueueUrl);
        if (!input.TagKeys || input.TagKeys.length === 0) throw SqsErrors.missingParameter('TagKeys');
        for (const k of input.TagKeys) q.tags.delete(k);
      },

      ListQueueTags: (ctx: RequestContext, input: ListQueueTagsRequest): ListQueueTagsResult => {
        const q = queueAt(ctx, input.QueueUrl);
        return q.tags.size > 0 ? { Tags: Object.fromEntries(q.tags) } : {};
      },

      AddPermission: (ctx: RequestContext, input: AddPermissionRequest): void => {
        const q = queueAt(ctx, input.QueueUrl);
        const label = input.Label;
        if (label === undefined || label === '') throw SqsErrors.missingParameter('Label');
        if (!QUEUE_NAME.test(label)) {
          throw SqsErrors.invalidParameter(
            'Label',
            label,
            'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
          );
        }
        const accounts = input.AWSAccountIds ?? [];
        if (accounts.length === 0) throw SqsErrors.missingParameter('AWSAccountIds');
        for (const a of accounts) {
          if (!/^\d{12}$/.test(a)) throw SqsErrors.invalidParameter('PrincipalId', a, 'Unable to verify.');
        }
        const actions = input.Actions ?? [];
        if (actions.length === 0) throw SqsErrors.missingParameter('Actions');
        for (const a of actions) {
          if (!PERMISSION_ACTIONS.has(a)) {
            throw SqsErrors.invalidParameter('ActionName', a, 'Please refer to the appropriate WSDL for a list of valid actions.');
          }
        }
        const policy = readPolicy(q);
        if (policy.Statement.some((s) => s.Sid === label)) {
          throw SqsErrors.invalidParameter('Label', label, 'Already exists.');
        }
        policy.Statement.push(permissionStatement(q.arn, label, accounts, actions));
        q.settings = { ...q.settings, Policy: JSON.stringify(policy) };
        q.lastModifiedAt = clock.now();
      },

      RemovePermission: (ctx: RequestContext, input: RemovePermissionRequest): void => {
        const q = queueAt(ctx, input.QueueUrl);
        const label = input.Label;
        if (label === undefined || label === '') throw SqsErrors.missingParameter('Label');
        const policy = readPolicy(q);
        const kept = policy.Statement.filter((s) => s.Sid !== label);
        if (kept.length === policy.Statement.length) {
          throw SqsErrors.invalidParameter('Label', label, "can't find label on existing policy.");
        }
        const settings = { ...q.settings };
        if (kept.length === 0) delete settings.Policy;
        else settings.Policy = JSON.stringify({ ...policy, Statement: kept });
        q.settings = settings;
        q.lastModifiedAt = clock.now();
      },

      StartMessageMoveTask: (_ctx: RequestContext, input: StartMessageMoveTaskRequest): StartMessageMoveTaskResult => {
        const sourceArn = input.SourceArn;
        if (sourceArn === undefined || sourceArn === '') throw SqsErrors.missingParameter('SourceArn');
        const source = queueByArn(sourceArn);
        if (!source) {
          throw SqsErrors.resourceNotFound('The resource that you specified for the SourceArn parameter doesn\'t exist.');
        }
        const store = storeOf(source);
        if (store.deadLetterSources(source.arn).length === 0) {
          throw SqsErrors.invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
        }
        const destinationArn = input.DestinationArn;
        if (destinationArn !== undefined) {
          const destination = queueByArn(destinationArn);
          if (!destination) {
            throw SqsErrors.resourceNotFound(
              'The resource that you specified for the DestinationArn parameter doesn\'t exist.',
            );
          }
          if (destination === source) {
            throw SqsErrors.invalidParameterValue('Source queue and destination queue must be different.');
          }
        }
        const rate = input.MaxNumberOfMessagesPerSecond;
        if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > 500)) {
          throw SqsErrors.invalidParameter('MaxNumberOfMessagesPerSecond', rate, 'Must be between 1 and 500.');
        }
        if (store.moveTasks.some((t) => t.sourceArn === source.arn && (t.status === 'RUNNING' || t.status === 'CANCELLING'))) {
          throw SqsErrors.invalidParameterValue(
            'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
          );
        }
        const now = clock.now();
        source.expire(now);
        const task = newMoveTask(source.arn, destinationArn, rate, source.messages.size, now);
        store.moveTasks.push(task);
        task.timer = clock.setTimer(0, () => runMoveTask(task, moveDeps));
        return { TaskHandle: task.handle };
      },

      CancelMessageMoveTask: (_ctx: RequestContext, input: CancelMessageMoveTaskRequest): CancelMessageMoveTaskResult => {
        const handle = input.TaskHandle;
        if (handle === undefined || handle === '') throw SqsErrors.missingParameter('TaskHandle');
        const parsed = parseTaskHandle(handle);
        const arn = parsed ? parseArn(parsed.sourceArn) : undefined;
        const task =
          parsed && arn
            ? stores.peek(arn.account, arn.region)?.moveTasks.find((t) => t.id === parsed.taskId)
            : undefined;
        if (!task) throw SqsErrors.resourceNotFound('Task does not exist.');
        if (task.status !== 'RUNNING') {
          throw SqsErrors.unsupportedOperation(`Task is in status ${task.status}. Only RUNNING tasks can be cancelled.`);
        }
        cancelMoveTask(task, moveDeps);
        return { ApproximateNumberOfMessagesMoved: task.moved };
      },

      ListMessageMoveTasks: (_ctx: RequestContext, input: ListMessageMoveTasksRequest): ListMessageMoveTasksResult => {
        const sourceArn = input.SourceArn;
        if (sourceArn === undefined || sourceArn === '') throw SqsErrors.missingParameter('SourceArn');
        const source = queueByArn(sourceArn);
        if (!source) {
          throw SqsErrors.resourceNotFound('The resource that you specified for the SourceArn parameter doesn\'t exist.');
        }
        const max = input.MaxResults ?? 1;
        if (!Number.isInteger(max) || max < 1 || max > 10) {
          throw SqsErrors.invalidParameter('MaxResults', max, 'Must be between 1 and 10.');
        }
        const tasks = storeOf(source)
          .moveTasks.filter((t) => t.sourceArn === source.arn)
          .reverse()
          .slice(0, max);
        const Results: ListMessageMoveTasksResultEntry[] = tasks.map((t) => {
          const e: ListMessageMoveTasksResultEntry = {
            Status: t.status,
            SourceArn: t.sourceArn,
            ApproximateNumberOfMessagesMoved: t.moved,
            ApproximateNumberOfMessagesToMove: t.toMove,
            StartedTimestamp: t.startedAt,
          };
          if (t.status === 'RUNNING') e.TaskHandle = t.handle;
          if (t.destinationArn) e.DestinationArn = t.destinationArn;
          if (t.maxPerSecond !== undefined) e.MaxNumberOfMessagesPerSecond = t.maxPerSecond;
          if (t.failureReason) e.FailureReason = t.failureReason;
          return e;
        });
        return { Results };
      },
    },
  };
}

function receiptFor(q: Queue, handle: string | undefined) {
  if (handle === undefined || handle === '') throw SqsErrors.missingParameter('ReceiptHandle');
  const parsed = parseReceiptHandle(handle);
  if (!parsed || parsed.queueArn !== q.arn) throw SqsErrors.receiptHandleIsInvalid(handle);
  return parsed;
}

function visibilityFor(v: number | undefined): number {
  if (v === undefined) throw SqsErrors.missingParameter('VisibilityTimeout');
  if (!Number.isInteger(v) || v < 0 || v > MAX_VISIBILITY_SECONDS) {
    throw SqsErrors.invalidParameter(
      'VisibilityTimeout',
      v,
      `VisibilityTimeout must be an integer between 0 and ${MAX_VISIBILITY_SECONDS}`,
    );
  }
  return v;
}

function checkBatch(entries: ReadonlyArray<{ Id?: string | undefined }>, entryName: string): void {
  if (entries.length === 0) throw SqsErrors.emptyBatchRequest(entryName);
  if (entries.length > MAX_BATCH_ENTRIES) throw SqsErrors.tooManyEntriesInBatchRequest(entries.length);
  const seen = new Set<string>();
  for (const e of entries) {
    const id = e.Id ?? '';
    if (!BATCH_ENTRY_ID.test(id)) throw SqsErrors.invalidBatchEntryId();
    if (seen.has(id)) throw SqsErrors.batchEntryIdsNotDistinct(id);
    seen.add(id);
  }
}

function batchFailure(id: string, err: unknown): BatchResultErrorEntry {
  if (!(err instanceof ServiceError)) throw err;
  return { Id: id, SenderFault: err.fault === 'client', Code: err.queryCode ?? err.code, Message: err.message };
}

function validateTags(tags: Record<string, string>, existing: number): Record<string, string> {
  const keys = Object.keys(tags);
  if (keys.length + existing > MAX_TAGS) throw SqsErrors.invalidParameterValue('Too many tags added for queue.');
  for (const k of keys) {
    const v = tags[k] ?? '';
    if (k.length < 1 || k.length > 128) throw SqsErrors.invalidParameter('TagKey', k, 'Tag keys must be between 1 and 128 characters.');
    if (v.length > 256) throw SqsErrors.invalidParameter('TagValue', v, 'Tag values must be at most 256 characters.');
  }
  return { ...tags };
}

/** All attributes of a queue as GetQueueAttributes returns them (All). */
function queueAttributes(q: Queue, now: number): Record<string, string> {
  const counts = q.counts(now);
  const out: Record<string, string> = {
    QueueArn: q.arn,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inflight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(q.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(q.lastModifiedAt / 1000)),
  };
  for (const [k, v] of Object.entries(q.settings)) out[k] = v;
  if (out.KmsMasterKeyId && out.KmsDataKeyReusePeriodSeconds === undefined) out.KmsDataKeyReusePeriodSeconds = '300';
  return out;
}
