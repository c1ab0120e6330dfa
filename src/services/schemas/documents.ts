// Schema content: validation of OpenApi3 and JSONSchemaDraft4 documents, and the OpenApi3 -> JSONSchemaDraft4
// conversion of ExportSchema (components become definitions, the event's root schema becomes the document).
import AjvModule from 'ajv-draft-04';
import { SchemasErrors } from './errors.js';

// A CommonJS module: under NodeNext its default import is the module object, whose `default` is the class.
const AjvDraft04 = AjvModule.default;
type AjvDraft04 = InstanceType<typeof AjvDraft04>;

export type SchemaType = 'OpenApi3' | 'JSONSchemaDraft4';
export const SCHEMA_TYPES: readonly SchemaType[] = ['OpenApi3', 'JSONSchemaDraft4'];
/** CreateSchema and UpdateSchema: Content is 1 to 100,000 characters. */
export const MAX_CONTENT_LENGTH = 100_000;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

export function checkType(value: string | undefined, member = 'Type'): SchemaType {
  if (value === undefined || value === null) throw SchemasErrors.missing(member);
  if (!(SCHEMA_TYPES as readonly string[]).includes(value)) {
    throw SchemasErrors.badRequest(`Invalid ${member}: ${value}. Valid values are: ${SCHEMA_TYPES.join(', ')}.`);
  }
  return value as SchemaType;
}

/** Checks schema content; one per provider, since building the draft 4 meta-schema validator takes a while. */
export class ContentChecker {
  private ajv: AjvDraft04 | undefined;

  /** Parses and checks content of the given type; returns the document. */
  check(content: string | undefined, type: SchemaType): Json {
    if (content === undefined || content === null) throw SchemasErrors.missing('Content');
    if (content.length < 1 || content.length > MAX_CONTENT_LENGTH) {
      throw SchemasErrors.badRequest(`Content must be between 1 and ${MAX_CONTENT_LENGTH} characters long.`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(content);
    } catch (e) {
      throw SchemasErrors.badRequest(`Invalid ${type} schema content: the content is not valid JSON (${(e as Error).message}).`);
    }
    if (!isObject(doc)) throw SchemasErrors.badRequest(`Invalid ${type} schema content: the content must be a JSON object.`);
    this.ajv ??= new AjvDraft04({ strict: false, validateSchema: true, logger: false });
    const problem = type === 'OpenApi3' ? openApiProblem(this.ajv, doc) : draft4Problem(this.ajv, doc);
    if (problem) throw SchemasErrors.badRequest(`Invalid ${type} schema content: ${problem}`);
    return doc;
  }
}

function openApiProblem(ajv: AjvDraft04, doc: Json): string | undefined {
  if (typeof doc.openapi !== 'string' || !/^3\.\d+\.\d+$/.test(doc.openapi)) {
    return "attribute 'openapi' is missing or is not a 3.x.y version string.";
  }
  if (!isObject(doc.info)) return "attribute 'info' is missing.";
  if (typeof doc.info.title !== 'string') return "attribute 'info.title' is missing.";
  if (typeof doc.info.version !== 'string') return "attribute 'info.version' is missing.";
  if (!isObject(doc.paths)) return "attribute 'paths' is missing.";
  if (doc.components !== undefined) {
    if (!isObject(doc.components)) return "attribute 'components' is not an object.";
    const schemas = doc.components.schemas;
    if (schemas !== undefined) {
      if (!isObject(schemas)) return "attribute 'components.schemas' is not an object.";
      for (const [name, s] of Object.entries(schemas)) {
        if (!isObject(s)) return `attribute 'components.schemas.${name}' is not an object.`;
        const problem = draft4Problem(ajv, toDraft4Schema(s));
        if (problem) return `components.schemas.${name}: ${problem}`;
      }
    }
  }
  return undefined;
}

function draft4Problem(ajv: AjvDraft04, doc: Json): string | undefined {
  if (ajv.validateSchema(doc) === false) {
    const first = ajv.errors?.[0];
    return `${first?.instancePath || '/'} ${first?.message ?? 'is not a valid JSON Schema draft 4 document'}.`;
  }
  return undefined;
}

/** `#/components/schemas/X` -> `#/definitions/X` throughout a schema. */
function toDraft4Schema(value: unknown): Json {
  return rewriteRefs(value) as Json;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', '#/definitions/') : rewriteRefs(v);
  }
  return out;
}

/** The root component of an OpenAPI schema document: the event envelope if there is one, else the first. */
export function rootComponent(doc: Json): string | undefined {
  const schemas = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
  if ('AWSEvent' in schemas) return 'AWSEvent';
  return Object.keys(schemas)[0];
}

/** ExportSchema: an OpenApi3 document as one JSON Schema draft 4 document. */
export function openApiToDraft4(doc: Json): Json {
  const schemas = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
  const root = rootComponent(doc);
  const title = isObject(doc.info) && typeof doc.info.title === 'string' ? doc.info.title : root;
  const out: Json = { $schema: 'http://json-schema.org/draft-04/schema#' };
  if (title !== undefined) out.title = title;
  const definitions: Json = {};
  for (const [name, s] of Object.entries(schemas)) if (name !== root) definitions[name] = toDraft4Schema(s);
  if (Object.keys(definitions).length > 0) out.definitions = definitions;
  if (root !== undefined) Object.assign(out, toDraft4Schema(schemas[root]));
  return out;
}
