// Models (JSON Schema draft 4) and request validators: the built-in Empty and Error models every API has, schema
// checks at CreateModel, and request validation at invoke time (required parameters, then the body against the
// method's model for the request's content type), answering what AWS answers.
import AjvModule from 'ajv-draft-04';
import type { Method, Model, RequestValidator } from '@aws-sdk/client-api-gateway';
import { badRequest } from './errors.js';

// A CommonJS module: under NodeNext its default import is the module object, whose `default` is the class.
const AjvDraft04 = AjvModule.default;
type AjvDraft04 = InstanceType<typeof AjvDraft04>;
type Validate = ReturnType<AjvDraft04['compile']>;

const DRAFT4 = 'http://json-schema.org/draft-04/schema#';

/** The two models AWS creates with every REST API. */
export function builtInModels(newId: () => string): Model[] {
  return [
    {
      id: newId(),
      name: 'Empty',
      description: 'This is a default empty schema model',
      schema: `{\n  "$schema": "${DRAFT4}",\n  "title" : "Empty Schema",\n  "type" : "object"\n}`,
      contentType: 'application/json',
    },
    {
      id: newId(),
      name: 'Error',
      description: 'This is a default error schema model',
      schema: `{\n  "$schema" : "${DRAFT4}",\n  "title" : "Error Schema",\n  "type" : "object",\n  "properties" : {\n    "message" : { "type" : "string" }\n  }\n}`,
      contentType: 'application/json',
    },
  ];
}

/** Compiles model schemas; one per provider (building the draft 4 meta-schema validator takes a while). */
export class SchemaCompiler {
  private ajv: AjvDraft04 | undefined;
  private readonly compiled = new Map<string, Validate>();

  private instance(): AjvDraft04 {
    this.ajv ??= new AjvDraft04({ strict: false, validateSchema: true, logger: false, allErrors: false });
    return this.ajv;
  }

  /** CreateModel's check: valid JSON and a valid draft 4 schema. */
  check(schema: string | undefined): void {
    if (schema === undefined) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(schema);
    } catch {
      throw badRequest('Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
    }
    const ajv = this.instance();
    if (typeof parsed !== 'object' || parsed === null || ajv.validateSchema(parsed) === false) {
      throw badRequest('Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
    }
  }

  /** Whether a JSON body satisfies the schema (a body that is not JSON does not). */
  validates(schema: string, body: string): boolean {
    let validate = this.compiled.get(schema);
    if (!validate) {
      const parsed = JSON.parse(schema) as Record<string, unknown>;
      // $id/id would register the schema globally in ajv; models are compared by their text instead.
      delete parsed.id;
      delete parsed.$id;
      validate = this.instance().compile(parsed);
      if (this.compiled.size > 500) this.compiled.clear();
      this.compiled.set(schema, validate);
    }
    let value: unknown;
    try {
      value = JSON.parse(body === '' ? '{}' : body);
    } catch {
      return false;
    }
    return validate(value) === true;
  }
}

export interface ValidationInput {
  readonly method: Method;
  readonly validator: RequestValidator;
  readonly models: ReadonlyMap<string, Model>;
  readonly contentType: string;
  readonly path: Record<string, string>;
  readonly querystring: Record<string, string>;
  readonly header: Record<string, string>;
  readonly body: string;
}

/** The gateway's 400 for a request a validator rejects, or undefined when it passes. */
export function validateRequest(input: ValidationInput, compiler: SchemaCompiler): { type: 'BAD_REQUEST_PARAMETERS' | 'BAD_REQUEST_BODY'; message: string } | undefined {
  if (input.validator.validateRequestParameters) {
    const missing: string[] = [];
    for (const [key, required] of Object.entries(input.method.requestParameters ?? {})) {
      if (!required) continue;
      const m = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/.exec(key);
      if (!m?.[2]) continue;
      const name = m[2];
      const present =
        m[1] === 'path'
          ? input.path[name] !== undefined
          : m[1]?.endsWith('querystring')
            ? input.querystring[name] !== undefined
            : input.header[name.toLowerCase()] !== undefined;
      if (!present) missing.push(name);
    }
    if (missing.length) return { type: 'BAD_REQUEST_PARAMETERS', message: `Missing required request parameters: [${missing.join(', ')}]` };
  }
  if (input.validator.validateRequestBody) {
    const models = input.method.requestModels ?? {};
    const name = models[input.contentType] ?? models.$default;
    const model = name ? input.models.get(name) : undefined;
    if (model?.schema && !compiler.validates(model.schema, input.body)) {
      return { type: 'BAD_REQUEST_BODY', message: 'Invalid request body' };
    }
  }
  return undefined;
}
