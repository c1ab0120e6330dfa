// TypeScript3 code bindings: one class per component schema (camelCase members, with the wire name kept in
// `attributeTypeMap`), and a Marshaller that turns received JSON into those classes and back. The files go into
// the zip that GetCodeBindingSource returns, under `schema/<source>/<name>/`.
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with as implements interface let package private protected public static yield any boolean constructor declare get module require number set string symbol type from of object unknown never'.split(
    ' ',
  ),
);

/** Global names a generated class must not shadow (the Marshaller uses Date and Array; ES targets forbid Object). */
const GLOBALS = new Set(['Object', 'Array', 'Date', 'String', 'Number', 'Boolean', 'Symbol', 'Map', 'Set', 'Promise', 'Error', 'Function', 'RegExp', 'JSON', 'Math', 'Record', 'Partial', 'Marshaller']);

/** A class name from a component name ("aws.partner/Ticket.Created" -> "AwsPartnerTicketCreated"). */
export function className(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  let out = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  if (out === '' || /^[0-9]/.test(out)) out = `Schema${out}`;
  return RESERVED.has(out) || GLOBALS.has(out) ? `${out}Type` : out;
}

/** A member name from a JSON key ("detail-type" -> "detailType"). */
export function memberName(key: string): string {
  const words = key.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  let out = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  if (out === '' || /^[0-9]/.test(out)) out = `_${out}`;
  return RESERVED.has(out) ? `_${out}` : out;
}

interface Member {
  readonly name: string;
  readonly baseName: string;
  readonly type: string;
  readonly required: boolean;
}

/** The TypeScript type of a property schema, and the type name the Marshaller works from. */
function typeOf(schema: unknown, refs: Map<string, string>): string {
  if (!isObject(schema)) return 'unknown';
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref.replace(/^#\/(components\/schemas|definitions)\//, '');
    return refs.get(target) ?? 'unknown';
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return schema.format === 'date-time' ? 'Date' : 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `Array<${typeOf(schema.items, refs)}>`;
    case 'object':
      if (isObject(schema.additionalProperties)) return `{ [key: string]: ${typeOf(schema.additionalProperties, refs)} }`;
      return 'object';
    default:
      return 'unknown';
  }
}

function classFile(name: string, schema: Json, refs: Map<string, string>): string {
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  const props = isObject(schema.properties) ? schema.properties : {};
  const used = new Set<string>();
  const members: Member[] = [];
  for (const [key, prop] of Object.entries(props)) {
    let m = memberName(key);
    while (used.has(m)) m = `${m}_`;
    used.add(m);
    members.push({ name: m, baseName: key, type: typeOf(prop, refs), required: required.has(key) });
  }
  const imports = new Set<string>();
  for (const m of members) {
    for (const other of refs.values()) {
      if (other !== name && new RegExp(`\\b${other}\\b`).test(m.type)) imports.add(other);
    }
  }
  const lines: string[] = [];
  for (const i of [...imports].sort()) lines.push(`import { ${i} } from './${i}';`);
  if (imports.size > 0) lines.push('');
  lines.push(`export class ${name} {`);
  for (const m of members) lines.push(`  '${m.name}'${m.required ? '!' : '?'}: ${m.type};`);
  if (members.length > 0) lines.push('');
  lines.push('  static readonly discriminator: string | undefined = undefined;');
  lines.push('');
  lines.push('  static readonly attributeTypeMap: Array<{ name: string; baseName: string; type: string }> = [');
  for (const m of members) {
    lines.push(`    { name: '${m.name}', baseName: ${JSON.stringify(m.baseName)}, type: ${JSON.stringify(m.type)} },`);
  }
  lines.push('  ];');
  lines.push('');
  lines.push(`  static getAttributeTypeMap(): Array<{ name: string; baseName: string; type: string }> {`);
  lines.push(`    return ${name}.attributeTypeMap;`);
  lines.push('  }');
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function marshallerFile(classes: readonly string[]): string {
  const imports = classes.map((c) => `import { ${c} } from '../${c}';`).join('\n');
  return `${imports}

interface Attribute {
  name: string;
  baseName: string;
  type: string;
}

interface Bound {
  getAttributeTypeMap(): Attribute[];
  new (): object;
}

const primitives = ['string', 'boolean', 'number', 'object', 'unknown'];

const typeMap: { [name: string]: Bound } = {
${classes.map((c) => `  ${c}: ${c},`).join('\n')}
};

export class Marshaller {
  /** A class instance (or value of the named type) as the JSON the event carries. */
  static marshal(data: unknown, type: string): unknown {
    if (data === undefined || data === null) return data;
    if (primitives.indexOf(type) !== -1) return data;
    if (type.indexOf('Array<') === 0) {
      const sub = type.substring('Array<'.length, type.length - 1);
      return (data as unknown[]).map((item) => Marshaller.marshal(item, sub));
    }
    if (type === 'Date') return (data as Date).toISOString();
    const bound = typeMap[type];
    if (!bound) return data;
    const source = data as { [key: string]: unknown };
    const out: { [key: string]: unknown } = {};
    for (const attribute of bound.getAttributeTypeMap()) {
      out[attribute.baseName] = Marshaller.marshal(source[attribute.name], attribute.type);
    }
    return out;
  }

  /** Received JSON as an instance of the named class. */
  static unmarshal<T>(data: unknown, type: string): T {
    return Marshaller.read(data, type) as T;
  }

  private static read(data: unknown, type: string): unknown {
    if (data === undefined || data === null) return data;
    if (primitives.indexOf(type) !== -1) return data;
    if (type.indexOf('Array<') === 0) {
      const sub = type.substring('Array<'.length, type.length - 1);
      return (data as unknown[]).map((item) => Marshaller.read(item, sub));
    }
    if (type === 'Date') return new Date(data as string);
    const bound = typeMap[type];
    if (!bound) return data;
    const source = data as { [key: string]: unknown };
    const instance = new bound() as { [key: string]: unknown };
    for (const attribute of bound.getAttributeTypeMap()) {
      instance[attribute.name] = Marshaller.read(source[attribute.baseName], attribute.type);
    }
    return instance;
  }
}
`;
}

/** The component schemas of a schema document of either type, by component name. */
export function componentsOf(doc: Json, type: 'OpenApi3' | 'JSONSchemaDraft4'): Map<string, Json> {
  const out = new Map<string, Json>();
  if (type === 'OpenApi3') {
    const schemas = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
    for (const [k, v] of Object.entries(schemas)) if (isObject(v)) out.set(k, v);
    return out;
  }
  const { definitions, ...root } = doc;
  out.set(typeof doc.title === 'string' ? doc.title : 'Event', root);
  if (isObject(definitions)) for (const [k, v] of Object.entries(definitions)) if (isObject(v)) out.set(k, v);
  return out;
}

/** The folder of a schema's bindings: `aws.ec2@EC2InstanceStateChangeNotification` -> `schema/aws/ec2/ec2instancestatechangenotification`. */
export function bindingFolder(schemaName: string): string {
  const parts = schemaName
    .toLowerCase()
    .split(/[@./]+/)
    .map((p) => p.replace(/[^a-z0-9_]+/g, '_'))
    .filter((p) => p.length > 0);
  return ['schema', ...parts].join('/');
}

/** File path -> TypeScript source, for the schema's components. */
export function generateTypeScript(schemaName: string, components: Map<string, Json>): Map<string, string> {
  const refs = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of components.keys()) {
    let c = className(name);
    while (taken.has(c)) c = `${c}_`;
    taken.add(c);
    refs.set(name, c);
  }
  const folder = bindingFolder(schemaName);
  const files = new Map<string, string>();
  for (const [name, schema] of components) {
    const c = refs.get(name) as string;
    files.set(`${folder}/${c}.ts`, classFile(c, schema, refs));
  }
  const classes = [...refs.values()];
  files.set(`${folder}/marshaller/Marshaller.ts`, marshallerFile(classes));
  const index = [...classes.map((c) => `export { ${c} } from './${c}';`), `export { Marshaller } from './marshaller/Marshaller';`];
  files.set(`${folder}/index.ts`, `${index.join('\n')}\n`);
  return files;
}
