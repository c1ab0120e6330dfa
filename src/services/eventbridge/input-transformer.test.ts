import { describe, expect, test } from 'vitest';
import { ServiceError } from '../../core/errors.js';
import { checkTransformer, selectPath, transformInput } from './input-transformer.js';

// The EC2 example event of "Transforming target input".
const event = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};
const ctx = { ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/r', ruleName: 'r', ingestionTime: '2015-11-11T21:29:55.000Z' };
const paths = { instance: '$.detail.instance-id', state: '$.detail.state', resource: '$.resources[0]' };
const run = (template: string, map: Record<string, string> = paths): string =>
  transformInput({ InputPathsMap: map, InputTemplate: template }, event, ctx);

describe('input transformer', () => {
  test('a text template takes string values as they are', () => {
    expect(run('"instance <instance> is in <state>"')).toBe('"instance i-0123456789 is in RUNNING"');
    expect(run('<instance> is in state <state>')).toBe('i-0123456789 is in state RUNNING');
    expect(run('<instance> is in state \\"<state>\\"')).toBe('i-0123456789 is in state \\"RUNNING\\"');
  });

  test('a JSON template: quoted placeholders are string content, unquoted ones JSON values', () => {
    const out = run('{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<state>\\""}');
    expect(JSON.parse(out)).toEqual({ myInstance: 'i-0123456789', myStatus: 'i-0123456789 is in state "RUNNING"' });
    expect(JSON.parse(run('{"r": "<resource>", "arr": [<instance>, <state>]}'))).toEqual({
      r: 'arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111',
      arr: ['i-0123456789', 'RUNNING'],
    });
  });

  test('string values with quotes are escaped inside JSON strings', () => {
    const e = { ...event, detail: { note: 'say "hi"' } };
    const out = transformInput({ InputPathsMap: { note: '$.detail.note' }, InputTemplate: '{"n": "<note>", "m": <note>}' }, e, ctx);
    expect(JSON.parse(out)).toEqual({ n: 'say "hi"', m: 'say "hi"' });
  });

  test('objects, missing paths and predefined variables', () => {
    const out = run('{"detail": <d>, "none": <missing>, "arn": "<aws.events.rule-arn>", "name": "<aws.events.rule-name>", "at": "<aws.events.event.ingestion-time>", "ev": <aws.events.event.json>}', {
      d: '$.detail',
      missing: '$.detail.nope',
    });
    expect(JSON.parse(out)).toEqual({ detail: event.detail, none: null, arn: ctx.ruleArn, name: 'r', at: ctx.ingestionTime, ev: event });
    const bare = JSON.parse(run('{"e": <aws.events.event>}')) as { e: Record<string, unknown> };
    expect(bare.e.detail).toBeUndefined();
    expect(bare.e.source).toBe('aws.ec2');
  });

  test('text in angle brackets that names no variable stays', () => {
    expect(run('<b>bold</b> <state>')).toBe('<b>bold</b> RUNNING');
  });

  test('selectPath', () => {
    expect(selectPath(event, '$')).toBe(event);
    expect(selectPath(event, '$.detail.state')).toBe('RUNNING');
    expect(selectPath(event, '$.resources[0]')).toBe(event.resources[0]);
    expect(selectPath(event, '$.resources[3]')).toBeUndefined();
  });

  test('checks at PutTargets', () => {
    expect(() => checkTransformer({ InputPathsMap: { 'aws.events.rule-arn': '$.x' }, InputTemplate: 'x' }, 't')).toThrow(ServiceError);
    expect(() => checkTransformer({ InputPathsMap: { a: 'detail' }, InputTemplate: 'x' }, 't')).toThrow(ServiceError);
    expect(() => checkTransformer({ InputPathsMap: { a: '$.a' }, InputTemplate: '{"x": <a>' }, 't')).toThrow(/invalid JSON/);
    expect(() => checkTransformer({ InputPathsMap: { a: '$.a' }, InputTemplate: '{"x": <a>, "y": "<a>"}' }, 't')).not.toThrow();
  });
});
