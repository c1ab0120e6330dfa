// Java8 code bindings: one bean class per component schema (fields annotated with Jackson's @JsonProperty carrying
// the wire name, fluent setters, getters and setters, equals/hashCode/toString) and a Marshaller over Jackson's
// ObjectMapper, under `src/main/java/schema/<source>/<name>/`. The project that uses them brings jackson-databind.
import { bindingFolder, className } from './codegen-typescript.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

const KEYWORDS = new Set(
  'abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally float for goto if implements import instanceof int interface long native new package private protected public return short static strictfp super switch synchronized this throw throws transient try void volatile while true false null var'.split(
    ' ',
  ),
);

function fieldName(key: string): string {
  const words = key.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  let out = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  if (out === '' || /^[0-9]/.test(out)) out = `_${out}`;
  return KEYWORDS.has(out) ? `${out}_` : out;
}

function typeOf(schema: unknown, refs: Map<string, string>): string {
  if (!isObject(schema)) return 'Object';
  if (typeof schema.$ref === 'string') return refs.get(schema.$ref.replace(/^#\/(components\/schemas|definitions)\//, '')) ?? 'Object';
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return schema.format === 'date-time' ? 'Date' : 'String';
    case 'number':
      return 'Double';
    case 'integer':
      return 'Long';
    case 'boolean':
      return 'Boolean';
    case 'array':
      return `List<${typeOf(schema.items, refs)}>`;
    case 'object':
      return isObject(schema.additionalProperties) ? `Map<String, ${typeOf(schema.additionalProperties, refs)}>` : 'Object';
    default:
      return 'Object';
  }
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function classFile(pkg: string, name: string, schema: Json, refs: Map<string, string>): string {
  const props = isObject(schema.properties) ? schema.properties : {};
  const used = new Set<string>();
  const members: { field: string; key: string; type: string }[] = [];
  for (const [key, prop] of Object.entries(props)) {
    let field = fieldName(key);
    while (used.has(field)) field = `${field}_`;
    used.add(field);
    members.push({ field, key, type: typeOf(prop, refs) });
  }
  const l: string[] = [
    `package ${pkg};`,
    '',
    'import com.fasterxml.jackson.annotation.JsonProperty;',
    'import java.io.Serializable;',
    'import java.util.Date;',
    'import java.util.List;',
    'import java.util.Map;',
    'import java.util.Objects;',
    '',
    `public class ${name} implements Serializable {`,
    '  private static final long serialVersionUID = 1L;',
    '',
  ];
  for (const m of members) l.push(`  @JsonProperty(${JSON.stringify(m.key)})`, `  private ${m.type} ${m.field} = null;`, '');
  for (const m of members) {
    const c = cap(m.field);
    l.push(`  public ${name} ${m.field}(${m.type} ${m.field}) {`, `    this.${m.field} = ${m.field};`, '    return this;', '  }', '');
    l.push(`  public ${m.type} get${c}() {`, `    return ${m.field};`, '  }', '');
    l.push(`  public void set${c}(${m.type} ${m.field}) {`, `    this.${m.field} = ${m.field};`, '  }', '');
  }
  l.push('  @Override', '  public boolean equals(java.lang.Object o) {', '    if (this == o) return true;');
  l.push('    if (o == null || getClass() != o.getClass()) return false;');
  if (members.length === 0) l.push('    return true;');
  else {
    l.push(`    ${name} other = (${name}) o;`);
    l.push(`    return ${members.map((m) => `Objects.equals(this.${m.field}, other.${m.field})`).join(' &&\n        ')};`);
  }
  l.push('  }', '');
  l.push('  @Override', '  public int hashCode() {', `    return Objects.hash(${members.map((m) => m.field).join(', ')});`, '  }', '');
  l.push('  @Override', '  public String toString() {', '    StringBuilder sb = new StringBuilder();', `    sb.append("class ${name} {\\n");`);
  for (const m of members) l.push(`    sb.append("    ${m.field}: ").append(${m.field}).append("\\n");`);
  l.push('    sb.append("}");', '    return sb.toString();', '  }', '}');
  return `${l.join('\n')}\n`;
}

function marshallerFile(pkg: string): string {
  return `package ${pkg}.marshaller;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

public class Marshaller {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public static <T> void marshal(OutputStream output, T value) throws IOException {
    MAPPER.writeValue(output, value);
  }

  public static <T> T unmarshal(InputStream input, Class<T> type) throws IOException {
    return MAPPER.readValue(input, type);
  }
}
`;
}

/** File path -> Java source, for the schema's components. */
export function generateJava(schemaName: string, components: Map<string, Json>): Map<string, string> {
  const refs = new Map<string, string>();
  const taken = new Set<string>(['Marshaller', 'Date', 'List', 'Map', 'Objects', 'Serializable', 'JsonProperty', 'String', 'Double', 'Long', 'Boolean']);
  for (const name of components.keys()) {
    let c = className(name);
    while (taken.has(c)) c = `${c}_`;
    taken.add(c);
    refs.set(name, c);
  }
  const segments = bindingFolder(schemaName)
    .split('/')
    .map((p) => (/^[0-9]/.test(p) ? `_${p}` : p))
    .map((p) => (KEYWORDS.has(p) ? `${p}_` : p));
  const pkg = segments.join('.');
  const folder = `src/main/java/${segments.join('/')}`;
  const files = new Map<string, string>();
  for (const [name, schema] of components) {
    const c = refs.get(name) as string;
    files.set(`${folder}/${c}.java`, classFile(pkg, c, schema, refs));
  }
  files.set(`${folder}/marshaller/Marshaller.java`, marshallerFile(pkg));
  return files;
}
