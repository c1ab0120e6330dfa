// Mobile push and SMS: platform applications and their endpoints, SMS settings and sandbox numbers, and Publish to
// an endpoint or a phone number. Nothing leaves the machine: every message lands in the outbox.
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  CheckIfPhoneNumberIsOptedOutInput,
  CheckIfPhoneNumberIsOptedOutResponse,
  CreateEndpointResponse,
  CreatePlatformApplicationInput,
  CreatePlatformApplicationResponse,
  CreatePlatformEndpointInput,
  CreateSMSSandboxPhoneNumberInput,
  CreateSMSSandboxPhoneNumberResult,
  DeleteEndpointInput,
  DeletePlatformApplicationInput,
  DeleteSMSSandboxPhoneNumberInput,
  DeleteSMSSandboxPhoneNumberResult,
  GetEndpointAttributesInput,
  GetEndpointAttributesResponse,
  GetPlatformApplicationAttributesInput,
  GetPlatformApplicationAttributesResponse,
  GetSMSAttributesInput,
  GetSMSAttributesResponse,
  GetSMSSandboxAccountStatusResult,
  ListEndpointsByPlatformApplicationInput,
  ListEndpointsByPlatformApplicationResponse,
  ListOriginationNumbersResult,
  ListPhoneNumbersOptedOutInput,
  ListPhoneNumbersOptedOutResponse,
  ListPlatformApplicationsInput,
  ListPlatformApplicationsResponse,
  ListSMSSandboxPhoneNumbersInput,
  ListSMSSandboxPhoneNumbersResult,
  OptInPhoneNumberInput,
  OptInPhoneNumberResponse,
  SetEndpointAttributesInput,
  SetPlatformApplicationAttributesInput,
  SetSMSAttributesInput,
  VerifySMSSandboxPhoneNumberInput,
  VerifySMSSandboxPhoneNumberResult,
} from '@aws-sdk/client-sns';
import { formatArn, parseArn } from '../../core/arn.js';
import type { Clock } from '../../core/clock.js';
import type { RequestContext } from '../../core/context.js';
import { ServiceError } from '../../core/errors.js';
import type { OperationHandler } from '../../core/provider.js';
import type { RegionalStores } from '../../core/stores.js';
import type { Outbox, SmsDetails } from './delivery.js';
import { envelopeAttributes, snsTimestamp, type PublishedAttribute } from './envelope.js';
import { SnsErrors } from './errors.js';
import { messageFor, SENDER_ID, SMS_TYPES, type ValidMessage } from './messages.js';
import { page } from './paging.js';
import type { PlatformApplication, PlatformEndpoint, SnsStore } from './store.js';

/** E.164: a plus, then up to 15 digits. */
export const PHONE_NUMBER = /^\+?[1-9]\d{1,14}$/;
const PLATFORMS = new Set(['ADM', 'APNS', 'APNS_SANDBOX', 'APNS_VOIP', 'APNS_VOIP_SANDBOX', 'MACOS', 'MACOS_SANDBOX', 'GCM', 'BAIDU', 'MPNS', 'WNS']);

/** The account-level SMS settings SetSMSAttributes takes. */
const SMS_ATTRIBUTES = new Set([
  'MonthlySpendLimit',
  'DeliveryStatusIAMRole',
  'DeliveryStatusSuccessSamplingRate',
  'DefaultSenderID',
  'DefaultSMSType',
  'UsageReportS3Bucket',
]);

/** A phone number as written in a subscription (`+1 (555) 555-0100`), in E.164. */
export function e164(phone: string): string {
  return phone.replace(/[\s().-]/g, '');
}

/** How one SMS would be sent: the message's own settings, else the account's defaults. */
export function smsDetails(
  accountAttributes: Readonly<Record<string, string>>,
  attrs: Readonly<Record<string, PublishedAttribute>>,
): SmsDetails {
  const own = (name: string): string | undefined => attrs[name]?.StringValue;
  const senderId = own('AWS.SNS.SMS.SenderID') ?? accountAttributes.DefaultSenderID;
  const originationNumber = own('AWS.MM.SMS.OriginationNumber');
  const maxPrice = own('AWS.SNS.SMS.MaxPrice');
  return {
    type: own('AWS.SNS.SMS.SMSType') ?? accountAttributes.DefaultSMSType ?? 'Promotional',
    ...(senderId !== undefined ? { senderId } : {}),
    ...(originationNumber !== undefined ? { originationNumber } : {}),
    ...(maxPrice !== undefined ? { maxPrice } : {}),
  };
}

export interface MobileDeps {
  readonly stores: RegionalStores<SnsStore>;
  readonly outbox: Outbox;
  readonly clock: Clock;
}

export interface Mobile {
  /** Publish with a TargetArn naming a platform endpoint; answers the MessageId. */
  publishToEndpoint(arn: string, m: ValidMessage): string;
  /** Publish with a PhoneNumber; answers the MessageId. */
  publishToPhone(ctx: RequestContext, phone: string, m: ValidMessage): string;
  /** A recipient replies STOP: this account's SMS no longer reach the number, until OptInPhoneNumber. */
  optOut(account: string, region: string, phone: string): void;
  readonly operations: Readonly<Record<string, OperationHandler>>;
}

export function createMobile({ stores, outbox, clock }: MobileDeps): Mobile {
  const storeOfArn = (arn: string): SnsStore | undefined => {
    const a = parseArn(arn);
    return a && a.service === 'sns' ? stores.peek(a.account, a.region) : undefined;
  };

  const requireApplication = (arn: string | undefined): PlatformApplication => {
    if (!arn) throw SnsErrors.invalidParameter('PlatformApplicationArn');
    const app = storeOfArn(arn)?.applications.get(arn);
    if (!app) throw SnsErrors.platformApplicationNotFound();
    return app;
  };
  const requireEndpoint = (arn: string | undefined): { store: SnsStore; endpoint: PlatformEndpoint } => {
    if (!arn) throw SnsErrors.invalidParameter('EndpointArn');
    const store = storeOfArn(arn);
    const endpoint = store?.endpoints.get(arn);
    if (!store || !endpoint) throw SnsErrors.endpointNotFound();
    return { store, endpoint };
  };

  const publishToEndpoint = (arn: string, m: ValidMessage): string => {
    const { endpoint } = requireEndpoint(arn);
    if (endpoint.attributes.Enabled === 'false') throw SnsErrors.endpointDisabled();
    const platform = parseArn(arn)?.resource.split('/')[1] ?? 'default';
    const messageId = randomUUID();
    const a = parseArn(arn);
    outbox.add({
      protocol: 'application',
      endpoint: arn,
      type: 'Notification',
      messageId,
      ...(m.subject !== undefined ? { subject: m.subject } : {}),
      message: messageFor(m, platform),
      ...(Object.keys(m.attributes).length > 0 ? { messageAttributes: envelopeAttributes(m.attributes) } : {}),
      timestamp: snsTimestamp(clock.now()),
      account: a?.account ?? '',
      region: a?.region ?? '',
    });
    return messageId;
  };

  const publishToPhone = (ctx: RequestContext, phone: string, m: ValidMessage): string => {
    if (!PHONE_NUMBER.test(phone)) throw SnsErrors.invalidParameter(`PhoneNumber Reason: ${phone} is not valid to publish to`);
    if (Buffer.byteLength(m.message, 'utf8') > 1600) throw SnsErrors.invalidParameter('Message too long');
    const messageId = randomUUID();
    const store = stores.get(ctx.account, ctx.region);
    // As on AWS, Publish succeeds; an opted-out number just does not get the message.
    if (store.optedOut.has(e164(phone))) return messageId;
    outbox.add({
      protocol: 'sms',
      endpoint: phone,
      type: 'Notification',
      messageId,
      message: m.message,
      ...(Object.keys(m.attributes).length > 0 ? { messageAttributes: envelopeAttributes(m.attributes) } : {}),
      sms: smsDetails(store.smsAttributes, m.attributes),
      timestamp: snsTimestamp(clock.now()),
      account: ctx.account,
      region: ctx.region,
    });
    return messageId;
  };

  const operations = {
    CreatePlatformApplication: (ctx: RequestContext, input: CreatePlatformApplicationInput): CreatePlatformApplicationResponse => {
      const name = input.Name ?? '';
      if (!/^[A-Za-z0-9_.-]{1,256}$/.test(name)) throw SnsErrors.invalidParameter('Name');
      const platform = input.Platform ?? '';
      if (!PLATFORMS.has(platform)) throw SnsErrors.invalidParameter('Platform Reason: Platform is not supported');
      const store = stores.get(ctx.account, ctx.region);
      const arn = formatArn('sns', ctx.region, ctx.account, `app/${platform}/${name}`);
      const existing = store.applications.get(arn);
      const attributes = { ...(existing?.attributes ?? {}), ...(input.Attributes ?? {}) };
      delete attributes.PlatformCredential;
      delete attributes.PlatformPrincipal;
      store.applications.set(arn, { arn, name, platform, attributes: { Enabled: 'true', ...attributes } });
      return { PlatformApplicationArn: arn };
    },

    GetPlatformApplicationAttributes: (_ctx: RequestContext, input: GetPlatformApplicationAttributesInput): GetPlatformApplicationAttributesResponse => ({
      Attributes: { ...requireApplication(input.PlatformApplicationArn).attributes },
    }),

    SetPlatformApplicationAttributes: (_ctx: RequestContext, input: SetPlatformApplicationAttributesInput): void => {
      const app = requireApplication(input.PlatformApplicationArn);
      for (const [k, v] of Object.entries(input.Attributes ?? {})) {
        if (k !== 'PlatformCredential' && k !== 'PlatformPrincipal') app.attributes[k] = v;
      }
    },

    ListPlatformApplications: (ctx: RequestContext, input: ListPlatformApplicationsInput): ListPlatformApplicationsResponse => {
      const apps = [...(stores.peek(ctx.account, ctx.region)?.applications.values() ?? [])];
      const p = page(apps, input.NextToken);
      return {
        PlatformApplications: p.items.map((a) => ({ PlatformApplicationArn: a.arn, Attributes: { ...a.attributes } })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },

    DeletePlatformApplication: (_ctx: RequestContext, input: DeletePlatformApplicationInput): void => {
      const arn = input.PlatformApplicationArn ?? '';
      const store = storeOfArn(arn);
      if (!store) return;
      store.applications.delete(arn);
      for (const [k, e] of store.endpoints) if (e.applicationArn === arn) store.endpoints.delete(k);
    },

    CreatePlatformEndpoint: (_ctx: RequestContext, input: CreatePlatformEndpointInput): CreateEndpointResponse => {
      const app = requireApplication(input.PlatformApplicationArn);
      const token = input.Token ?? '';
      if (token === '') throw SnsErrors.invalidParameter('Token Reason: cannot be empty');
      const store = storeOfArn(app.arn);
      if (!store) throw SnsErrors.platformApplicationNotFound();
      const attributes: Record<string, string> = {
        Enabled: 'true',
        Token: token,
        ...(input.CustomUserData !== undefined ? { CustomUserData: input.CustomUserData } : {}),
        ...(input.Attributes ?? {}),
      };
      for (const e of store.endpoints.values()) {
        if (e.applicationArn !== app.arn || e.attributes.Token !== token) continue;
        const same = Object.entries(attributes).every(([k, v]) => e.attributes[k] === v);
        if (!same) {
          throw SnsErrors.invalidParameter(
            `Token Reason: Endpoint ${e.arn} already exists with the same Token, but different attributes.`,
          );
        }
        return { EndpointArn: e.arn };
      }
      const a = parseArn(app.arn);
      const arn = formatArn('sns', a?.region ?? '', a?.account ?? '', `endpoint/${app.platform}/${app.name}/${randomUUID()}`);
      store.endpoints.set(arn, { arn, applicationArn: app.arn, attributes });
      return { EndpointArn: arn };
    },

    GetEndpointAttributes: (_ctx: RequestContext, input: GetEndpointAttributesInput): GetEndpointAttributesResponse => ({
      Attributes: { ...requireEndpoint(input.EndpointArn).endpoint.attributes },
    }),

    SetEndpointAttributes: (_ctx: RequestContext, input: SetEndpointAttributesInput): void => {
      const { endpoint } = requireEndpoint(input.EndpointArn);
      Object.assign(endpoint.attributes, input.Attributes ?? {});
    },

    DeleteEndpoint: (_ctx: RequestContext, input: DeleteEndpointInput): void => {
      const arn = input.EndpointArn ?? '';
      storeOfArn(arn)?.endpoints.delete(arn);
    },

    ListEndpointsByPlatformApplication: (_ctx: RequestContext, input: ListEndpointsByPlatformApplicationInput): ListEndpointsByPlatformApplicationResponse => {
      const app = requireApplication(input.PlatformApplicationArn);
      const endpoints = [...(storeOfArn(app.arn)?.endpoints.values() ?? [])].filter((e) => e.applicationArn === app.arn);
      const p = page(endpoints, input.NextToken);
      return {
        Endpoints: p.items.map((e) => ({ EndpointArn: e.arn, Attributes: { ...e.attributes } })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },

    // ---- SMS settings ----

    SetSMSAttributes: (ctx: RequestContext, input: SetSMSAttributesInput): void => {
      const attributes = input.attributes ?? {};
      for (const [k, v] of Object.entries(attributes)) checkSmsAttribute(k, v);
      const stored = stores.get(ctx.account, ctx.region).smsAttributes;
      for (const [k, v] of Object.entries(attributes)) {
        if (v === '') delete stored[k];
        else stored[k] = v;
      }
    },

    GetSMSAttributes: (ctx: RequestContext, input: GetSMSAttributesInput): GetSMSAttributesResponse => {
      const all = stores.get(ctx.account, ctx.region).smsAttributes;
      const names = input.attributes && input.attributes.length > 0 ? input.attributes : Object.keys(all);
      const out: Record<string, string> = {};
      for (const n of names) if (all[n] !== undefined) out[n] = all[n];
      return { attributes: out };
    },

    CheckIfPhoneNumberIsOptedOut: (ctx: RequestContext, input: CheckIfPhoneNumberIsOptedOutInput): CheckIfPhoneNumberIsOptedOutResponse => {
      if (!input.phoneNumber || !PHONE_NUMBER.test(input.phoneNumber)) throw SnsErrors.invalidParameter('PhoneNumber');
      return { isOptedOut: stores.peek(ctx.account, ctx.region)?.optedOut.has(input.phoneNumber) ?? false };
    },

    GetSMSSandboxAccountStatus: (): GetSMSSandboxAccountStatusResult => ({ IsInSandbox: false }),

    OptInPhoneNumber: (ctx: RequestContext, input: OptInPhoneNumberInput): OptInPhoneNumberResponse => {
      if (!input.phoneNumber || !PHONE_NUMBER.test(input.phoneNumber)) throw SnsErrors.invalidParameter('PhoneNumber');
      stores.peek(ctx.account, ctx.region)?.optedOut.delete(input.phoneNumber);
      return {};
    },

    ListPhoneNumbersOptedOut: (ctx: RequestContext, input: ListPhoneNumbersOptedOutInput): ListPhoneNumbersOptedOutResponse => {
      const p = page([...(stores.peek(ctx.account, ctx.region)?.optedOut ?? [])], input.nextToken);
      return { phoneNumbers: p.items, ...(p.next ? { nextToken: p.next } : {}) };
    },

    ListOriginationNumbers: (): ListOriginationNumbersResult => ({ PhoneNumbers: [] }),

    CreateSMSSandboxPhoneNumber: (ctx: RequestContext, input: CreateSMSSandboxPhoneNumberInput): CreateSMSSandboxPhoneNumberResult => {
      const phone = input.PhoneNumber ?? '';
      if (!PHONE_NUMBER.test(phone)) throw SnsErrors.invalidParameter('PhoneNumber');
      const otp = String(100_000 + (randomBytes(4).readUInt32BE(0) % 900_000));
      stores.get(ctx.account, ctx.region).sandboxNumbers.set(phone, { status: 'Pending', otp });
      outbox.add({
        protocol: 'sms',
        endpoint: phone,
        type: 'Notification',
        messageId: randomUUID(),
        message: `Your verification code is ${otp}`,
        timestamp: snsTimestamp(clock.now()),
        account: ctx.account,
        region: ctx.region,
      });
      return {};
    },

    VerifySMSSandboxPhoneNumber: (ctx: RequestContext, input: VerifySMSSandboxPhoneNumberInput): VerifySMSSandboxPhoneNumberResult => {
      const entry = stores.get(ctx.account, ctx.region).sandboxNumbers.get(input.PhoneNumber ?? '');
      if (!entry) throw new ServiceError('ResourceNotFoundException', 'The phone number does not exist in the sandbox');
      if (entry.otp !== input.OneTimePassword) throw new ServiceError('VerificationException', 'Invalid one-time password');
      entry.status = 'Verified';
      return {};
    },

    DeleteSMSSandboxPhoneNumber: (ctx: RequestContext, input: DeleteSMSSandboxPhoneNumberInput): DeleteSMSSandboxPhoneNumberResult => {
      const numbers = stores.get(ctx.account, ctx.region).sandboxNumbers;
      if (!numbers.delete(input.PhoneNumber ?? '')) {
        throw new ServiceError('ResourceNotFoundException', 'The phone number does not exist in the sandbox');
      }
      return {};
    },

    ListSMSSandboxPhoneNumbers: (ctx: RequestContext, input: ListSMSSandboxPhoneNumbersInput): ListSMSSandboxPhoneNumbersResult => {
      const all = [...stores.get(ctx.account, ctx.region).sandboxNumbers].map(([PhoneNumber, e]) => ({ PhoneNumber, Status: e.status }));
      const p = page(all, input.NextToken);
      return { PhoneNumbers: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
  };

  const optOut = (account: string, region: string, phone: string): void => {
    stores.get(account, region).optedOut.add(e164(phone));
  };

  return { publishToEndpoint, publishToPhone, optOut, operations };
}

/** Checks one SetSMSAttributes entry; the empty string clears a setting. */
function checkSmsAttribute(name: string, value: string): void {
  if (!SMS_ATTRIBUTES.has(name)) throw SnsErrors.invalidParameter(`attributes Reason: ${name} is not a valid SMS attribute`);
  if (value === '') return;
  const invalid = (): ServiceError => SnsErrors.invalidParameter(`attributes Reason: ${name}: Invalid value [${value}]`);
  switch (name) {
    case 'DefaultSMSType':
      if (!SMS_TYPES.has(value)) throw invalid();
      return;
    case 'DefaultSenderID':
      if (!SENDER_ID.test(value)) throw invalid();
      return;
    case 'MonthlySpendLimit':
      if (!/^\d+$/.test(value)) throw invalid();
      return;
    case 'DeliveryStatusSuccessSamplingRate':
      if (!/^\d+$/.test(value) || Number(value) > 100) throw invalid();
      return;
    case 'DeliveryStatusIAMRole': {
      const a = parseArn(value);
      if (!a || a.service !== 'iam') throw invalid();
      return;
    }
    default:
      return;
  }
}
