// The pieces of mapping templates that are plain functions: JSONPath as $input.path/json take it, AWS's JavaScript
// escaping, parameter mapping expressions, and Java string methods inside templates.
import { describe, expect, it } from 'vitest';
import { escapeJavaScript, jsonPath, mapExpression, TemplateCache, TemplateError } from './dataplane/mapping.js';

const params = { path: { id: '7' }, querystring: { q: 'x' }, header: { 'x-custom': 'h' }, multiQuerystring: { q: ['w', 'x'] }, multiHeader: { 'x-custom': ['h'] } };

describe('mapping templates', () => {
  it('evaluates JSONPath: root, members, indexes, quoted keys and wildcards', () => {
    const doc = { a: { b: [1, { c: 'd' }] }, 'odd key': 2, list: [{ n: 1 }, { n: 2 }] };
    expect(jsonPath(doc, '$')).toBe(doc);
    expect(jsonPath(doc, '$.a.b[1].c')).toBe('d');
    expect(jsonPath(doc, "$['odd key']")).toBe(2);
    expect(jsonPath(doc, '$.list[*].n')).toEqual([1, 2]);
    expect(jsonPath(doc, '$.missing.deeper')).toBeUndefined();
    expect(jsonPath(doc, 'a.b')).toBeUndefined();
  });

  it('escapes as $util.escapeJavaScript does, single quotes included', () => {
    expect(escapeJavaScript('a"b\'c\\d\ne\tf\u0001')).toBe('a\\"b\\\'c\\\\d\\ne\\tf\\u0001');
  });

  it('maps parameter expressions from the request, the response, stage variables and the context', () => {
    const from = { params, context: { requestId: 'r', identity: { sourceIp: '1.2.3.4' } }, stageVariables: { v: 's' }, responseBody: '{"a":{"b":1}}', requestBody: '{"x":"y"}', responseHeaders: { 'X-Up': 'u' } };
    expect(mapExpression("'lit'", from)).toBe('lit');
    expect(mapExpression('method.request.path.id', from)).toBe('7');
    expect(mapExpression('method.request.querystring.q', from)).toBe('x');
    expect(mapExpression('method.request.multivaluequerystring.q', from)).toBe('w,x');
    expect(mapExpression('method.request.header.X-Custom', from)).toBe('h');
    expect(mapExpression('method.request.body.x', from)).toBe('y');
    expect(mapExpression('integration.response.body.a', from)).toBe('{"b":1}');
    expect(mapExpression('integration.response.header.x-up', from)).toBe('u');
    expect(mapExpression('stageVariables.v', from)).toBe('s');
    expect(mapExpression('context.identity.sourceIp', from)).toBe('1.2.3.4');
    expect(mapExpression('context.nothing', from)).toBeUndefined();
  });

  it('offers the Java string and map methods templates use, and reports broken templates', () => {
    const cache = new TemplateCache();
    const scope = { body: '{"name":"Ann","tags":{"k":"v"}}', params, context: {}, stageVariables: {} };
    const out = cache.render(
      "#set($b = $input.path('$'))$b.name.equals('Ann') $b.name.equalsIgnoreCase('ann') $b.name.length() $b.name.contains('n') $b.tags.containsKey('k') $b.name.matches('A.*') $b.name.replaceAll('n', 'N')",
      scope,
    );
    expect(out).toBe('true true 3 true true true ANN');
    expect(() => cache.render('#if( broken', scope)).toThrow(TemplateError);
    expect(() => cache.render("$input.json('$')", { ...scope, body: 'not json' })).toThrow(TemplateError);
  });
});
