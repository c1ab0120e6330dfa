// SQS operations (skeleton: CreateQueue, GetQueueUrl, SendMessage, ReceiveMessage, DeleteMessage, ListQueues).
import { createHash, randomUUID } from 'node:crypto';
import type {
  CreateQueueRequest,
  CreateQueueResult,
  DeleteMessageRequest,
  GetQueueUrlRequest,
  GetQueueUrlResult,
  ListQueuesRequest,
  ListQueuesResult,
  ReceiveMessageRequest,
  ReceiveMessageResult,
  SendMessageRequest,
  SendMessageResult,
} from '@aws-sdk/client-sqs';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import type { ServiceHost, ServiceProvider } from '../../core/provider.js';
import { RegionalStores } from '../../core/stores.js';

interface StoredMessage {
  id: string;
  body: string;
  md5: string;
  receipt?: string;
  visibleAt: number;
}

interface Queue {
  name: string;
  messages: StoredMessage[];
}

class SqsStore {
  readonly queues = new Map<string, Queue>();
}

function queueUrl(ctx: RequestContext, name: string): string {
  return `${ctx.scheme}://${ctx.host}/${ctx.account}/${name}`;
}

const nonExistent = (): ServiceError =>
  new ServiceError('QueueDoesNotExist', 'The specified queue does not exist.', {
    queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
  });

export function createSqsProvider(host: ServiceHost): ServiceProvider {
  const stores = new RegionalStores(() => new SqsStore());
  const queueFor = (ctx: RequestContext, url: string | undefined): Queue => {
    const name = (url ?? '').split('/').pop() ?? '';
    const q = stores.get(ctx.account, ctx.region).queues.get(name);
    if (!q) throw nonExistent();
    return q;
  };
  return {
    name: 'sqs',
    reset: () => stores.clear(),
    stop: () => undefined,
    operations: {
      CreateQueue: (ctx: RequestContext, input: CreateQueueRequest): CreateQueueResult => {
        const store = stores.get(ctx.account, ctx.region);
        const name = input.QueueName ?? '';
        if (!store.queues.has(name)) store.queues.set(name, { name, messages: [] });
        return { QueueUrl: queueUrl(ctx, name) };
      },
      GetQueueUrl: (ctx: RequestContext, input: GetQueueUrlRequest): GetQueueUrlResult => {
        const q = stores.get(ctx.account, ctx.region).queues.get(input.QueueName ?? '');
        if (!q) throw nonExistent();
        return { QueueUrl: queueUrl(ctx, q.name) };
      },
      ListQueues: (ctx: RequestContext, input: ListQueuesRequest): ListQueuesResult => {
        const urls = [...stores.get(ctx.account, ctx.region).queues.keys()]
          .filter((n) => n.startsWith(input.QueueNamePrefix ?? ''))
          .map((n) => queueUrl(ctx, n));
        return urls.length ? { QueueUrls: urls } : {};
      },
      SendMessage: (ctx: RequestContext, input: SendMessageRequest): SendMessageResult => {
        const q = queueFor(ctx, input.QueueUrl);
        const body = input.MessageBody ?? '';
        const m: StoredMessage = {
          id: randomUUID(),
          body,
          md5: createHash('md5').update(body, 'utf8').digest('hex'),
          visibleAt: host.clock.now(),
        };
        q.messages.push(m);
        return { MessageId: m.id, MD5OfMessageBody: m.md5 };
      },
      ReceiveMessage: (ctx: RequestContext, input: ReceiveMessageRequest): ReceiveMessageResult => {
        const q = queueFor(ctx, input.QueueUrl);
        const now = host.clock.now();
        const out: NonNullable<ReceiveMessageResult['Messages']> = [];
        for (const m of q.messages) {
          if (out.length >= (input.MaxNumberOfMessages ?? 1)) break;
          if (m.visibleAt > now) continue;
          m.receipt = randomUUID();
          m.visibleAt = now + 30_000;
          out.push({ MessageId: m.id, ReceiptHandle: m.receipt, MD5OfBody: m.md5, Body: m.body });
        }
        return out.length ? { Messages: out } : {};
      },
      DeleteMessage: (ctx: RequestContext, input: DeleteMessageRequest): void => {
        const q = queueFor(ctx, input.QueueUrl);
        q.messages = q.messages.filter((m) => m.receipt !== input.ReceiptHandle);
      },
    },
  };
}
