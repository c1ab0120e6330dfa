// Custom domain names and their mappings (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains.html).
// REST (base path mappings) and v2 (API mappings) share one namespace of domain names, as in AWS, so the registry
// lives here and the v2 provider reaches it through the REST provider's internal interface. A host name routes to
// one domain wherever it was created, since the data plane sees only the Host header.
import { randomBytes } from 'node:crypto';
import type { DataPlaneRequest } from '../../core/provider.js';
import { newId } from './store.js';

/**
 * A request that came through a custom domain, rewritten to the API's own path; `domainPath` is the path the client
 * sent, which AWS shows in events and `$context.path` (base path included, no stage).
 */
export interface DomainRequest extends DataPlaneRequest {
  readonly domainPath: string;
}

export function domainPathOf(req: DataPlaneRequest): string | undefined {
  return 'domainPath' in req && typeof req.domainPath === 'string' ? req.domainPath : undefined;
}

export interface DomainMapping {
  readonly id: string;
  /** '' for the `(none)` base path; otherwise one or more path segments, no leading or trailing slash. */
  key: string;
  apiId: string;
  /** Undefined for a REST mapping without a stage: callers then name the stage after the base path. */
  stage: string | undefined;
}

export interface DomainRecord {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly createdAt: number;
  endpointType: 'EDGE' | 'REGIONAL';
  certificateArn: string | undefined;
  certificateName: string | undefined;
  regionalCertificateArn: string | undefined;
  regionalCertificateName: string | undefined;
  securityPolicy: 'TLS_1_0' | 'TLS_1_2';
  ownershipVerificationCertificateArn: string | undefined;
  tags: Record<string, string>;
  /** The names AWS gives the domain's CloudFront distribution and regional endpoint, fixed at creation. */
  readonly distributionDomainName: string;
  readonly regionalDomainName: string;
  readonly mappings: DomainMapping[];
}

/** Where a request to a custom domain goes. */
export interface DomainTarget {
  readonly apiId: string;
  readonly stage: string | undefined;
  /** The path after the base path, starting with '/'. */
  readonly path: string;
}

/** Route 53 hosted zones of API Gateway's regional endpoints (AWS's published values); CloudFront's is one zone. */
const REGIONAL_ZONES: Readonly<Record<string, string>> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8',
  'us-east-2': 'ZOJJZC49E0EPZ',
  'us-west-1': 'Z2MUQ32089INYE',
  'us-west-2': 'Z2OJLYMUO9EFXC',
  'eu-west-1': 'ZLY8HYME6SFDD',
  'eu-west-2': 'ZJ5UAJN8Y3Z2Q',
  'eu-central-1': 'Z1U9ULNL0V5AJ3',
  'ap-northeast-1': 'Z1YSHQZHG15GKL',
  'ap-southeast-1': 'ZL327KTPIQFUL',
  'ap-southeast-2': 'Z2RPCDW04V8134',
};
export const CLOUDFRONT_ZONE = 'Z2FDTNDATAQYW2';

export const regionalZone = (region: string): string | undefined => REGIONAL_ZONES[region];

const DOMAIN_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;

export const isDomainName = (name: string): boolean => name.length <= 253 && DOMAIN_NAME.test(name);

export class DomainRegistry {
  /** Lower-case host name -> domain: the data plane's lookup. */
  private readonly byName = new Map<string, DomainRecord>();

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The domain serving a host: its own name, else a wildcard name (`*.example.com`) one label up. */
  serving(hostname: string): DomainRecord | undefined {
    const exact = this.byName.get(hostname);
    if (exact) return exact;
    const dot = hostname.indexOf('.');
    return dot > 0 ? this.byName.get(`*${hostname.slice(dot)}`) : undefined;
  }

  get(name: string): DomainRecord | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The domain as its owner sees it: another account's or region's domain of that name is not found. */
  owned(account: string, region: string, name: string | undefined): DomainRecord | undefined {
    const d = this.get(name ?? '');
    return d && d.account === account && d.region === region ? d : undefined;
  }

  list(account: string, region: string): DomainRecord[] {
    return [...this.byName.values()].filter((d) => d.account === account && d.region === region);
  }

  add(record: Omit<DomainRecord, 'distributionDomainName' | 'regionalDomainName' | 'mappings'>): DomainRecord {
    const full: DomainRecord = {
      ...record,
      distributionDomainName: `d${randomBytes(7).toString('hex').slice(0, 13)}.cloudfront.net`,
      regionalDomainName: `d-${newId(10)}.execute-api.${record.region}.amazonaws.com`,
      mappings: [],
    };
    this.byName.set(record.name, full);
    return full;
  }

  delete(name: string): void {
    this.byName.delete(name);
  }

  clear(): void {
    this.byName.clear();
  }

  /** AWS picks the mapping with the longest base path that prefixes the path by whole segments, else `(none)`. */
  resolve(hostname: string, path: string): DomainTarget | undefined {
    const domain = this.serving(hostname);
    if (!domain) return undefined;
    let best: DomainMapping | undefined;
    for (const m of domain.mappings) {
      if (best && m.key.length <= best.key.length) continue;
      if (m.key === '' || path === `/${m.key}` || path.startsWith(`/${m.key}/`)) best = m;
    }
    if (!best) return undefined;
    const rest = best.key === '' ? path : path.slice(best.key.length + 1);
    return { apiId: best.apiId, stage: best.stage, path: rest === '' ? '/' : rest };
  }
}
