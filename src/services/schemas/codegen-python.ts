// Python36 code bindings: one class per component schema (snake_case attributes, with the wire names kept in
// `_attribute_map`), and a Marshaller that turns received JSON into those classes and back. Plain Python 3.6, no
// dependencies; every folder of `schema/<source>/<name>/` is a package.
import { bindingFolder, className } from './codegen-typescript.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self'.split(
    ' ',
  ),
);

/** "detail-type" -> "detail_type", "orderId" -> "order_id". */
export function snakeCase(key: string): string {
  let out = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  if (out === '' || /^[0-9]/.test(out)) out = `_${out}`;
  return KEYWORDS.has(out) ? `${out}_` : out;
}

/** The Marshaller's name for the type of a property schema. */
function typeOf(schema: unknown, refs: Map<string, string>): string {
  if (!isObject(schema)) return 'object';
  if (typeof schema.$ref === 'string') {
    return refs.get(schema.$ref.replace(/^#\/(components\/schemas|definitions)\//, '')) ?? 'object';
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return schema.format === 'date-time' ? 'datetime' : 'str';
    case 'number':
      return 'float';
    case 'integer':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'array':
      return `list[${typeOf(schema.items, refs)}]`;
    case 'object':
      return isObject(schema.additionalProperties) ? `dict(str, ${typeOf(schema.additionalProperties, refs)})` : 'object';
    default:
      return 'object';
  }
}

const pyString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function classFile(name: string, schema: Json, refs: Map<string, string>): string {
  const props = isObject(schema.properties) ? schema.properties : {};
  const used = new Set<string>();
  const members: { attr: string; key: string; type: string }[] = [];
  for (const [key, prop] of Object.entries(props)) {
    let attr = snakeCase(key);
    while (used.has(attr)) attr = `${attr}_`;
    used.add(attr);
    members.push({ attr, key, type: typeOf(prop, refs) });
  }
  const lines = ['# coding: utf-8', '', '', `class ${name}(object):`, `    """The ${name} schema component."""`, ''];
  lines.push('    _types = {');
  for (const m of members) lines.push(`        ${pyString(m.attr)}: ${pyString(m.type)},`);
  lines.push('    }', '');
  lines.push('    _attribute_map = {');
  for (const m of members) lines.push(`        ${pyString(m.attr)}: ${pyString(m.key)},`);
  lines.push('    }', '');
  const params = members.map((m) => `, ${m.attr}=None`).join('');
  lines.push(`    def __init__(self${params}):`);
  if (members.length === 0) lines.push('        pass');
  for (const m of members) lines.push(`        self.${m.attr} = ${m.attr}`);
  lines.push('');
  lines.push('    def __eq__(self, other):');
  lines.push(`        return isinstance(other, ${name}) and self.__dict__ == other.__dict__`);
  lines.push('');
  lines.push('    def __repr__(self):');
  lines.push(`        return '${name}(%r)' % self.__dict__`);
  return `${lines.join('\n')}\n`;
}

function moduleName(cls: string): string {
  return snakeCase(cls).replace(/_$/, '') || 'schema';
}

function marshallerFile(modules: Map<string, string>): string {
  const classes = [...modules.keys()];
  const imports = classes.map((c) => `from .${modules.get(c) ?? ''} import ${c}`).join('\n');
  return `# coding: utf-8
import datetime
import re

${imports}

_CLASSES = {
${classes.map((c) => `    ${pyString(c)}: ${c},`).join('\n')}
}


class Marshaller(object):
    """Turns received JSON values into the generated classes, and instances back into JSON values."""

    @classmethod
    def marshall(cls, obj):
        if obj is None or isinstance(obj, (str, int, float, bool)):
            return obj
        if isinstance(obj, list):
            return [cls.marshall(item) for item in obj]
        if isinstance(obj, dict):
            return dict((key, cls.marshall(value)) for key, value in obj.items())
        if isinstance(obj, datetime.datetime):
            return obj.isoformat().replace('+00:00', 'Z')
        return dict(
            (obj._attribute_map[attr], cls.marshall(getattr(obj, attr)))
            for attr in obj._types
            if getattr(obj, attr) is not None
        )

    @classmethod
    def unmarshall(cls, data, type_name):
        if data is None:
            return None
        if type_name.startswith('list['):
            sub = re.match(r'list\\[(.*)\\]', type_name).group(1)
            return [cls.unmarshall(item, sub) for item in data]
        if type_name.startswith('dict('):
            sub = re.match(r'dict\\(([^,]*), (.*)\\)', type_name).group(2)
            return dict((key, cls.unmarshall(value, sub)) for key, value in data.items())
        if type_name == 'datetime':
            return datetime.datetime.strptime(re.sub(r'\\.\\d+', '', data).replace('Z', '+0000'), '%Y-%m-%dT%H:%M:%S%z')
        if type_name in ('str', 'int', 'float', 'bool', 'object'):
            return data
        klass = _CLASSES[type_name]
        kwargs = {}
        for attr, attr_type in klass._types.items():
            key = klass._attribute_map[attr]
            if key in data:
                kwargs[attr] = cls.unmarshall(data[key], attr_type)
        return klass(**kwargs)
`;
}

/** File path -> Python source, for the schema's components. */
export function generatePython(schemaName: string, components: Map<string, Json>): Map<string, string> {
  const refs = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of components.keys()) {
    let c = className(name);
    while (taken.has(c) || c === 'Marshaller') c = `${c}_`;
    taken.add(c);
    refs.set(name, c);
  }
  const folder = bindingFolder(schemaName).replace(/(^|\/)([0-9])/g, '$1_$2');
  const files = new Map<string, string>();
  const parts = folder.split('/');
  for (let i = 1; i < parts.length; i++) files.set(`${parts.slice(0, i).join('/')}/__init__.py`, '');
  const modules = new Map<string, string>();
  const usedModules = new Set(['marshaller']);
  for (const c of refs.values()) {
    let m = moduleName(c);
    while (usedModules.has(m)) m = `${m}_`;
    usedModules.add(m);
    modules.set(c, m);
  }
  for (const [name, schema] of components) {
    const c = refs.get(name) as string;
    files.set(`${folder}/${modules.get(c) ?? ''}.py`, classFile(c, schema, refs));
  }
  files.set(`${folder}/marshaller.py`, marshallerFile(modules));
  const init = [...[...modules].map(([c, m]) => `from .${m} import ${c}`), 'from .marshaller import Marshaller'];
  files.set(`${folder}/__init__.py`, `# coding: utf-8\n${init.join('\n')}\n`);
  return files;
}
