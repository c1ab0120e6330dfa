// Routing of REST requests to operations: specificity rules on a small model, then every operation of every
// generated REST model must route back to itself from a path built out of its own uri.
import { describe, expect, it } from 'vitest';
import { SERVICES } from '../models/index.js';
import type { ServiceModel } from '../models/types.js';
import { matchRoute, parseQuery } from './rest-routing.js';

function op(name: string, method: string, uri: string) {
  return { name, http: { method, uri, code: 200 } };
}

const model: ServiceModel = {
  name: 'routes',
  sdkId: 'Routes',
  namespace: 'example.routes',
  signingName: 'routes',
  protocol: 'restJson1',
  version: '2024-01-01',
  operations: {
    GetThing: op('GetThing', 'GET', '/things/{Id}'),
    GetSpecial: op('GetSpecial', 'GET', '/things/special'),
    ListThings: op('ListThings', 'GET', '/things'),
    ListThingsSlash: op('ListThingsSlash', 'GET', '/things/'),
    GetObject: op('GetObject', 'GET', '/{Bucket}/{Key+}'),
    GetObjectMeta: op('GetObjectMeta', 'GET', '/{Bucket}/{Key+}/meta'),
    ListParts: op('ListParts', 'GET', '/{Bucket}/{Key+}?x-id=ListParts'),
    StartUpload: op('StartUpload', 'POST', '/{Bucket}/{Key+}?uploads'),
    PutObject: op('PutObject', 'PUT', '/{Bucket}/{Key+}'),
    FindByArn: op('FindByArn', 'GET', '/things?find=ByArn'),
  },
  shapes: {},
  errors: [],
};

const route = (method: string, path: string, query = '') => matchRoute(model, method, path, parseQuery(query));

describe('REST routing', () => {
  it('prefers a literal segment to a label, and a label to a greedy label', () => {
    expect(route('GET', '/things/special')?.operation.name).toBe('GetSpecial');
    expect(route('GET', '/things/other')).toMatchObject({ operation: { name: 'GetThing' }, labels: { Id: 'other' } });
    expect(route('GET', '/things')?.operation.name).toBe('ListThings');
    expect(route('GET', '/things/')?.operation.name).toBe('ListThingsSlash');
  });

  it('percent-decodes labels; a greedy label keeps its slashes and may be followed by literals', () => {
    expect(route('GET', '/things/a%2Fb%20c+d')?.labels).toEqual({ Id: 'a/b c+d' });
    expect(route('GET', '/bucket/a/b%2Fc/d.txt')).toMatchObject({
      operation: { name: 'GetObject' },
      labels: { Bucket: 'bucket', Key: 'a/b/c/d.txt' },
    });
    expect(route('GET', '/bucket/a/b/meta')).toMatchObject({
      operation: { name: 'GetObjectMeta' },
      labels: { Bucket: 'bucket', Key: 'a/b' },
    });
    expect(route('GET', '/bucket/x%ZZ')?.labels).toEqual({ Bucket: 'bucket', Key: 'x%ZZ' });
  });

  it('requires the query literals of a uri and prefers the route that has them', () => {
    expect(route('GET', '/things', 'find=ByArn&Arn=x')?.operation.name).toBe('FindByArn');
    expect(route('GET', '/things', 'find=Other')?.operation.name).toBe('ListThings');
    expect(route('POST', '/b/k', 'uploads')?.operation.name).toBe('StartUpload');
    expect(route('POST', '/b/k')).toBeUndefined();
    expect(route('GET', '/b/k', 'x-id=ListParts&uploadId=7')?.operation.name).toBe('ListParts');
    expect(route('GET', '/b/k', 'x-id=Other')?.operation.name).toBe('GetObject');
  });

  it('matches nothing for another method, an empty label or a missing segment', () => {
    expect(route('DELETE', '/things/a')).toBeUndefined();
    expect(route('GET', '//x')).toBeUndefined();
    expect(route('GET', '/bucket')).toBeUndefined();
    expect(route('get', '/things/a')?.operation.name).toBe('GetThing');
  });

  it('parses repeated query keys in order and `+` as a space', () => {
    expect(parseQuery('a=1&b=x+y&a=2&c')).toEqual(
      new Map([
        ['a', ['1', '2']],
        ['b', ['x y']],
        ['c', ['']],
      ]),
    );
  });
});

describe('every REST operation routes back to itself', () => {
  for (const [name, entry] of Object.entries(SERVICES)) {
    if (entry.protocol !== 'restJson1' && entry.protocol !== 'restXml') continue;
    it(name, async () => {
      const m = await entry.load();
      const wrong: string[] = [];
      for (const operation of Object.values(m.operations)) {
        if (!operation.http) continue;
        const [pathPart = '', queryPart = ''] = operation.http.uri.split('?');
        const path = pathPart.replace(/\{[^}]+\+\}/g, 'greedy/x%2Fy').replace(/\{[^}]+\}/g, 'v%3A1');
        const query = queryPart;
        const got = matchRoute(m, operation.http.method, path, parseQuery(query));
        if (got?.operation.name !== operation.name) wrong.push(`${operation.name} -> ${got?.operation.name}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});
