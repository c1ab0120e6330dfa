// Which resource and method a request path selects, as AWS matches them: at each level a literal path part before a
// `{param}` before a `{proxy+}` (which takes one or more remaining segments); then the HTTP method before ANY.
import type { Method } from '@aws-sdk/client-api-gateway';
import type { ApiSnapshot, ResourceRecord } from '../store.js';

interface Node {
  readonly resource: ResourceRecord;
  readonly literal: Map<string, Node>;
  param: { name: string; node: Node } | undefined;
  greedy: { name: string; node: Node } | undefined;
}

export interface RouteMatch {
  readonly resource: ResourceRecord;
  readonly method: Method;
  readonly pathParameters: Record<string, string>;
}

export class RouteTable {
  private readonly root: Node;

  constructor(snapshot: ApiSnapshot) {
    const nodes = new Map<string, Node>();
    for (const r of snapshot.resources.values()) {
      nodes.set(r.id, { resource: r, literal: new Map(), param: undefined, greedy: undefined });
    }
    for (const node of nodes.values()) {
      const { parentId, pathPart } = node.resource;
      const parent = parentId ? nodes.get(parentId) : undefined;
      if (!parent || !pathPart) continue;
      if (pathPart.startsWith('{') && pathPart.endsWith('+}')) parent.greedy = { name: pathPart.slice(1, -2), node };
      else if (pathPart.startsWith('{')) parent.param = { name: pathPart.slice(1, -1), node };
      else parent.literal.set(pathPart, node);
    }
    const root = nodes.get(snapshot.rootResourceId);
    if (!root) throw new Error('snapshot without its root resource');
    this.root = root;
  }

  /** The match for a decoded path split in segments (empty segments dropped), or undefined (no resource or method). */
  match(segments: readonly string[], httpMethod: string): RouteMatch | undefined {
    const params: Record<string, string> = {};
    const node = this.walk(this.root, segments, 0, params);
    if (!node) return undefined;
    const methods = node.resource.methods;
    const method = methods.get(httpMethod) ?? methods.get('ANY');
    return method ? { resource: node.resource, method, pathParameters: params } : undefined;
  }

  private walk(node: Node, segments: readonly string[], i: number, params: Record<string, string>): Node | undefined {
    if (i === segments.length) {
      // A `{proxy+}` child does not match zero segments; the node itself must carry a method to count.
      return node.resource.methods.size ? node : undefined;
    }
    const seg = segments[i] ?? '';
    const lit = node.literal.get(seg);
    if (lit) {
      const found = this.walk(lit, segments, i + 1, params);
      if (found) return found;
    }
    if (node.param) {
      const found = this.walk(node.param.node, segments, i + 1, params);
      if (found) {
        params[node.param.name] = seg;
        return found;
      }
    }
    if (node.greedy && node.greedy.node.resource.methods.size) {
      params[node.greedy.name] = segments.slice(i).join('/');
      return node.greedy.node;
    }
    return undefined;
  }
}
