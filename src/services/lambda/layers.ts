// Lambda layers: published versions (from a zip or, for hot reload, a local folder), their listing and policies,
// the validation of a function's Layers, and the folder that plays /opt's role for a function: its layers unpacked
// in order, later ones over earlier ones, as Lambda extracts them.
import { cpSync, mkdtempSync } from 'node:fs';
import type {
  AddLayerVersionPermissionRequest,
  AddLayerVersionPermissionResponse,
  DeleteLayerVersionRequest,
  GetLayerVersionByArnRequest,
  GetLayerVersionPolicyRequest,
  GetLayerVersionPolicyResponse,
  GetLayerVersionRequest,
  GetLayerVersionResponse,
  Layer,
  LayersListItem,
  LayerVersionsListItem,
  ListLayersRequest,
  ListLayersResponse,
  ListLayerVersionsRequest,
  ListLayerVersionsResponse,
  PublishLayerVersionRequest,
  PublishLayerVersionResponse,
  RemoveLayerVersionPermissionRequest,
} from '@aws-sdk/client-lambda';
import { join } from 'node:path';
import { formatArn, parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import { RegionalStores } from '../../core/stores.js';
import { CodeStorage, HOT_RELOAD_BUCKET, type FunctionCode } from './code.js';
import { codeLocation } from './code-download.js';
import { invalidParameter, resourceNotFound, validation } from './errors.js';
import { noPolicy, PolicyDocument, type PolicyStatement } from './permissions.js';
import { DEPRECATED_RUNTIMES, SUPPORTED_RUNTIMES } from './runtimes.js';

/** A function may reference at most five layers. */
export const MAX_FUNCTION_LAYERS = 5;
const LAYER_NAME = /^[a-zA-Z0-9-_]+$/;
const LAYER_ARN = /^arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+)$/;
const LAYER_VERSION_ARN = /^arn:[a-zA-Z0-9-]+:lambda:([a-zA-Z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+):([0-9]+)$/;
const ARCHITECTURES = ['x86_64', 'arm64'];
/** A layer may name any runtime Lambda has known, deprecated ones included. */
const LAYER_RUNTIMES = [...SUPPORTED_RUNTIMES, ...DEPRECATED_RUNTIMES];

interface LayerVersion {
  readonly layerArn: string;
  readonly arn: string;
  readonly version: number;
  readonly description: string;
  readonly createdDate: string;
  readonly compatibleRuntimes: string[] | undefined;
  readonly compatibleArchitectures: string[] | undefined;
  readonly licenseInfo: string | undefined;
  readonly code: FunctionCode;
  readonly policy: PolicyDocument;
}

interface LayerRecord {
  readonly name: string;
  readonly arn: string;
  readonly versions: Map<number, LayerVersion>;
  nextVersion: number;
}

class LayerStore {
  readonly layers = new Map<string, LayerRecord>();
}

const lambdaTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

export class Layers {
  private readonly stores = new RegionalStores<LayerStore>(() => new LayerStore());
  private readonly storage = new CodeStorage();
  /** Every published version's content by ARN, kept after DeleteLayerVersion: functions that use it still run. */
  private readonly contents = new Map<string, FunctionCode>();
  /** The merged /opt folder of each list of layers. */
  private readonly optDirs = new Map<string, string>();
  /** Where the merged folders go: inside the layer storage, so removeAll() deletes them too. */
  private optRoot: string | undefined;

  constructor(
    private readonly clock: { now(): number },
    /** Switchyard's endpoint, for Content.Location. */
    private readonly endpoint: () => string,
  ) {}

  publish(ctx: RequestContext, input: PublishLayerVersionRequest): PublishLayerVersionResponse {
    const { account, region, name } = this.nameOf(ctx, input.LayerName);
    if (account !== ctx.account) {
      throw invalidParameter('Layers can only be published to the caller\u2019s own account.');
    }
    checkRuntimes(input.CompatibleRuntimes, 'compatibleRuntimes');
    checkArchitectures(input.CompatibleArchitectures, 'compatibleArchitectures');
    if (input.Description !== undefined && input.Description.length > 256) {
      throw validation(input.Description, 'description', 'Member must have length less than or equal to 256');
    }
    if (input.LicenseInfo !== undefined && input.LicenseInfo.length > 512) {
      throw validation(input.LicenseInfo, 'licenseInfo', 'Member must have length less than or equal to 512');
    }
    const content = input.Content;
    if (!content) throw validation(undefined, 'content', 'Member must not be null');
    let code: FunctionCode;
    if (content.ZipFile !== undefined) {
      if (content.S3Bucket !== undefined || content.S3Key !== undefined) {
        throw invalidParameter('Please do not provide other LayerVersionContentInput parameters when providing a ZipFile.');
      }
      code = this.storage.unpack(content.ZipFile);
    } else if (content.S3Bucket === HOT_RELOAD_BUCKET) {
      if (!content.S3Key) throw invalidParameter('The hot-reload bucket needs S3Key set to an absolute folder path.');
      code = this.storage.local(content.S3Key);
    } else if (content.S3Bucket !== undefined) {
      throw invalidParameter(
        `Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist (Switchyard reads layer content from ZipFile or from the '${HOT_RELOAD_BUCKET}' bucket)`,
      );
    } else {
      throw invalidParameter('Please provide a source for layer content.');
    }
    const store = this.stores.get(account, region);
    let layer = store.layers.get(name);
    if (!layer) {
      layer = { name, arn: formatArn('lambda', region, account, `layer:${name}`), versions: new Map(), nextVersion: 1 };
      store.layers.set(name, layer);
    }
    const version = layer.nextVersion++;
    const record: LayerVersion = {
      layerArn: layer.arn,
      arn: `${layer.arn}:${version}`,
      version,
      description: input.Description ?? '',
      createdDate: lambdaTime(this.clock.now()),
      compatibleRuntimes: input.CompatibleRuntimes?.length ? [...input.CompatibleRuntimes] : undefined,
      compatibleArchitectures: input.CompatibleArchitectures?.length ? [...input.CompatibleArchitectures] : undefined,
      licenseInfo: input.LicenseInfo,
      code,
      policy: new PolicyDocument(),
    };
    layer.versions.set(version, record);
    this.contents.set(record.arn, code);
    return this.render(record);
  }

  get(ctx: RequestContext, input: GetLayerVersionRequest): GetLayerVersionResponse {
    return this.render(this.find(ctx, input.LayerName, input.VersionNumber));
  }

  getByArn(_ctx: RequestContext, input: GetLayerVersionByArnRequest): GetLayerVersionResponse {
    const arn = input.Arn;
    const m = arn ? LAYER_VERSION_ARN.exec(arn) : null;
    if (!arn || !m) {
      throw validation(
        arn,
        'arn',
        'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)',
      );
    }
    const record = this.lookup(m[2] ?? '', m[1] ?? '', m[3] ?? '', Number(m[4]));
    if (!record) throw notFound();
    return this.render(record);
  }

  list(ctx: RequestContext, input: ListLayersRequest): ListLayersResponse {
    const max = checkMaxItems(input.MaxItems);
    checkRuntimes(input.CompatibleRuntime === undefined ? undefined : [input.CompatibleRuntime], 'compatibleRuntime');
    checkArchitectures(
      input.CompatibleArchitecture === undefined ? undefined : [input.CompatibleArchitecture],
      'compatibleArchitecture',
    );
    const items: LayersListItem[] = [];
    const layers = [...this.stores.get(ctx.account, ctx.region).layers.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const layer of layers) {
      const latest = [...layer.versions.values()]
        .filter((v) => matches(v, input.CompatibleRuntime, input.CompatibleArchitecture))
        .sort((a, b) => b.version - a.version)[0];
      if (latest) items.push({ LayerName: layer.name, LayerArn: layer.arn, LatestMatchingVersion: this.item(latest) });
    }
    const { page, next } = paginate(items, input.Marker, max);
    return { Layers: page, ...(next ? { NextMarker: next } : {}) };
  }

  listVersions(ctx: RequestContext, input: ListLayerVersionsRequest): ListLayerVersionsResponse {
    const max = checkMaxItems(input.MaxItems);
    const { account, region, name } = this.nameOf(ctx, input.LayerName);
    checkRuntimes(input.CompatibleRuntime === undefined ? undefined : [input.CompatibleRuntime], 'compatibleRuntime');
    checkArchitectures(
      input.CompatibleArchitecture === undefined ? undefined : [input.CompatibleArchitecture],
      'compatibleArchitecture',
    );
    const layer = this.stores.get(account, region).layers.get(name);
    const versions = [...(layer?.versions.values() ?? [])]
      .filter((v) => matches(v, input.CompatibleRuntime, input.CompatibleArchitecture))
      .sort((a, b) => b.version - a.version)
      .map((v) => this.item(v));
    const { page, next } = paginate(versions, input.Marker, max);
    return { LayerVersions: page, ...(next ? { NextMarker: next } : {}) };
  }

  delete(ctx: RequestContext, input: DeleteLayerVersionRequest): Record<string, never> {
    const { account, region, name } = this.nameOf(ctx, input.LayerName);
    checkVersionNumber(input.VersionNumber);
    // Deleting is idempotent; the content stays for the functions that use it.
    this.stores.get(account, region).layers.get(name)?.versions.delete(Number(input.VersionNumber));
    return {};
  }

  addPermission(ctx: RequestContext, input: AddLayerVersionPermissionRequest): AddLayerVersionPermissionResponse {
    const record = this.find(ctx, input.LayerName, input.VersionNumber);
    const statement = layerStatement(input, record.arn);
    record.policy.add(statement, input.RevisionId);
    return { Statement: JSON.stringify(statement), RevisionId: record.policy.revisionId };
  }

  removePermission(ctx: RequestContext, input: RemoveLayerVersionPermissionRequest): Record<string, never> {
    const record = this.find(ctx, input.LayerName, input.VersionNumber);
    record.policy.remove(input.StatementId ?? '', input.RevisionId);
    return {};
  }

  getPolicy(ctx: RequestContext, input: GetLayerVersionPolicyRequest): GetLayerVersionPolicyResponse {
    const record = this.find(ctx, input.LayerName, input.VersionNumber);
    if (record.policy.empty) throw noPolicy();
    return { Policy: record.policy.text(), RevisionId: record.policy.revisionId };
  }

  /**
   * A function's Layers as its configuration shows them (Arn and CodeSize), after AWS's checks: at most five,
   * version ARNs, existing, one version per layer, and usable by the function's account.
   */
  resolveFunctionLayers(functionAccount: string, arns: readonly string[] | undefined): Layer[] | undefined {
    if (arns === undefined) return undefined;
    for (const arn of arns) {
      if (typeof arn !== 'string' || arn.length > 140 || !LAYER_VERSION_ARN.test(arn)) {
        throw validation(
          `[${arns.join(', ')}]`,
          'layers',
          'Member must satisfy constraint: [Member must have length less than or equal to 140, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+, Member must not be null]',
        );
      }
    }
    if (arns.length > MAX_FUNCTION_LAYERS) throw invalidParameter('Cannot reference more than 5 layers.');
    const seen = new Map<string, string>();
    const layers: Layer[] = [];
    for (const arn of arns) {
      const m = LAYER_VERSION_ARN.exec(arn);
      const [, region = '', account = '', name = '', version = '0'] = m ?? [];
      const layerArn = arn.slice(0, arn.lastIndexOf(':'));
      const other = seen.get(layerArn);
      if (other !== undefined) {
        throw invalidParameter(
          `Two different versions of the same layer are not allowed to be referenced in the same function. ${other} and ${arn} are versions of the same layer.`,
        );
      }
      seen.set(layerArn, arn);
      const record = this.lookup(account, region, name, Number(version));
      if (!record) throw invalidParameter(`Layer version ${arn} does not exist.`);
      if (account !== functionAccount && !grantsGetLayerVersion(record.policy, functionAccount)) {
        throw new ServiceError(
          'AccessDeniedException',
          `User: arn:aws:iam::${functionAccount}:root is not authorized to perform: lambda:GetLayerVersion on resource: ${arn} because no resource-based policy allows the lambda:GetLayerVersion action`,
          { status: 403, messageMember: 'Message' },
        );
      }
      layers.push({ Arn: arn, CodeSize: record.code.size });
    }
    return layers;
  }

  /**
   * The folder that plays /opt's role for these layers (undefined without layers): made once per list of zip
   * layers; remade for every new set of execution environments when a layer is a hot-reload folder.
   */
  optDir(arns: readonly string[]): string | undefined {
    if (arns.length === 0) return undefined;
    const key = arns.join('\n');
    const codes = arns.map((a) => this.contents.get(a)).filter((c): c is FunctionCode => c !== undefined);
    const live = codes.some((c) => c.local);
    const cached = this.optDirs.get(key);
    if (cached && !live) return cached;
    this.optRoot ??= this.storage.runtimeDir();
    const dir = mkdtempSync(join(this.optRoot, 'opt-'));
    for (const code of codes) cpSync(code.dir, dir, { recursive: true, force: true });
    this.optDirs.set(key, dir);
    return dir;
  }

  /** Deletes every layer's content (stop and reset). */
  removeAll(): void {
    this.storage.removeAll();
    this.contents.clear();
    this.optDirs.clear();
    this.optRoot = undefined;
  }

  reset(): void {
    this.removeAll();
    this.stores.clear();
  }

  /** A layer version's content, for downloads; undefined once deleted. */
  code(account: string, region: string, name: string, version: number): FunctionCode | undefined {
    return this.lookup(account, region, name, version)?.code;
  }

  private lookup(account: string, region: string, name: string, version: number): LayerVersion | undefined {
    return this.stores.peek(account, region)?.layers.get(name)?.versions.get(version);
  }

  private find(ctx: RequestContext, layerName: string | undefined, versionNumber: number | undefined): LayerVersion {
    const { account, region, name } = this.nameOf(ctx, layerName);
    checkVersionNumber(versionNumber);
    const record = this.lookup(account, region, name, Number(versionNumber));
    if (!record) throw notFound();
    return record;
  }

  private nameOf(ctx: RequestContext, value: string | undefined): { account: string; region: string; name: string } {
    if (!value) throw validation(value, 'layerName', 'Member must not be null');
    if (value.length > 140) throw validation(value, 'layerName', 'Member must have length less than or equal to 140');
    const m = LAYER_ARN.exec(value);
    if (m) return { region: m[1] ?? '', account: m[2] ?? '', name: m[3] ?? '' };
    if (LAYER_NAME.test(value)) return { account: ctx.account, region: ctx.region, name: value };
    throw validation(
      value,
      'layerName',
      'Member must satisfy regular expression pattern: (arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+',
    );
  }

  private render(v: LayerVersion): PublishLayerVersionResponse {
    return {
      Content: {
        Location: codeLocation(this.endpoint(), {
          kind: 'layers',
          account: parseArn(v.arn)?.account ?? '',
          region: parseArn(v.arn)?.region ?? '',
          name: v.layerArn.slice(v.layerArn.lastIndexOf(':') + 1),
          version: String(v.version),
        }),
        CodeSha256: v.code.sha256,
        CodeSize: v.code.size,
      },
      LayerArn: v.layerArn,
      LayerVersionArn: v.arn,
      Description: v.description,
      CreatedDate: v.createdDate,
      Version: v.version,
      ...(v.compatibleRuntimes ? { CompatibleRuntimes: v.compatibleRuntimes } : {}),
      ...(v.licenseInfo !== undefined ? { LicenseInfo: v.licenseInfo } : {}),
      ...(v.compatibleArchitectures ? { CompatibleArchitectures: v.compatibleArchitectures } : {}),
    } as PublishLayerVersionResponse;
  }

  private item(v: LayerVersion): LayerVersionsListItem {
    return {
      LayerVersionArn: v.arn,
      Version: v.version,
      Description: v.description,
      CreatedDate: v.createdDate,
      ...(v.compatibleRuntimes ? { CompatibleRuntimes: v.compatibleRuntimes } : {}),
      ...(v.licenseInfo !== undefined ? { LicenseInfo: v.licenseInfo } : {}),
      ...(v.compatibleArchitectures ? { CompatibleArchitectures: v.compatibleArchitectures } : {}),
    } as LayerVersionsListItem;
  }
}

const notFound = (): ServiceError => resourceNotFound('The resource you requested does not exist.');

function matches(v: LayerVersion, runtime: string | undefined, architecture: string | undefined): boolean {
  if (runtime !== undefined && !(v.compatibleRuntimes ?? []).includes(runtime)) return false;
  if (architecture !== undefined && !(v.compatibleArchitectures ?? []).includes(architecture)) return false;
  return true;
}

function checkRuntimes(runtimes: readonly string[] | undefined, member: string): void {
  if (runtimes === undefined) return;
  if (runtimes.length > 15) throw validation(`[${runtimes.join(', ')}]`, member, 'Member must have length less than or equal to 15');
  for (const r of runtimes) {
    if (!LAYER_RUNTIMES.includes(r)) {
      throw validation(
        member === 'compatibleRuntime' ? r : `[${runtimes.join(', ')}]`,
        member,
        `Member must satisfy enum value set: [${LAYER_RUNTIMES.join(', ')}]`,
      );
    }
  }
}

function checkArchitectures(architectures: readonly string[] | undefined, member: string): void {
  if (architectures === undefined) return;
  if (architectures.length > 2) {
    throw validation(`[${architectures.join(', ')}]`, member, 'Member must have length less than or equal to 2');
  }
  for (const a of architectures) {
    if (!ARCHITECTURES.includes(a)) {
      throw validation(
        member === 'compatibleArchitecture' ? a : `[${architectures.join(', ')}]`,
        member,
        'Member must satisfy enum value set: [x86_64, arm64]',
      );
    }
  }
}

function checkVersionNumber(n: number | undefined): void {
  if (n === undefined || n === null || !Number.isInteger(Number(n))) {
    throw validation(n, 'versionNumber', 'Member must not be null');
  }
}

function checkMaxItems(max: number | undefined): number {
  const n = max ?? 50;
  if (!Number.isInteger(n) || n < 1) throw validation(n, 'maxItems', 'Member must have value greater than or equal to 1');
  if (n > 50) throw validation(n, 'maxItems', 'Member must have value less than or equal to 50');
  return n;
}

function paginate<T>(all: readonly T[], marker: string | undefined, max: number): { page: T[]; next?: string } {
  let start = 0;
  if (marker) {
    const n = Number(Buffer.from(marker, 'base64').toString('utf8'));
    if (!Number.isInteger(n) || n < 0) throw invalidParameter('Invalid Marker.');
    start = n;
  }
  const page = all.slice(start, start + max);
  const end = start + page.length;
  return end < all.length ? { page, next: Buffer.from(String(end)).toString('base64') } : { page };
}

/** AddLayerVersionPermission's statement: lambda:GetLayerVersion for an account, `*`, or an organization. */
function layerStatement(input: AddLayerVersionPermissionRequest, resource: string): PolicyStatement {
  const sid = input.StatementId;
  if (!sid) throw validation(sid, 'statementId', 'Member must not be null');
  if (sid.length > 100 || !/^[a-zA-Z0-9-_]+$/.test(sid)) {
    throw validation(sid, 'statementId', 'Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)');
  }
  if (input.Action !== 'lambda:GetLayerVersion') {
    throw validation(input.Action, 'action', 'Member must satisfy regular expression pattern: lambda:GetLayerVersion');
  }
  const principal = input.Principal ?? '';
  if (!/^(\d{12}|\*|arn:(aws[a-zA-Z-]*):iam::\d{12}:root)$/.test(principal)) {
    throw validation(
      input.Principal,
      'principal',
      'Member must satisfy regular expression pattern: \\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root',
    );
  }
  const org = input.OrganizationId;
  if (org !== undefined && !/^o-[a-z0-9]{10,32}$/.test(org)) {
    throw validation(org, 'organizationId', 'Member must satisfy regular expression pattern: o-[a-z0-9]{10,32}');
  }
  if (org !== undefined && principal !== '*') {
    throw invalidParameter('OrganizationId can only be specified when Principal is "*".');
  }
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: principal === '*' ? '*' : { AWS: /^\d{12}$/.test(principal) ? `arn:aws:iam::${principal}:root` : principal },
    Action: 'lambda:GetLayerVersion',
    Resource: resource,
    ...(org !== undefined ? { Condition: { StringEquals: { 'aws:PrincipalOrgID': org } } } : {}),
  };
}

/** Whether a layer version's policy lets this account use it (organizations are not modelled: they never match). */
function grantsGetLayerVersion(policy: PolicyDocument, account: string): boolean {
  return policy.statements.some((s) => {
    if (s.Condition) return false;
    if (s.Principal === '*') return true;
    return typeof s.Principal !== 'string' && s.Principal.AWS?.split(':')[4] === account;
  });
}
