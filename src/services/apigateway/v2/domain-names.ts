// API Gateway v2's custom domain names and API mappings (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/domainnames.html).
// The domains themselves live in the REST provider's registry: AWS shares one namespace between REST and v2.
import type {
  ApiMapping,
  CreateApiMappingRequest,
  CreateDomainNameRequest,
  DeleteApiMappingRequest,
  DeleteDomainNameRequest,
  DomainName,
  DomainNameConfiguration,
  GetApiMappingRequest,
  GetApiMappingsRequest,
  GetDomainNameRequest,
  GetDomainNamesRequest,
  UpdateApiMappingRequest,
  UpdateDomainNameRequest,
} from '@aws-sdk/client-apigatewayv2';
import type { RequestContext } from '../../../core/context.js';
import type { ServiceHost } from '../../../core/provider.js';
import { CERTIFICATE_ARN, isDomainName, regionalZone, type DomainMapping, type DomainRecord, type DomainRegistry } from '../domains.js';
import type { ApiGatewayInternal } from '../provider.js';
import { newId } from '../store.js';
import { page, type Page, type ControlPlane } from './control-plane.js';
import { V2Errors } from './errors.js';

const SEGMENT = /^[A-Za-z0-9$\-_.+!*'()]+$/;
const SECURITY_POLICIES = ['TLS_1_0', 'TLS_1_2'];

function domainOut(d: DomainRecord): DomainName {
  const config: DomainNameConfiguration = {
    DomainNameStatus: 'AVAILABLE',
    EndpointType: d.endpointType,
    SecurityPolicy: d.securityPolicy,
  };
  if (d.endpointType === 'REGIONAL') {
    config.ApiGatewayDomainName = d.regionalDomainName;
    const zone = regionalZone(d.region);
    if (zone) config.HostedZoneId = zone;
    if (d.regionalCertificateArn) config.CertificateArn = d.regionalCertificateArn;
    if (d.regionalCertificateName) config.CertificateName = d.regionalCertificateName;
  } else {
    config.ApiGatewayDomainName = d.distributionDomainName;
    config.HostedZoneId = 'Z2FDTNDATAQYW2';
    if (d.certificateArn) config.CertificateArn = d.certificateArn;
    if (d.certificateName) config.CertificateName = d.certificateName;
  }
  config.CertificateUploadDate = new Date(d.createdAt);
  if (d.ownershipVerificationCertificateArn) config.OwnershipVerificationCertificateArn = d.ownershipVerificationCertificateArn;
  return {
    DomainName: d.name,
    DomainNameArn: `arn:aws:apigateway:${d.region}::/domainnames/${d.name}`,
    ApiMappingSelectionExpression: '$request.basepath',
    DomainNameConfigurations: [config],
    RoutingMode: 'API_MAPPING_ONLY',
    Tags: { ...d.tags },
  };
}

const mappingOut = (m: DomainMapping): ApiMapping => ({
  ApiId: m.apiId,
  ApiMappingId: m.id,
  ApiMappingKey: m.key,
  Stage: m.stage ?? '',
});

/** A mapping key is one or more base path segments: `orders` or `v1/orders`. */
function checkKey(key: string): void {
  if (key === '') return;
  if (key.split('/').some((s) => !SEGMENT.test(s))) {
    throw V2Errors.badRequest(`Invalid ApiMappingKey specified: ${key}. An ApiMappingKey is one or more path segments of letters, numbers and $-_.+!*'() separated by '/'`);
  }
}

/** Reads a DomainNameConfigurations entry into the domain's fields (one configuration, as AWS allows). */
function configure(d: Pick<DomainRecord, 'endpointType' | 'certificateArn' | 'certificateName' | 'regionalCertificateArn' | 'regionalCertificateName' | 'securityPolicy' | 'ownershipVerificationCertificateArn'>, configs: DomainNameConfiguration[] | undefined): void {
  if (!configs) return;
  if (configs.length !== 1) throw V2Errors.badRequest('DomainNameConfigurations must hold exactly one configuration');
  const c = configs[0] ?? {};
  const type = c.EndpointType ?? 'REGIONAL';
  if (type !== 'REGIONAL' && type !== 'EDGE') throw V2Errors.badRequest(`Invalid EndpointType specified: ${String(type)}`);
  if (c.CertificateArn === undefined) throw V2Errors.badRequest('A certificate ARN is required: DomainNameConfigurations[0].CertificateArn');
  if (!CERTIFICATE_ARN.test(c.CertificateArn)) throw V2Errors.badRequest(`Invalid certificate ARN specified: ${c.CertificateArn}`);
  const policy = c.SecurityPolicy ?? 'TLS_1_2';
  if (!SECURITY_POLICIES.includes(policy)) throw V2Errors.badRequest(`Invalid SecurityPolicy specified: ${policy}. Valid options are TLS_1_0,TLS_1_2`);
  if (c.IpAddressType !== undefined && c.IpAddressType !== 'ipv4') throw V2Errors.badRequest('Switchyard serves custom domain names over ipv4 only');
  d.endpointType = type;
  d.securityPolicy = policy;
  d.ownershipVerificationCertificateArn = c.OwnershipVerificationCertificateArn;
  if (type === 'REGIONAL') {
    d.regionalCertificateArn = c.CertificateArn;
    d.regionalCertificateName = c.CertificateName;
  } else {
    d.certificateArn = c.CertificateArn;
    d.certificateName = c.CertificateName;
  }
}

export class V2DomainNames {
  constructor(
    private readonly host: ServiceHost,
    private readonly control: ControlPlane,
  ) {}

  private async shared(): Promise<ApiGatewayInternal> {
    const rest = await this.host.provider('apigateway');
    if (!rest?.internal) throw new Error('the apigateway provider is not available');
    return rest.internal as ApiGatewayInternal;
  }

  private async domain(ctx: RequestContext, name: string | undefined): Promise<{ d: DomainRecord; registry: DomainRegistry; shared: ApiGatewayInternal }> {
    const shared = await this.shared();
    const d = shared.domains.owned(ctx.account, ctx.region, name);
    if (!d) throw V2Errors.notFound(`Invalid domain name identifier specified: ${name ?? ''}`, 'DomainName');
    return { d, registry: shared.domains, shared };
  }

  async createDomainName(ctx: RequestContext, input: CreateDomainNameRequest): Promise<DomainName> {
    const name = (input.DomainName ?? '').toLowerCase();
    if (!name || !isDomainName(name)) throw V2Errors.badRequest(`Invalid domain name specified: ${input.DomainName ?? ''}`);
    if (input.MutualTlsAuthentication) throw V2Errors.badRequest('Switchyard does not implement mutual TLS authentication');
    if (input.RoutingMode !== undefined && input.RoutingMode !== 'API_MAPPING_ONLY') {
      throw V2Errors.badRequest('Switchyard does not implement routing rules: RoutingMode must be API_MAPPING_ONLY');
    }
    if (!input.DomainNameConfigurations?.length) throw V2Errors.badRequest('DomainNameConfigurations is required');
    const fields: Parameters<typeof configure>[0] = {
      endpointType: 'REGIONAL',
      certificateArn: undefined,
      certificateName: undefined,
      regionalCertificateArn: undefined,
      regionalCertificateName: undefined,
      securityPolicy: 'TLS_1_2',
      ownershipVerificationCertificateArn: undefined,
    };
    configure(fields, input.DomainNameConfigurations);
    const { domains } = await this.shared();
    if (domains.has(name)) throw V2Errors.conflict('The domain name you provided already exists.');
    const d = domains.add({ name, account: ctx.account, region: ctx.region, createdAt: ctx.clock.now(), tags: { ...input.Tags }, ...fields });
    return domainOut(d);
  }

  async getDomainName(ctx: RequestContext, input: GetDomainNameRequest): Promise<DomainName> {
    return domainOut((await this.domain(ctx, input.DomainName)).d);
  }

  async getDomainNames(ctx: RequestContext, input: GetDomainNamesRequest): Promise<Page<DomainName>> {
    const { domains } = await this.shared();
    return page(domains.list(ctx.account, ctx.region).map(domainOut), input.MaxResults, input.NextToken);
  }

  async updateDomainName(ctx: RequestContext, input: UpdateDomainNameRequest): Promise<DomainName> {
    const { d } = await this.domain(ctx, input.DomainName);
    if (input.MutualTlsAuthentication) throw V2Errors.badRequest('Switchyard does not implement mutual TLS authentication');
    if (input.RoutingMode !== undefined && input.RoutingMode !== 'API_MAPPING_ONLY') {
      throw V2Errors.badRequest('Switchyard does not implement routing rules: RoutingMode must be API_MAPPING_ONLY');
    }
    const next = { ...d };
    configure(next, input.DomainNameConfigurations);
    Object.assign(d, next);
    return domainOut(d);
  }

  async deleteDomainName(ctx: RequestContext, input: DeleteDomainNameRequest): Promise<void> {
    const { d, registry } = await this.domain(ctx, input.DomainName);
    registry.delete(d.name);
  }

  // ---- API mappings ----

  /** The API and stage a mapping names: an HTTP API of this account and region, or a REST API (AWS allows both). */
  private checkTarget(ctx: RequestContext, shared: ApiGatewayInternal, apiId: string | undefined, stage: string | undefined): void {
    if (!apiId) throw V2Errors.badRequest('ApiId is required');
    if (!stage) throw V2Errors.badRequest('Stage is required');
    const v2 = this.control.stores.peek(ctx.account, ctx.region)?.apis.get(apiId);
    if (v2) {
      if (v2.api.ProtocolType === 'WEBSOCKET') throw V2Errors.badRequest('Switchyard does not serve WebSocket APIs on custom domain names');
      if (!v2.stages.has(stage)) throw V2Errors.badRequest(`Invalid stage identifier specified: ${stage}`);
      return;
    }
    const restStages = shared.restApiStages(ctx.account, ctx.region, apiId);
    if (!restStages) throw V2Errors.apiNotFound(ctx.account, apiId);
    if (!restStages.has(stage)) throw V2Errors.badRequest(`Invalid stage identifier specified: ${stage}`);
  }

  private mapping(d: DomainRecord, id: string | undefined): DomainMapping {
    const m = d.mappings.find((x) => x.id === id);
    if (!m) throw V2Errors.notFound(`Invalid ApiMapping identifier specified ${id ?? ''}`, 'ApiMapping');
    return m;
  }

  async createApiMapping(ctx: RequestContext, input: CreateApiMappingRequest): Promise<ApiMapping> {
    const { d, shared } = await this.domain(ctx, input.DomainName);
    const key = input.ApiMappingKey ?? '';
    checkKey(key);
    this.checkTarget(ctx, shared, input.ApiId, input.Stage);
    if (d.mappings.some((m) => m.key === key)) throw V2Errors.conflict('ApiMapping key already exists for this domain name');
    const m: DomainMapping = { id: newId(6), key, apiId: input.ApiId ?? '', stage: input.Stage };
    d.mappings.push(m);
    return mappingOut(m);
  }

  async getApiMapping(ctx: RequestContext, input: GetApiMappingRequest): Promise<ApiMapping> {
    const { d } = await this.domain(ctx, input.DomainName);
    return mappingOut(this.mapping(d, input.ApiMappingId));
  }

  async getApiMappings(ctx: RequestContext, input: GetApiMappingsRequest): Promise<Page<ApiMapping>> {
    const { d } = await this.domain(ctx, input.DomainName);
    return page(d.mappings.map(mappingOut), input.MaxResults, input.NextToken);
  }

  async updateApiMapping(ctx: RequestContext, input: UpdateApiMappingRequest): Promise<ApiMapping> {
    const { d, shared } = await this.domain(ctx, input.DomainName);
    const m = this.mapping(d, input.ApiMappingId);
    const key = input.ApiMappingKey ?? m.key;
    checkKey(key);
    const apiId = input.ApiId ?? m.apiId;
    const stage = input.Stage ?? m.stage;
    this.checkTarget(ctx, shared, apiId, stage);
    if (key !== m.key && d.mappings.some((x) => x.key === key)) throw V2Errors.conflict('ApiMapping key already exists for this domain name');
    Object.assign(m, { key, apiId, stage });
    return mappingOut(m);
  }

  async deleteApiMapping(ctx: RequestContext, input: DeleteApiMappingRequest): Promise<void> {
    const { d } = await this.domain(ctx, input.DomainName);
    const m = this.mapping(d, input.ApiMappingId);
    d.mappings.splice(d.mappings.indexOf(m), 1);
  }
}
