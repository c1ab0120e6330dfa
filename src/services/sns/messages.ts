// Validation of what Publish and PublishBatch carry, with AWS's limits and messages: 256 KB for message and
// attributes together, Subject rules, message attribute names, types and values, MessageStructure=json.
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import type { ServiceError } from '../../core/errors.js';
import { SnsErrors } from './errors.js';
import type { PublishedAttribute } from './envelope.js';

export const MAX_MESSAGE_BYTES = 262_144;
export const MAX_MESSAGE_ATTRIBUTES = 10;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const NUMBER_LIMIT = 1e9;
/** AWS's own attributes that a publisher may set: SMS settings per message and mobile push options. */
const RESERVED_PREFIX = /^AWS\.(SNS\.SMS|MM\.SMS|SNS\.MOBILE)\./;
/** An SMS sender ID: 1 to 11 letters and digits, at least one letter. */
export const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;
export const SMS_TYPES = new Set(['Promotional', 'Transactional']);

export interface MessageInput {
  readonly Message?: string | undefined;
  readonly Subject?: string | undefined;
  readonly MessageStructure?: string | undefined;
  readonly MessageAttributes?: Record<string, MessageAttributeValue> | undefined;
}

export interface ValidMessage {
  readonly message: string;
  readonly subject: string | undefined;
  /** MessageStructure=json: the message per protocol (`default`, `sqs`, `email`, `GCM` ...). */
  readonly structure: Readonly<Record<string, string>> | undefined;
  readonly attributes: Readonly<Record<string, PublishedAttribute>>;
  /** Bytes counted against the 256 KB limit. */
  readonly size: number;
}

/** Checks one message; throws InvalidParameter (or ParameterValueInvalid) with AWS's message. */
export function validateMessage(input: MessageInput): ValidMessage {
  const message = input.Message;
  if (message === undefined || message === '') throw SnsErrors.invalidParameter('Empty message');
  const subject = input.Subject;
  if (subject !== undefined && !validSubject(subject)) throw SnsErrors.invalidParameter('Subject');
  let structure: Record<string, string> | undefined;
  if (input.MessageStructure !== undefined) {
    if (input.MessageStructure !== 'json') throw SnsErrors.invalidParameter('MessageStructure');
    structure = parseStructure(message);
  }
  const attributes = validateAttributes(input.MessageAttributes ?? {});
  let size = Buffer.byteLength(message, 'utf8');
  for (const [name, a] of Object.entries(attributes)) {
    size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(a.DataType, 'utf8');
    size += a.BinaryValue ? a.BinaryValue.byteLength : Buffer.byteLength(a.StringValue ?? '', 'utf8');
  }
  if (size > MAX_MESSAGE_BYTES) throw SnsErrors.invalidParameter('Message too long');
  return { message, subject, structure, attributes, size };
}

/** The message one protocol receives: its own entry of a json structure, else `default`. */
export function messageFor(m: ValidMessage, key: string): string {
  if (!m.structure) return m.message;
  return m.structure[key] ?? m.structure.default ?? m.message;
}

/** ASCII, starting with a letter, number or punctuation, no line breaks or control characters, under 100. */
function validSubject(s: string): boolean {
  return s.length > 0 && s.length < 100 && /^[\x21-\x7e][\x20-\x7e]*$/.test(s);
}

function parseStructure(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw SnsErrors.invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw SnsErrors.invalidParameter('Message Structure - JSON message body failed to parse');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof v !== 'string') throw SnsErrors.invalidParameter('Message Structure - JSON message body failed to parse');
    out[k] = v;
  }
  if (out.default === undefined) throw SnsErrors.invalidParameter('Message Structure - No default entry in JSON message body');
  return out;
}

function validateAttributes(attrs: Record<string, MessageAttributeValue>): Record<string, PublishedAttribute> {
  const names = Object.keys(attrs);
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw SnsErrors.invalidParameter(`Too many message attributes (at most ${MAX_MESSAGE_ATTRIBUTES})`);
  }
  const out: Record<string, PublishedAttribute> = {};
  for (const name of names) {
    const a = attrs[name];
    if (!a) continue;
    const reserved = /^(aws\.|amazon\.)/i.test(name) && !RESERVED_PREFIX.test(name);
    if (!ATTRIBUTE_NAME.test(name) || name.includes('..') || name.startsWith('.') || name.endsWith('.') || reserved) {
      throw SnsErrors.invalidParameter(`The message attribute name '${name}' is invalid.`);
    }
    const type = a.DataType;
    if (type === undefined || type === '') {
      throw SnsErrors.invalidParameter(`The message attribute '${name}' must contain non-empty message attribute type.`);
    }
    const base = type.split('.')[0];
    if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
      throw SnsErrors.invalidParameter(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    if (base === 'Binary') {
      if (!a.BinaryValue || a.BinaryValue.byteLength === 0) {
        throw SnsErrors.invalidParameter(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
        );
      }
      out[name] = { DataType: type, BinaryValue: a.BinaryValue };
      continue;
    }
    const value = a.StringValue;
    if (value === undefined || value === '') {
      throw SnsErrors.invalidParameter(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
      );
    }
    if (type === 'String.Array' || type === 'Number.Array') checkArray(name, value, type);
    else if (base === 'Number') checkNumber(name, value);
    checkSmsAttribute(name, value);
    out[name] = { DataType: type, StringValue: value };
  }
  return out;
}

/** The per-message SMS settings (https://docs.aws.amazon.com/sns/latest/dg/sms_sending-overview.html). */
function checkSmsAttribute(name: string, value: string): void {
  const invalid = (): ServiceError =>
    SnsErrors.invalidParameter(`The message attribute '${name}' has an invalid value '${value}'.`);
  if (name === 'AWS.SNS.SMS.SMSType' && !SMS_TYPES.has(value)) throw invalid();
  if (name === 'AWS.SNS.SMS.SenderID' && !SENDER_ID.test(value)) throw invalid();
  if (name === 'AWS.SNS.SMS.MaxPrice' && !(Number(value) > 0)) throw invalid();
}

function checkNumber(name: string, value: string): void {
  const n = Number(value);
  if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value) || !Number.isFinite(n)) {
    throw SnsErrors.invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
  }
  if (n < -NUMBER_LIMIT || n > NUMBER_LIMIT) {
    throw SnsErrors.invalidParameter(
      `The message attribute '${name}' with type 'Number' must be between -1.0E9 and 1.0E9, inclusive.`,
    );
  }
}

function checkArray(name: string, value: string, type: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const ok =
    Array.isArray(parsed) &&
    parsed.every((v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
  if (!ok) {
    throw SnsErrors.invalidParameter(`The message attribute '${name}' with type '${type}' has an invalid value.`);
  }
}
