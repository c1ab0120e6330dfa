import {
  CreateDiscovererCommand,
  CreateRegistryCommand,
  CreateSchemaCommand,
  GetDiscoveredSchemaCommand,
  DeleteRegistryCommand,
  DeleteResourcePolicyCommand,
  DescribeRegistryCommand,
  DescribeSchemaCommand,
  GetResourcePolicyCommand,
  ListRegistriesCommand,
  ListSchemasCommand,
  ListTagsForResourceCommand,
  PutResourcePolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateRegistryCommand,
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

describe('registries', () => {
  it('creates, describes, updates and deletes a registry', async () => {
    const created = await h.schemas.send(
      new CreateRegistryCommand({ RegistryName: 'orders', Description: 'order events', Tags: { team: 'a' } }),
    );
    expect(created).toMatchObject({
      RegistryArn: 'arn:aws:schemas:us-east-1:000000000000:registry/orders',
      RegistryName: 'orders',
      Description: 'order events',
      Tags: { team: 'a' },
    });
    expect(created.$metadata.httpStatusCode).toBe(201);
    const updated = await h.schemas.send(new UpdateRegistryCommand({ RegistryName: 'orders', Description: 'v2' }));
    expect(updated.Description).toBe('v2');
    expect((await h.schemas.send(new DescribeRegistryCommand({ RegistryName: 'orders' }))).Description).toBe('v2');
    await h.schemas.send(new DeleteRegistryCommand({ RegistryName: 'orders' }));
    expect(await rejection(h.schemas.send(new DescribeRegistryCommand({ RegistryName: 'orders' })))).toEqual({
      name: 'NotFoundException',
      message: 'Registry with name orders does not exist.',
      status: 404,
    });
  });

  it('refuses a duplicate, a bad name and changes to AWS-owned registries', async () => {
    await h.schemas.send(new CreateRegistryCommand({ RegistryName: 'dup' }));
    expect(await rejection(h.schemas.send(new CreateRegistryCommand({ RegistryName: 'dup' })))).toMatchObject({
      name: 'ConflictException',
      status: 409,
    });
    expect(await rejection(h.schemas.send(new CreateRegistryCommand({ RegistryName: 'bad name' })))).toMatchObject({
      name: 'BadRequestException',
      status: 400,
    });
    expect(await rejection(h.schemas.send(new DeleteRegistryCommand({ RegistryName: 'aws.events' })))).toMatchObject({
      name: 'ForbiddenException',
      status: 403,
    });
  });

  it('lists by scope and prefix, with pagination', async () => {
    for (const name of ['r1', 'r2', 'r3']) await h.schemas.send(new CreateRegistryCommand({ RegistryName: name }));
    const aws = await h.schemas.send(new ListRegistriesCommand({ Scope: 'AWS' }));
    expect(aws.Registries?.map((r) => r.RegistryName)).toEqual(['aws.events']);
    const local = await h.schemas.send(new ListRegistriesCommand({ Scope: 'LOCAL' }));
    expect(local.Registries?.map((r) => r.RegistryName)).toEqual(['discovered-schemas', 'r1', 'r2', 'r3']);
    const first = await h.schemas.send(new ListRegistriesCommand({ RegistryNamePrefix: 'r', Limit: 2 }));
    expect(first.Registries?.map((r) => r.RegistryName)).toEqual(['r1', 'r2']);
    const second = await h.schemas.send(new ListRegistriesCommand({ RegistryNamePrefix: 'r', Limit: 2, NextToken: first.NextToken }));
    expect(second.Registries?.map((r) => r.RegistryName)).toEqual(['r3']);
    expect(second.NextToken).toBeUndefined();
  });

  it('ships AWS event schemas in aws.events', async () => {
    const list = await h.schemas.send(new ListSchemasCommand({ RegistryName: 'aws.events' }));
    const names = list.Schemas?.map((s) => s.SchemaName);
    expect(names).toEqual(expect.arrayContaining(['aws.s3@ObjectCreated', 'aws.ec2@EC2InstanceStateChangeNotification', 'aws.events@ScheduledEvent']));
    const ec2 = await h.schemas.send(
      new DescribeSchemaCommand({ RegistryName: 'aws.events', SchemaName: 'aws.ec2@EC2InstanceStateChangeNotification' }),
    );
    expect(ec2.SchemaVersion).toBe('1');
    expect(ec2.Type).toBe('OpenApi3');
    const doc = JSON.parse(ec2.Content ?? '{}');
    expect(doc.components.schemas.AWSEvent['x-amazon-events-source']).toBe('aws.ec2');
    expect(doc.components.schemas.AWSEvent['x-amazon-events-detail-type']).toBe('EC2 Instance State-change Notification');
    expect(doc.components.schemas.EC2InstanceStateChangeNotification.required).toEqual(['instance-id', 'state']);
    expect(ec2.Content).toContain('"openapi" : "3.0.0"');
  });
});

describe('resource policies and tags', () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'a', Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'schemas:*', Resource: '*' }],
  });

  it('puts, gets and deletes a registry policy, checking the revision', async () => {
    await h.schemas.send(new CreateRegistryCommand({ RegistryName: 'shared' }));
    const put = await h.schemas.send(new PutResourcePolicyCommand({ RegistryName: 'shared', Policy: policy }));
    expect(put.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
    const got = await h.schemas.send(new GetResourcePolicyCommand({ RegistryName: 'shared' }));
    expect(JSON.parse(String(got.Policy))).toEqual(JSON.parse(policy));
    expect(got.RevisionId).toBe(put.RevisionId);
    expect(
      await rejection(h.schemas.send(new PutResourcePolicyCommand({ RegistryName: 'shared', Policy: policy, RevisionId: 'stale' }))),
    ).toMatchObject({ name: 'PreconditionFailedException', status: 412 });
    await h.schemas.send(new PutResourcePolicyCommand({ RegistryName: 'shared', Policy: policy, RevisionId: put.RevisionId }));
    await h.schemas.send(new DeleteResourcePolicyCommand({ RegistryName: 'shared' }));
    expect(await rejection(h.schemas.send(new GetResourcePolicyCommand({ RegistryName: 'shared' })))).toMatchObject({
      name: 'NotFoundException',
      status: 404,
    });
  });

  it('tags and untags registries', async () => {
    const { RegistryArn } = await h.schemas.send(new CreateRegistryCommand({ RegistryName: 'tagged', Tags: { a: '1' } }));
    await h.schemas.send(new TagResourceCommand({ ResourceArn: RegistryArn, Tags: { b: '2' } }));
    expect((await h.schemas.send(new ListTagsForResourceCommand({ ResourceArn: RegistryArn }))).Tags).toEqual({ a: '1', b: '2' });
    await h.schemas.send(new UntagResourceCommand({ ResourceArn: RegistryArn, TagKeys: ['a'] }));
    expect((await h.schemas.send(new ListTagsForResourceCommand({ ResourceArn: RegistryArn }))).Tags).toEqual({ b: '2' });
    expect(
      await rejection(h.schemas.send(new ListTagsForResourceCommand({ ResourceArn: 'arn:aws:schemas:us-east-1:000000000000:registry/none' }))),
    ).toMatchObject({ name: 'NotFoundException', status: 404 });
  });
});

describe('bad input', () => {
  it('answers each with a 4xx and a message, never a 500', async () => {
    const cases: Promise<unknown>[] = [
      h.schemas.send(new ListRegistriesCommand({ Limit: 0 })),
      h.schemas.send(new ListRegistriesCommand({ NextToken: '!!!' })),
      h.schemas.send(new ListRegistriesCommand({ Scope: 'GLOBAL' })),
      h.schemas.send(new ListTagsForResourceCommand({ ResourceArn: 'not-an-arn' })),
      h.schemas.send(new DescribeSchemaCommand({ RegistryName: 'aws.events', SchemaName: 'aws.s3@ObjectCreated', SchemaVersion: 'abc' })),
      h.schemas.send(new GetDiscoveredSchemaCommand({ Events: Array.from({ length: 11 }, () => '{}'), Type: 'OpenApi3' })),
      h.schemas.send(new GetDiscoveredSchemaCommand({ Events: ['[1]'], Type: 'Avro' as 'OpenApi3' })),
      h.schemas.send(new CreateSchemaCommand({ RegistryName: 'aws.events', SchemaName: 'x', Type: 'OpenApi3', Content: '{}' })),
      h.schemas.send(new CreateSchemaCommand({ RegistryName: 'discovered-schemas', SchemaName: 'x', Type: 'Avro' as 'OpenApi3', Content: '{}' })),
      h.schemas.send(new CreateRegistryCommand({ RegistryName: 'x'.repeat(65) })),
      h.schemas.send(new CreateDiscovererCommand({ SourceArn: 'arn:aws:events:eu-west-1:000000000000:event-bus/default' })),
      h.schemas.send(new PutResourcePolicyCommand({ Policy: 'not json' })),
    ];
    for (const p of cases) {
      const err = await rejection(p);
      expect(err.status).toBeGreaterThanOrEqual(400);
      expect(err.status).toBeLessThan(500);
      expect(err.message.length).toBeGreaterThan(0);
    }
  });
});
