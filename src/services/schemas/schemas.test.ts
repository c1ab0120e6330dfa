import {
  CreateRegistryCommand,
  CreateSchemaCommand,
  DeleteSchemaCommand,
  DeleteSchemaVersionCommand,
  DescribeSchemaCommand,
  ExportSchemaCommand,
  GetDiscoveredSchemaCommand,
  ListSchemasCommand,
  ListSchemaVersionsCommand,
  SearchSchemasCommand,
  UpdateSchemaCommand,
} from '@aws-sdk/client-schemas';
import { PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejection, startSchemasHarness, type SchemasHarness } from './harness.js';

let h: SchemasHarness;
beforeAll(async () => {
  h = await startSchemasHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  h.sy.reset();
  await h.schemas.send(new CreateRegistryCommand({ RegistryName: 'reg' }));
});

const openApi = (props: Record<string, unknown>): string =>
  JSON.stringify({
    openapi: '3.0.0',
    info: { version: '1.0.0', title: 'Order' },
    paths: {},
    components: { schemas: { Order: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, ...props } } } },
  });

describe('schemas and versions', () => {
  it('creates version 1, adds a version when the content changes and not when it does not', async () => {
    const created = await h.schemas.send(
      new CreateSchemaCommand({ RegistryName: 'reg', SchemaName: 'order', Type: 'OpenApi3', Content: openApi({}), Description: 'd' }),
    );
    expect(created).toMatchObject({
      SchemaArn: 'arn:aws:schemas:us-east-1:000000000000:schema/reg/order',
      SchemaName: 'order',
      SchemaVersion: '1',
      Type: 'OpenApi3',
      Description: 'd',
      Tags: {},
    });
    expect(created.VersionCreatedDate).toEqual(new Date(h.clock.now()));
    await h.clock.advance(60_000);
    const same = await h.schemas.send(new UpdateSchemaCommand({ RegistryName: 'reg', SchemaName: 'order', Content: openApi({}) }));
    expect(same.SchemaVersion).toBe('1');
    const v2 = await h.schemas.send(
      new UpdateSchemaCommand({ RegistryName: 'reg', SchemaName: 'order', Content: openApi({ total: { type: 'number' } }) }),
    );
    expect(v2.SchemaVersion).toBe('2');
    expect(v2.VersionCreatedDate).toEqual(new Date(h.clock.now()));
    const latest = await h.schemas.send(new DescribeSchemaCommand({ RegistryName: 'reg', SchemaName: 'order' }));
    expect(latest.SchemaVersion).toBe('2');
    expect(latest.Content).toContain('total');
    const first = await h.schemas.send(new DescribeSchemaCommand({ RegistryName: 'reg', SchemaName: 'order', SchemaVersion: '1' }));
    expect(first.Content).toBe(openApi({}));
    const versions = await h.schemas.send(new ListSchemaVersionsCommand({ RegistryName: 'reg', SchemaName: 'order' }));
    expect(versions.SchemaVersions?.map((v) => v.SchemaVersion)).toEqual(['1', '2']);
    await h.schemas.send(new DeleteSchemaVersionCommand({ RegistryName: 'reg', SchemaName: 'order', SchemaVersion: '1' }));
    expect(
      await rejection(h.schemas.send(new DescribeSchemaCommand({ RegistryName: 'reg', SchemaName: 'order', SchemaVersion: '1' }))),
    ).toEqual({ name: 'NotFoundException', message: 'Version 1 of schema order does not exist.', status: 404 });
    const v3 = await h.schemas.send(new UpdateSchemaCommand({ RegistryName: 'reg', SchemaName: 'order', Content: openApi({ x: { type: 'string' } }) }));
    expect(v3.SchemaVersion).toBe('3');
    await h.schemas.send(new DeleteSchemaCommand({ RegistryName: 'reg', SchemaName: 'order' }));
    expect(await rejection(h.schemas.send(new DescribeSchemaCommand({ RegistryName: 'reg', SchemaName: 'order' })))).toEqual({
      name: 'NotFoundException',
      message: 'Schema with name order does not exist in registry reg.',
      status: 404,
    });
  });

  it('applies an update retried with the same ClientTokenId once', async () => {
    await h.schemas.send(new CreateSchemaCommand({ RegistryName: 'reg', SchemaName: 'idem', Type: 'OpenApi3', Content: openApi({}) }));
    const update = { RegistryName: 'reg', SchemaName: 'idem', ClientTokenId: 'token-1', Content: openApi({ a: { type: 'string' } }) };
    expect((await h.schemas.send(new UpdateSchemaCommand(update))).SchemaVersion).toBe('2');
    expect((await h.schemas.send(new UpdateSchemaCommand(update))).SchemaVersion).toBe('2');
    const other = { ...update, ClientTokenId: 'token-2', Content: openApi({ b: { type: 'string' } }) };
    expect((await h.schemas.send(new UpdateSchemaCommand(other))).SchemaVersion).toBe('3');
  });

  it('validates content by type', async () => {
    const create = (Type: 'OpenApi3' | 'JSONSchemaDraft4', Content: string): Promise<unknown> =>
      h.schemas.send(new CreateSchemaCommand({ RegistryName: 'reg', SchemaName: 's', Type, Content }));
    expect(await rejection(create('OpenApi3', '{not json'))).toMatchObject({ name: 'BadRequestException', status: 400 });
    expect(await rejection(create('OpenApi3', JSON.stringify({ info: {} })))).toMatchObject({
      name: 'BadRequestException',
      message: "Invalid OpenApi3 schema content: attribute 'openapi' is missing or is not a 3.x.y version string.",
    });
    expect(await rejection(create('JSONSchemaDraft4', JSON.stringify({ type: 'nope' })))).toMatchObject({ name: 'BadRequestException' });
    expect(await rejection(create('OpenApi3', 'x'.repeat(100_001)))).toMatchObject({ name: 'BadRequestException' });
    const draft4 = JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', properties: { a: { type: 'string' } } });
    const ok = await h.schemas.send(new CreateSchemaCommand({ RegistryName: 'reg', SchemaName: 'd4', Type: 'JSONSchemaDraft4', Content: draft4 }));
    expect(ok.Type).toBe('JSONSchemaDraft4');
    expect(await rejection(create('OpenApi3', openApi({})).then(() => create('OpenApi3', openApi({}))))).toMatchObject({
      name: 'ConflictException',
      status: 409,
    });
    expect(
      await rejection(h.schemas.send(new CreateSchemaCommand({ RegistryName: 'nope', SchemaName: 's', Type: 'OpenApi3', Content: openApi({}) }))),
    ).toMatchObject({ name: 'NotFoundException', message: 'Registry with name nope does not exist.' });
  });

  it('lists with a prefix and pagination, and searches names and content', async () => {
    for (const name of ['order-created', 'order-shipped', 'invoice']) {
      await h.schemas.send(new CreateSchemaCommand({ RegistryName: 'reg', SchemaName: name, Type: 'OpenApi3', Content: openApi({}) }));
    }
    await h.schemas.send(
      new UpdateSchemaCommand({ RegistryName: 'reg', SchemaName: 'invoice', Content: openApi({ shippingAddress: { type: 'string' } }) }),
    );
    const p1 = await h.schemas.send(new ListSchemasCommand({ RegistryName: 'reg', SchemaNamePrefix: 'order', Limit: 1 }));
    expect(p1.Schemas?.map((s) => [s.SchemaName, s.VersionCount])).toEqual([['order-created', 1]]);
    const p2 = await h.schemas.send(new ListSchemasCommand({ RegistryName: 'reg', SchemaNamePrefix: 'order', Limit: 1, NextToken: p1.NextToken }));
    expect(p2.Schemas?.map((s) => s.SchemaName)).toEqual(['order-shipped']);
    const found = await h.schemas.send(new SearchSchemasCommand({ RegistryName: 'reg', Keywords: 'SHIPPED address' }));
    expect(found.Schemas?.map((s) => [s.SchemaName, s.SchemaVersions?.map((v) => v.SchemaVersion)])).toEqual([
      ['invoice', ['2']],
      ['order-shipped', ['1']],
    ]);
    expect(found.Schemas?.[0]?.SchemaVersions?.[0]).toMatchObject({ Type: 'OpenApi3', CreatedDate: expect.any(Date) });
  });

  it('exports an OpenApi3 schema as JSONSchemaDraft4', async () => {
    const exported = await h.schemas.send(
      new ExportSchemaCommand({ RegistryName: 'aws.events', SchemaName: 'aws.ec2@EC2InstanceStateChangeNotification', Type: 'JSONSchemaDraft4' }),
    );
    expect(exported.Type).toBe('JSONSchemaDraft4');
    const doc = JSON.parse(exported.Content ?? '{}');
    expect(doc.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(doc.title).toBe('EC2InstanceStateChangeNotification');
    expect(doc.properties.detail).toEqual({ $ref: '#/definitions/EC2InstanceStateChangeNotification' });
    expect(doc.definitions.EC2InstanceStateChangeNotification.required).toEqual(['instance-id', 'state']);
    expect(
      await rejection(h.schemas.send(new ExportSchemaCommand({ RegistryName: 'aws.events', SchemaName: 'aws.ec2@EC2InstanceStateChangeNotification', Type: 'OpenApi3' }))),
    ).toMatchObject({ name: 'BadRequestException' });
  });
});

describe('registry events', () => {
  it('sends Schema Created and Schema Version Created to the default bus', async () => {
    const url = (await h.sqs.send(new CreateQueueCommand({ QueueName: 'schema-events' }))).QueueUrl ?? '';
    await h.eb.send(new PutRuleCommand({ Name: 'schemas', EventPattern: JSON.stringify({ source: ['aws.schemas'] }) }));
    await h.eb.send(
      new PutTargetsCommand({ Rule: 'schemas', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:schema-events' }] }),
    );
    await h.schemas.send(new CreateSchemaCommand({ RegistryName: 'reg', SchemaName: 'order', Type: 'OpenApi3', Content: openApi({}) }));
    await h.schemas.send(new UpdateSchemaCommand({ RegistryName: 'reg', SchemaName: 'order', Content: openApi({ n: { type: 'number' } }) }));
    await h.clock.advance(0);
    const messages = (await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages ?? [];
    const events = messages.map((m) => JSON.parse(m.Body ?? '{}'));
    expect(events.map((e) => [e['detail-type'], e.detail.Version])).toEqual([
      ['Schema Created', 1],
      ['Schema Version Created', 1],
      ['Schema Version Created', 2],
    ]);
    expect(events[0]).toMatchObject({
      source: 'aws.schemas',
      account: '000000000000',
      region: 'us-east-1',
      resources: ['arn:aws:schemas:us-east-1:000000000000:schema/reg/order'],
      detail: { SchemaName: 'order', SchemaType: 'OpenApi3', RegistryName: 'reg', CreationDate: new Date(h.clock.now()).toISOString().replace('.000Z', 'Z') },
    });
  });
});

describe('GetDiscoveredSchema', () => {
  it('infers a schema from sample events as AWS lays it out', async () => {
    const event = JSON.stringify({
      Source: 'com.mycompany.myapp',
      Detail: '{ "key1": "value1", "key2": "value2" }',
      EventBusName: 'default',
      Resources: ['resource1', 'resource2'],
      DetailType: 'myDetailType',
    });
    const out = await h.schemas.send(new GetDiscoveredSchemaCommand({ Events: [event], Type: 'OpenApi3' }));
    expect(out.Content).toBe(
      '{"openapi":"3.0.0","info":{"version":"1.0.0","title":"Event"},"paths":{},"components":{"schemas":{"Event":{"type":"object","required":["EventBusName","DetailType","Resources","Detail","Source"],"properties":{"Detail":{"type":"string"},"DetailType":{"type":"string"},"EventBusName":{"type":"string"},"Resources":{"type":"array","items":{"type":"string"}},"Source":{"type":"string"}}}}}}',
    );
    const draft4 = await h.schemas.send(new GetDiscoveredSchemaCommand({ Events: [event], Type: 'JSONSchemaDraft4' }));
    expect(JSON.parse(draft4.Content ?? '{}')).toMatchObject({ $schema: 'http://json-schema.org/draft-04/schema#', title: 'Event', type: 'object' });
    expect(await rejection(h.schemas.send(new GetDiscoveredSchemaCommand({ Events: ['nope'], Type: 'OpenApi3' })))).toMatchObject({
      name: 'BadRequestException',
    });
  });
});
