import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutPermissionCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateDiscovererCommand,
  DeleteDiscovererCommand,
  DescribeDiscovererCommand,
  DescribeSchemaCommand,
  ListDiscoverersCommand,
  ListSchemasCommand,
  ListSchemaVersionsCommand,
  StartDiscovererCommand,
  StopDiscovererCommand,
  UpdateDiscovererCommand,
} from '@aws-sdk/client-schemas';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejection, startSchemasHarness, type SchemasHarness } from './harness.js';

let h: SchemasHarness;
beforeAll(async () => {
  h = await startSchemasHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

const DEFAULT_BUS = 'arn:aws:events:us-east-1:000000000000:event-bus/default';

async function put(detail: object, detailType = 'Order Placed', source = 'com.shop.orders', bus?: string): Promise<void> {
  const out = await h.eb.send(
    new PutEventsCommand({ Entries: [{ Source: source, DetailType: detailType, Detail: JSON.stringify(detail), EventBusName: bus }] }),
  );
  expect(out.FailedEntryCount).toBe(0);
  await h.clock.advance(0);
}

async function versions(name: string): Promise<string[]> {
  const out = await h.schemas.send(new ListSchemaVersionsCommand({ RegistryName: 'discovered-schemas', SchemaName: name }));
  return (out.SchemaVersions ?? []).map((v) => v.SchemaVersion as string);
}

describe('discoverers', () => {
  it('creates, describes, updates, lists, stops, starts and deletes', async () => {
    const created = await h.schemas.send(new CreateDiscovererCommand({ SourceArn: DEFAULT_BUS, Description: 'all', Tags: { t: '1' } }));
    expect(created).toMatchObject({
      DiscovererId: 'events-event-bus-default',
      DiscovererArn: 'arn:aws:schemas:us-east-1:000000000000:discoverer/events-event-bus-default',
      SourceArn: DEFAULT_BUS,
      State: 'STARTED',
      CrossAccount: true,
      Description: 'all',
      Tags: { t: '1' },
    });
    expect(await rejection(h.schemas.send(new CreateDiscovererCommand({ SourceArn: DEFAULT_BUS })))).toMatchObject({
      name: 'ConflictException',
      status: 409,
    });
    expect(await rejection(h.schemas.send(new CreateDiscovererCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:q' })))).toMatchObject({
      name: 'BadRequestException',
    });
    const id = 'events-event-bus-default';
    const updated = await h.schemas.send(new UpdateDiscovererCommand({ DiscovererId: id, CrossAccount: false, Description: 'mine' }));
    expect(updated).toMatchObject({ CrossAccount: false, Description: 'mine' });
    expect(await h.schemas.send(new StopDiscovererCommand({ DiscovererId: id }))).toMatchObject({ DiscovererId: id, State: 'STOPPED' });
    expect((await h.schemas.send(new DescribeDiscovererCommand({ DiscovererId: id }))).State).toBe('STOPPED');
    expect(await h.schemas.send(new StartDiscovererCommand({ DiscovererId: id }))).toMatchObject({ State: 'STARTED' });
    const listed = await h.schemas.send(new ListDiscoverersCommand({ SourceArnPrefix: 'arn:aws:events:us-east-1:000000000000:event-bus/d' }));
    expect(listed.Discoverers?.map((d) => d.DiscovererId)).toEqual([id]);
    await h.schemas.send(new DeleteDiscovererCommand({ DiscovererId: id }));
    expect(await rejection(h.schemas.send(new DescribeDiscovererCommand({ DiscovererId: id })))).toEqual({
      name: 'NotFoundException',
      message: `Discoverer with id ${id} does not exist.`,
      status: 404,
    });
  });

  it('infers a schema from the events on its bus and versions it only when it changes', async () => {
    await put({ orderId: 'o-1' });
    expect((await h.schemas.send(new ListSchemasCommand({ RegistryName: 'discovered-schemas' }))).Schemas).toEqual([]);

    await h.schemas.send(new CreateDiscovererCommand({ SourceArn: DEFAULT_BUS }));
    await put({ orderId: 'o-1', total: 12.5, items: [{ sku: 'a', qty: 1 }], customer: { id: 'c', vip: true } });
    const name = 'com.shop.orders@OrderPlaced';
    const v1 = await h.schemas.send(new DescribeSchemaCommand({ RegistryName: 'discovered-schemas', SchemaName: name }));
    expect(v1).toMatchObject({
      SchemaArn: `arn:aws:schemas:us-east-1:000000000000:schema/discovered-schemas/${name}`,
      SchemaVersion: '1',
      Type: 'OpenApi3',
    });
    const doc = JSON.parse(v1.Content ?? '{}');
    expect(doc.info).toEqual({ version: '1.0.0', title: 'OrderPlaced' });
    const aws = doc.components.schemas.AWSEvent;
    expect(aws['x-amazon-events-source']).toBe('com.shop.orders');
    expect(aws['x-amazon-events-detail-type']).toBe('Order Placed');
    expect(aws.required).toEqual(['detail-type', 'resources', 'detail', 'id', 'source', 'time', 'region', 'version', 'account']);
    expect(aws.properties.detail).toEqual({ $ref: '#/components/schemas/OrderPlaced' });
    expect(aws.properties.time).toEqual({ type: 'string', format: 'date-time' });
    const detail = doc.components.schemas.OrderPlaced;
    expect(Object.keys(detail.properties)).toEqual(['customer', 'items', 'orderId', 'total']);
    expect(detail.properties.total).toEqual({ type: 'number', format: 'double' });
    expect(detail.properties.customer).toEqual({ $ref: '#/components/schemas/Customer' });
    expect(detail.properties.items).toEqual({ type: 'array', items: { $ref: '#/components/schemas/ItemsItem' } });
    expect(doc.components.schemas.Customer.properties.vip).toEqual({ type: 'boolean' });
    expect(doc.components.schemas.ItemsItem.properties.qty).toEqual({ type: 'number' });

    // The same shape (other values) makes no new version; a new field does, keeping the fields seen before.
    await put({ orderId: 'o-2', total: 3.25, items: [], customer: { id: 'd', vip: false } });
    expect(await versions(name)).toEqual(['1']);
    await put({ orderId: 'o-3', total: 1.5, items: [{ sku: 'b', qty: 2 }], customer: { id: 'e', vip: false }, coupon: 'X' });
    expect(await versions(name)).toEqual(['1', '2']);
    const v2 = JSON.parse((await h.schemas.send(new DescribeSchemaCommand({ RegistryName: 'discovered-schemas', SchemaName: name }))).Content ?? '{}');
    expect(Object.keys(v2.components.schemas.OrderPlaced.properties)).toEqual(['coupon', 'customer', 'items', 'orderId', 'total']);
    expect(v2.components.schemas.OrderPlaced.required).not.toContain('coupon');
    await put({ orderId: 'o-4', total: 2.5, items: [], customer: { id: 'f', vip: true }, coupon: 'Y' });
    expect(await versions(name)).toEqual(['1', '2']);
  });

  it('stops discovering when stopped and sees only its own bus', async () => {
    await h.eb.send(new CreateEventBusCommand({ Name: 'other' }));
    await h.schemas.send(new CreateDiscovererCommand({ SourceArn: DEFAULT_BUS }));
    await put({ a: 1 }, 'Elsewhere', 'com.other', 'other');
    await h.schemas.send(new StopDiscovererCommand({ DiscovererId: 'events-event-bus-default' }));
    await put({ a: 1 }, 'While Stopped');
    expect((await h.schemas.send(new ListSchemasCommand({ RegistryName: 'discovered-schemas' }))).Schemas).toEqual([]);
    await h.schemas.send(new StartDiscovererCommand({ DiscovererId: 'events-event-bus-default' }));
    await put({ a: 1 }, 'EC2 Thing-happened Now!', 'my app');
    const names = (await h.schemas.send(new ListSchemasCommand({ RegistryName: 'discovered-schemas' }))).Schemas?.map((s) => s.SchemaName);
    expect(names).toEqual(['myapp@EC2ThingHappenedNow']);
  });

  it('ignores events from other accounts unless CrossAccount is on', async () => {
    const other = new EventBridgeClient({
      endpoint: h.sy.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: '111122223333', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      await h.eb.send(new PutPermissionCommand({ Action: 'events:PutEvents', Principal: '111122223333', StatementId: 'partner' }));
      await other.send(new PutRuleCommand({ Name: 'forward', EventPattern: JSON.stringify({ source: ['com.partner'] }) }));
      await other.send(new PutTargetsCommand({ Rule: 'forward', Targets: [{ Id: 'bus', Arn: DEFAULT_BUS }] }));
      await h.schemas.send(new CreateDiscovererCommand({ SourceArn: DEFAULT_BUS, CrossAccount: false }));
      const send = async (detailType: string): Promise<void> => {
        await other.send(new PutEventsCommand({ Entries: [{ Source: 'com.partner', DetailType: detailType, Detail: '{"k":1}' }] }));
        await h.clock.advance(0);
      };
      await send('Skipped');
      await put({ k: 1 }, 'Local');
      await h.schemas.send(new UpdateDiscovererCommand({ DiscovererId: 'events-event-bus-default', CrossAccount: true }));
      await send('Forwarded');
      const names = (await h.schemas.send(new ListSchemasCommand({ RegistryName: 'discovered-schemas' }))).Schemas?.map((s) => s.SchemaName);
      expect(names).toEqual(['com.partner@Forwarded', 'com.shop.orders@Local']);
    } finally {
      other.destroy();
    }
  });
});
