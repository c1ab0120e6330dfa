import {
  CreateRegistryCommand,
  CreateSchemaCommand,
  DescribeCodeBindingCommand,
  GetCodeBindingSourceCommand,
  PutCodeBindingCommand,
} from '@aws-sdk/client-schemas';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import ts from 'typescript';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejection, startSchemasHarness, type SchemasHarness } from './harness.js';
import { CODE_BINDING_MS } from './provider.js';

const PYTHON = '/usr/bin/python3';
const JAVAC = '/usr/bin/javac';

let h: SchemasHarness;
beforeAll(async () => {
  h = await startSchemasHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.sy.reset());

/** The standard library's parsed files, shared by the compilations of this file. */
const libFiles = new Map<string, ts.SourceFile | undefined>();

/** Type-checks the files under strict settings; returns the diagnostics as text. */
function compile(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, noEmit: true, lib: ['lib.es2020.d.ts'], types: [] };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (f) => f in files || fileExists(f);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (d) => Object.keys(files).some((f) => f.startsWith(`${d}/`)) || (directoryExists?.(d) ?? false);
  host.readFile = (f) => files[f] ?? readFile(f);
  host.getSourceFile = (f, lang) => {
    if (f in files) return ts.createSourceFile(f, files[f] as string, lang);
    if (!libFiles.has(f)) libFiles.set(f, getSourceFile(f, lang));
    return libFiles.get(f);
  };
  const program = ts.createProgram(Object.keys(files), options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

async function source(registry: string, schema: string, Language = 'TypeScript3'): Promise<Record<string, string>> {
  const put = await h.schemas.send(new PutCodeBindingCommand({ RegistryName: registry, SchemaName: schema, Language }));
  expect(put.$metadata.httpStatusCode).toBe(202);
  expect(put).toMatchObject({ SchemaVersion: '1', Status: 'CREATE_IN_PROGRESS' });
  expect(await rejection(h.schemas.send(new GetCodeBindingSourceCommand({ RegistryName: registry, SchemaName: schema, Language })))).toMatchObject({
    name: 'NotFoundException',
  });
  const pending = await h.schemas.send(new DescribeCodeBindingCommand({ RegistryName: registry, SchemaName: schema, Language }));
  expect(pending.Status).toBe('CREATE_IN_PROGRESS');
  await h.clock.advance(CODE_BINDING_MS);
  const described = await h.schemas.send(new DescribeCodeBindingCommand({ RegistryName: registry, SchemaName: schema, Language }));
  expect(described).toMatchObject({ SchemaVersion: '1', Status: 'CREATE_COMPLETE' });
  expect(described.LastModified).toEqual(new Date(h.clock.now()));
  const out = await h.schemas.send(new GetCodeBindingSourceCommand({ RegistryName: registry, SchemaName: schema, Language }));
  const zip = unzipSync(out.Body as Uint8Array);
  return Object.fromEntries(Object.entries(zip).map(([path, bytes]) => [`/${path}`, strFromU8(bytes)]));
}

describe('code bindings', () => {
  it('generates TypeScript for an AWS event schema that compiles', async () => {
    const files = await source('aws.events', 'aws.s3@ObjectCreated');
    expect(Object.keys(files).sort()).toEqual([
      '/schema/aws/s3/objectcreated/AWSEvent.ts',
      '/schema/aws/s3/objectcreated/Bucket.ts',
      '/schema/aws/s3/objectcreated/ObjectCreated.ts',
      '/schema/aws/s3/objectcreated/ObjectType.ts',
      '/schema/aws/s3/objectcreated/index.ts',
      '/schema/aws/s3/objectcreated/marshaller/Marshaller.ts',
    ]);
    const event = files['/schema/aws/s3/objectcreated/AWSEvent.ts'] as string;
    expect(event).toContain("'detail'!: ObjectCreated;");
    expect(event).toContain("'detailType'!: string;");
    expect(event).toContain("'time'!: Date;");
    expect(files['/schema/aws/s3/objectcreated/ObjectType.ts']).toContain("'versionId'?: string;");
    expect(compile(files)).toEqual([]);
  });

  it('generates bindings for a user schema, and a program using them compiles', async () => {
    await h.schemas.send(new CreateRegistryCommand({ RegistryName: 'app' }));
    const content = JSON.stringify({
      openapi: '3.0.0',
      info: { version: '1.0.0', title: 'Order' },
      paths: {},
      components: {
        schemas: {
          Order: {
            type: 'object',
            required: ['id', 'lines'],
            properties: {
              id: { type: 'string' },
              lines: { type: 'array', items: { $ref: '#/components/schemas/Line' } },
              meta: { type: 'object', additionalProperties: { type: 'string' } },
              class: { type: 'string' },
            },
          },
          Line: { type: 'object', properties: { qty: { type: 'integer' }, 'unit-price': { type: 'number' } } },
        },
      },
    });
    await h.schemas.send(new CreateSchemaCommand({ RegistryName: 'app', SchemaName: 'order', Type: 'OpenApi3', Content: content }));
    const files = await source('app', 'order');
    files['/main.ts'] = [
      "import { Marshaller, Order } from './schema/order';",
      "const order = Marshaller.unmarshal<Order>({ id: 'o', lines: [{ qty: 1, 'unit-price': 2 }] }, 'Order');",
      'const total: number = order.lines.reduce((sum, line) => sum + (line.qty ?? 0) * (line.unitPrice ?? 0), 0);',
      "const wire = Marshaller.marshal(order, 'Order');",
      'export { total, wire };',
    ].join('\n');
    expect(compile(files)).toEqual([]);
  });

  it.skipIf(!existsSync(PYTHON))('generates Python36 bindings that unmarshall and marshall an event', async () => {
    const files = await source('aws.events', 'aws.s3@ObjectCreated', 'Python36');
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['/schema/__init__.py', '/schema/aws/s3/objectcreated/aws_event.py', '/schema/aws/s3/objectcreated/marshaller.py']),
    );
    const dir = mkdtempSync(join(tmpdir(), 'schemas-py-'));
    try {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const event = {
        version: '0', id: 'e', 'detail-type': 'Object Created', source: 'aws.s3', account: '000000000000',
        time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: ['arn:aws:s3:::b'],
        detail: { version: '0', bucket: { name: 'b' }, object: { key: 'k', size: 5, etag: 'x', sequencer: '1' },
          'request-id': 'r', requester: '000000000000', 'source-ip-address': '127.0.0.1', reason: 'PutObject' },
      };
      const script = [
        'import json, sys',
        `sys.path.insert(0, ${JSON.stringify(dir)})`,
        'from schema.aws.s3.objectcreated import AWSEvent, Marshaller',
        'data = json.loads(sys.argv[1])',
        "event = Marshaller.unmarshall(data, 'AWSEvent')",
        'assert isinstance(event, AWSEvent)',
        "print(json.dumps({'key': event.detail.object.key, 'type': event.detail_type, 'year': event.time.year, 'back': Marshaller.marshall(event)}))",
      ].join('\n');
      const out = JSON.parse(execFileSync(PYTHON, ['-c', script, JSON.stringify(event)], { encoding: 'utf8', timeout: 30_000 }));
      expect(out).toEqual({ key: 'k', type: 'Object Created', year: 2026, back: event });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Jackson is not on this machine: the few of its types the bindings use are declared here with the same signatures.
  const JACKSON_STUBS: Record<string, string> = {
    'com/fasterxml/jackson/annotation/JsonProperty.java':
      'package com.fasterxml.jackson.annotation;\nimport java.lang.annotation.*;\n@Retention(RetentionPolicy.RUNTIME) @Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})\npublic @interface JsonProperty { String value() default ""; }\n',
    'com/fasterxml/jackson/databind/DeserializationFeature.java':
      'package com.fasterxml.jackson.databind;\npublic enum DeserializationFeature { FAIL_ON_UNKNOWN_PROPERTIES }\n',
    'com/fasterxml/jackson/databind/ObjectMapper.java': [
      'package com.fasterxml.jackson.databind;',
      'import java.io.*;',
      'public class ObjectMapper {',
      '  public ObjectMapper configure(DeserializationFeature f, boolean state) { return this; }',
      '  public void writeValue(OutputStream out, Object value) throws IOException {}',
      '  public <T> T readValue(InputStream src, Class<T> valueType) throws IOException { return null; }',
      '}',
    ].join('\n'),
  };

  it.skipIf(!existsSync(JAVAC))('generates Java8 bindings that compile', { timeout: 60_000 }, async () => {
    const files = await source('aws.events', 'aws.s3@ObjectCreated', 'Java8');
    expect(Object.keys(files).sort()).toEqual([
      '/src/main/java/schema/aws/s3/objectcreated/AWSEvent.java',
      '/src/main/java/schema/aws/s3/objectcreated/Bucket.java',
      '/src/main/java/schema/aws/s3/objectcreated/ObjectCreated.java',
      '/src/main/java/schema/aws/s3/objectcreated/ObjectType.java',
      '/src/main/java/schema/aws/s3/objectcreated/marshaller/Marshaller.java',
    ]);
    expect(files['/src/main/java/schema/aws/s3/objectcreated/AWSEvent.java']).toContain('@JsonProperty("detail-type")\n  private String detailType = null;');
    const dir = mkdtempSync(join(tmpdir(), 'schemas-java-'));
    try {
      const all = { ...Object.fromEntries(Object.entries(files).map(([p, t]) => [p.slice(1), t])), ...JACKSON_STUBS };
      for (const [path, text] of Object.entries(all)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      execFileSync(JAVAC, ['-d', join(dir, 'out'), ...Object.keys(all).map((p) => join(dir, p))], { encoding: 'utf8', timeout: 60_000 });
      expect(existsSync(join(dir, 'out/schema/aws/s3/objectcreated/AWSEvent.class'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses languages it does not generate, naming them', async () => {
    expect(
      await rejection(h.schemas.send(new PutCodeBindingCommand({ RegistryName: 'aws.events', SchemaName: 'aws.s3@ObjectCreated', Language: 'Go1' }))),
    ).toEqual({
      name: 'BadRequestException',
      message: 'Switchyard does not generate Go1 code bindings yet; the supported languages are TypeScript3, Python36 and Java8.',
      status: 400,
    });
    expect(
      await rejection(h.schemas.send(new DescribeCodeBindingCommand({ RegistryName: 'aws.events', SchemaName: 'aws.s3@ObjectCreated', Language: 'TypeScript3' }))),
    ).toMatchObject({ name: 'NotFoundException', status: 404 });
  });
});
