// The REST API's operations on custom domain names and base path mappings
// (https://docs.aws.amazon.com/apigateway/latest/api/API_DomainName.html, API_BasePathMapping.html).
import type {
  BasePathMapping,
  BasePathMappings,
  CreateBasePathMappingRequest,
  CreateDomainNameRequest,
  DeleteBasePathMappingRequest,
  DeleteDomainNameRequest,
  DomainName,
  DomainNames,
  GetBasePathMappingRequest,
  GetBasePathMappingsRequest,
  GetDomainNameRequest,
  GetDomainNamesRequest,
  PatchOperation,
  UpdateBasePathMappingRequest,
  UpdateDomainNameRequest,
} from '@aws-sdk/client-api-gateway';
import type { RequestContext } from '../../core/context.js';
import { CERTIFICATE_ARN, CLOUDFRONT_ZONE, isDomainName, regionalZone, type DomainMapping, type DomainRecord, type DomainRegistry } from './domains.js';
import { badRequest, conflict, notFound } from './errors.js';
import { newId, type ApiRecord } from './store.js';

/** A REST API of the caller's account and region, if it exists. */
export type FindRestApi = (ctx: RequestContext, id: string) => ApiRecord | undefined;

const BASE_PATH = /^[A-Za-z0-9$\-_.+!*'()]+$/;
const SECURITY_POLICIES = ['TLS_1_0', 'TLS_1_2'];

export const DomainErrors = {
  domain: () => notFound('Invalid domain name identifier specified'),
  mapping: () => notFound('Invalid base path mapping identifier specified'),
  exists: () => conflict('The domain name you provided already exists.'),
  basePathExists: () => conflict('Base path already exists for this domain name'),
  emptyBasePath: () => conflict('Only one base path mapping is allowed if the base path is empty.'),
} as const;

/** The REST shape of a domain. */
export function restDomainOut(d: DomainRecord): DomainName {
  const out: DomainName = {
    domainName: d.name,
    domainNameArn: `arn:aws:apigateway:${d.region}::/domainnames/${d.name}`,
    endpointConfiguration: { types: [d.endpointType] },
    domainNameStatus: 'AVAILABLE',
    securityPolicy: d.securityPolicy,
  };
  if (d.endpointType === 'EDGE') {
    Object.assign(out, {
      distributionDomainName: d.distributionDomainName,
      distributionHostedZoneId: CLOUDFRONT_ZONE,
      certificateUploadDate: new Date(d.createdAt),
    });
    if (d.certificateArn) out.certificateArn = d.certificateArn;
    if (d.certificateName) out.certificateName = d.certificateName;
  } else {
    out.regionalDomainName = d.regionalDomainName;
    const zone = regionalZone(d.region);
    if (zone) out.regionalHostedZoneId = zone;
    if (d.regionalCertificateArn) out.regionalCertificateArn = d.regionalCertificateArn;
    if (d.regionalCertificateName) out.regionalCertificateName = d.regionalCertificateName;
  }
  if (d.ownershipVerificationCertificateArn) out.ownershipVerificationCertificateArn = d.ownershipVerificationCertificateArn;
  if (Object.keys(d.tags).length) out.tags = { ...d.tags };
  return out;
}

function checkCertificate(arn: string | undefined): void {
  if (arn !== undefined && !CERTIFICATE_ARN.test(arn)) throw badRequest(`Invalid certificate ARN specified: ${arn}`);
}

function page<T>(items: readonly T[], position: string | undefined, limit: number | undefined): { items: T[]; position?: string } {
  const size = limit ?? 25;
  if (!Number.isInteger(size) || size < 1 || size > 500) throw badRequest('The value of limit must be between 1 and 500');
  const start = position ? Number(position) : 0;
  if (!Number.isInteger(start) || start < 0) throw badRequest('Invalid position parameter');
  const slice = items.slice(start, start + size);
  return start + size < items.length ? { items: slice, position: String(start + size) } : { items: slice };
}

const mappingOut = (m: DomainMapping): BasePathMapping => ({
  basePath: m.key === '' ? '(none)' : m.key,
  restApiId: m.apiId,
  ...(m.stage !== undefined ? { stage: m.stage } : {}),
});

/** `(none)` and '' are the empty base path. */
const basePathKey = (basePath: string | undefined): string => (basePath === undefined || basePath === '(none)' ? '' : basePath);

export class RestDomainNames {
  constructor(
    private readonly registry: DomainRegistry,
    private readonly findApi: FindRestApi,
  ) {}

  private domain(ctx: RequestContext, name: string | undefined, domainNameId?: string): DomainRecord {
    // Private custom domains (the only ones with a domainNameId) are not implemented, so no id names a domain.
    const d = domainNameId ? undefined : this.registry.owned(ctx.account, ctx.region, name);
    if (!d) throw DomainErrors.domain();
    return d;
  }

  createDomainName(ctx: RequestContext, input: CreateDomainNameRequest): DomainName {
    const name = (input.domainName ?? '').toLowerCase();
    if (!name) throw badRequest('Domain name must not be null');
    if (!isDomainName(name)) throw badRequest(`Invalid domain name specified: ${input.domainName ?? ''}`);
    if (input.certificateBody !== undefined || input.certificatePrivateKey !== undefined || input.certificateChain !== undefined) {
      throw badRequest('Switchyard does not implement uploaded certificates: pass an ACM certificate ARN');
    }
    if (input.mutualTlsAuthentication) throw badRequest('Switchyard does not implement mutual TLS authentication');
    if (input.policy !== undefined || input.endpointAccessMode !== undefined) throw badRequest('Switchyard does not implement private custom domain names');
    if (input.routingMode !== undefined && input.routingMode !== 'BASE_PATH_MAPPING_ONLY') {
      throw badRequest('Switchyard does not implement routing rules: routingMode must be BASE_PATH_MAPPING_ONLY');
    }
    const types = input.endpointConfiguration?.types ?? ['EDGE'];
    const type = types[0];
    if (types.length !== 1 || (type !== 'EDGE' && type !== 'REGIONAL')) {
      if (type === 'PRIVATE') throw badRequest('Switchyard does not implement private custom domain names');
      throw badRequest('Invalid endpoint configuration: exactly one of EDGE or REGIONAL is required');
    }
    const policy = input.securityPolicy ?? 'TLS_1_2';
    if (!SECURITY_POLICIES.includes(policy)) throw badRequest(`Invalid security policy specified: ${policy}. Valid options are TLS_1_0,TLS_1_2`);
    checkCertificate(input.certificateArn);
    checkCertificate(input.regionalCertificateArn);
    if (type === 'EDGE' && !input.certificateArn && !input.certificateName) {
      throw badRequest('A certificate was not provided for the domain name. Specify certificateArn for an EDGE domain name');
    }
    if (type === 'REGIONAL' && !input.regionalCertificateArn) {
      throw badRequest('A regional certificate was not provided for the domain name. Specify regionalCertificateArn for a REGIONAL domain name');
    }
    if (this.registry.has(name)) throw DomainErrors.exists();
    const d = this.registry.add({
      name,
      account: ctx.account,
      region: ctx.region,
      createdAt: ctx.clock.now(),
      endpointType: type,
      certificateArn: input.certificateArn,
      certificateName: input.certificateName,
      regionalCertificateArn: input.regionalCertificateArn,
      regionalCertificateName: input.regionalCertificateName,
      securityPolicy: policy as DomainRecord['securityPolicy'],
      ownershipVerificationCertificateArn: input.ownershipVerificationCertificateArn,
      tags: { ...input.tags },
    });
    return restDomainOut(d);
  }

  getDomainName(ctx: RequestContext, input: GetDomainNameRequest): DomainName {
    return restDomainOut(this.domain(ctx, input.domainName, input.domainNameId));
  }

  getDomainNames(ctx: RequestContext, input: GetDomainNamesRequest): DomainNames {
    if (input.resourceOwner === 'OTHER_ACCOUNTS') return { items: [] };
    return page(this.registry.list(ctx.account, ctx.region).map(restDomainOut), input.position, input.limit);
  }

  updateDomainName(ctx: RequestContext, input: UpdateDomainNameRequest): DomainName {
    const d = this.domain(ctx, input.domainName, input.domainNameId);
    const next = { ...d };
    for (const p of input.patchOperations ?? []) this.patchDomain(next, p);
    if (next.endpointType === 'EDGE' && !next.certificateArn && !next.certificateName) {
      throw badRequest('A certificate was not provided for the domain name. Specify certificateArn for an EDGE domain name');
    }
    if (next.endpointType === 'REGIONAL' && !next.regionalCertificateArn) {
      throw badRequest('A regional certificate was not provided for the domain name. Specify regionalCertificateArn for a REGIONAL domain name');
    }
    Object.assign(d, next);
    return restDomainOut(d);
  }

  private patchDomain(d: DomainRecord, p: PatchOperation): void {
    const op = p.op ?? '';
    const path = p.path ?? '';
    if (op !== 'replace' && op !== 'add' && op !== 'remove') {
      throw badRequest('Invalid patch operation specified. Must be one of: [add, remove, replace]');
    }
    const value = op === 'remove' ? undefined : p.value;
    switch (path) {
      case '/certificateArn':
      case '/regionalCertificateArn':
        checkCertificate(value);
        if (path === '/certificateArn') d.certificateArn = value;
        else d.regionalCertificateArn = value;
        return;
      case '/certificateName':
        d.certificateName = value;
        return;
      case '/regionalCertificateName':
        d.regionalCertificateName = value;
        return;
      case '/ownershipVerificationCertificateArn':
        d.ownershipVerificationCertificateArn = value;
        return;
      case '/securityPolicy':
        if (!value || !SECURITY_POLICIES.includes(value)) throw badRequest(`Invalid security policy specified: ${value ?? ''}. Valid options are TLS_1_0,TLS_1_2`);
        d.securityPolicy = value as DomainRecord['securityPolicy'];
        return;
      case '/endpointConfiguration/types/0':
      case '/endpointConfiguration/types/EDGE':
      case '/endpointConfiguration/types/REGIONAL':
        if (value !== 'EDGE' && value !== 'REGIONAL') throw badRequest(`Invalid endpoint type specified: ${value ?? ''}`);
        d.endpointType = value;
        return;
      default:
        throw badRequest(
          `Invalid patch path '${path}' specified for op '${op}'. Must be one of: [/certificateName, /certificateArn, /regionalCertificateName, /regionalCertificateArn, /securityPolicy, /endpointConfiguration/types/0, /ownershipVerificationCertificateArn]`,
        );
    }
  }

  deleteDomainName(ctx: RequestContext, input: DeleteDomainNameRequest): Record<string, never> {
    const d = this.domain(ctx, input.domainName, input.domainNameId);
    this.registry.delete(d.name);
    return {};
  }

  // ---- base path mappings ----

  private checkTarget(ctx: RequestContext, restApiId: string | undefined, stage: string | undefined): void {
    const api = this.findApi(ctx, restApiId ?? '');
    if (!api) throw badRequest('Invalid REST API identifier specified');
    if (stage !== undefined && !api.stages.has(stage)) throw badRequest('Invalid stage identifier specified');
  }

  private mapping(d: DomainRecord, basePath: string | undefined): DomainMapping {
    const key = basePathKey(basePath);
    const m = d.mappings.find((x) => x.key === key);
    if (!m) throw DomainErrors.mapping();
    return m;
  }

  createBasePathMapping(ctx: RequestContext, input: CreateBasePathMappingRequest): BasePathMapping {
    const d = this.domain(ctx, input.domainName, input.domainNameId);
    const key = basePathKey(input.basePath);
    if (key !== '' && !BASE_PATH.test(key)) {
      throw badRequest("Base path must contain only letters, numbers, and the characters $-_.+!*'()");
    }
    this.checkTarget(ctx, input.restApiId, input.stage);
    if (d.mappings.some((m) => m.key === key)) throw DomainErrors.basePathExists();
    if (d.mappings.some((m) => m.key === '') || (key === '' && d.mappings.length > 0)) throw DomainErrors.emptyBasePath();
    const m: DomainMapping = { id: newId(6), key, apiId: input.restApiId ?? '', stage: input.stage };
    d.mappings.push(m);
    return mappingOut(m);
  }

  getBasePathMapping(ctx: RequestContext, input: GetBasePathMappingRequest): BasePathMapping {
    return mappingOut(this.mapping(this.domain(ctx, input.domainName, input.domainNameId), input.basePath));
  }

  getBasePathMappings(ctx: RequestContext, input: GetBasePathMappingsRequest): BasePathMappings {
    const d = this.domain(ctx, input.domainName, input.domainNameId);
    return page(d.mappings.map(mappingOut), input.position, input.limit);
  }

  updateBasePathMapping(ctx: RequestContext, input: UpdateBasePathMappingRequest): BasePathMapping {
    const d = this.domain(ctx, input.domainName, input.domainNameId);
    const m = this.mapping(d, input.basePath);
    const next = { ...m };
    for (const p of input.patchOperations ?? []) {
      const op = p.op ?? '';
      if (op !== 'replace') throw badRequest(`Invalid patch operation specified. Must be 'replace' for base path mappings`);
      switch (p.path) {
        case '/basePath':
          next.key = basePathKey(p.value);
          if (next.key !== '' && !BASE_PATH.test(next.key)) {
            throw badRequest("Base path must contain only letters, numbers, and the characters $-_.+!*'()");
          }
          break;
        case '/restapiId':
          next.apiId = p.value ?? '';
          break;
        case '/stage':
          next.stage = p.value;
          break;
        default:
          throw badRequest(`Invalid patch path '${p.path ?? ''}' specified for op '${op}'. Must be one of: [/basePath, /restapiId, /stage]`);
      }
    }
    this.checkTarget(ctx, next.apiId, next.stage);
    if (next.key !== m.key) {
      if (d.mappings.some((x) => x.key === next.key)) throw DomainErrors.basePathExists();
      if (next.key === '' && d.mappings.length > 1) throw DomainErrors.emptyBasePath();
    }
    Object.assign(m, next);
    return mappingOut(m);
  }

  deleteBasePathMapping(ctx: RequestContext, input: DeleteBasePathMappingRequest): Record<string, never> {
    const d = this.domain(ctx, input.domainName, input.domainNameId);
    const m = this.mapping(d, input.basePath);
    d.mappings.splice(d.mappings.indexOf(m), 1);
    return {};
  }
}
