// Messages at the edge: validation of what a sender gives (body characters, message and system attributes, size)
// and the rendering of a stored message for ReceiveMessage (selected attributes and their MD5s).
import { createHash } from 'node:crypto';
import type { Message, MessageAttributeValue, MessageSystemAttributeValue } from '@aws-sdk/client-sqs';
import { SqsErrors } from './errors.js';
import { md5Hex, md5OfAttributes } from './md5.js';
import type { NewMessage, Queue, StoredMessage } from './store.js';

export const MAX_MESSAGE_ATTRIBUTES = 10;

/**
 * Shared by every message sent without (system) attributes, sparing two retained objects per stored message; frozen,
 * as stored attributes are never changed.
 */
const NO_ATTRIBUTES: Readonly<Record<string, MessageAttributeValue>> = Object.freeze({});

/** What a sender asks to send, before validation (SendMessage and each SendMessageBatch entry). */
export interface SendInput {
  readonly body: string | undefined;
  readonly attributes?: Record<string, MessageAttributeValue> | undefined;
  readonly systemAttributes?: Record<string, MessageSystemAttributeValue> | undefined;
  readonly delaySeconds?: number | undefined;
  readonly groupId?: string | undefined;
  readonly deduplicationId?: string | undefined;
}

/** Validates a message for a queue; returns it ready to enqueue with its size in bytes. */
export function prepareMessage(queue: Queue, input: SendInput, senderId: string): { message: NewMessage; size: number } {
  const body = input.body;
  if (body === undefined || body === '') throw SqsErrors.missingParameter('MessageBody');
  checkCharacters(body);
  const attributes = input.attributes ? validateAttributes(input.attributes) : NO_ATTRIBUTES;
  const systemAttributes = input.systemAttributes ? validateSystemAttributes(input.systemAttributes) : NO_ATTRIBUTES;
  let size = Buffer.byteLength(body, 'utf8');
  const attributeNames = attributes === NO_ATTRIBUTES ? [] : Object.keys(attributes);
  for (const name of attributeNames) size += attributeSize(name, attributes[name] as MessageAttributeValue);
  const attributeCount = attributeNames.length;
  const max = queue.setting('MaximumMessageSize');
  if (size > max) {
    throw SqsErrors.invalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`);
  }
  let delaySeconds = queue.setting('DelaySeconds');
  if (input.delaySeconds !== undefined) {
    const d = input.delaySeconds;
    if (!Number.isInteger(d) || d < 0 || d > 900) {
      throw SqsErrors.invalidParameter('DelaySeconds', d, 'DelaySeconds must be >= 0 and <= 900.');
    }
    if (queue.fifo) {
      throw SqsErrors.invalidParameter('DelaySeconds', d, 'The request include parameter that is not valid for this queue type.');
    }
    delaySeconds = d;
  }
  let deduplicationId = input.deduplicationId;
  const groupId = input.groupId;
  if (queue.fifo) {
    if (groupId === undefined || groupId === '') throw SqsErrors.missingParameter('MessageGroupId');
    checkToken('MessageGroupId', groupId);
    if (deduplicationId !== undefined) checkToken('MessageDeduplicationId', deduplicationId);
    else if (queue.settings.ContentBasedDeduplication === 'true') {
      deduplicationId = sha256Hex(body);
    } else {
      throw SqsErrors.invalidParameterValue(
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
  } else {
    if (deduplicationId !== undefined) {
      throw SqsErrors.invalidParameter(
        'MessageDeduplicationId',
        deduplicationId,
        'The request include parameter that is not valid for this queue type.',
      );
    }
    if (groupId !== undefined) checkToken('MessageGroupId', groupId);
  }
  const hasAttributes = attributeCount > 0;
  const hasSystem = systemAttributes !== NO_ATTRIBUTES && Object.keys(systemAttributes).length > 0;
  return {
    size,
    message: {
      body,
      md5OfBody: md5Hex(body),
      attributes,
      md5OfAttributes: hasAttributes ? md5OfAttributes(attributes) : undefined,
      systemAttributes,
      md5OfSystemAttributes: hasSystem ? md5OfAttributes(systemAttributes) : undefined,
      senderId,
      delaySeconds,
      groupId,
      deduplicationId,
    },
  };
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}


const TOKEN = /^[\x21-\x7e]{1,128}$/;

function checkToken(parameter: string, value: string): void {
  if (!TOKEN.test(value)) {
    throw SqsErrors.invalidParameter(
      parameter,
      value,
      `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}

/** Rejects characters outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF, as AWS does. */
export function checkCharacters(text: string): void {
  const bad = invalidCharacter(text);
  if (bad !== undefined) {
    throw SqsErrors.invalidMessageContents(
      `Invalid binary character '#x${bad.toString(16).toUpperCase()}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
    );
  }
}

// Hot path: one native regex pass answers the common case; the loop below only runs to name a bad character.
// With the u flag a lone surrogate is its own code point (#xD800-#xDFFF), outside the class, as in the loop.
const ALLOWED = /^[\t\n\r\x20-\u{D7FF}\u{E000}-\u{FFFD}\u{10000}-\u{10FFFF}]*$/u;

function invalidCharacter(text: string): number | undefined {
  if (ALLOWED.test(text)) return undefined;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0x9 || c === 0xa || c === 0xd) continue;
    if ((c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff)) continue;
    return c;
  }
  return undefined;
}

const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function validateAttributes(
  input: Record<string, MessageAttributeValue>,
): Readonly<Record<string, MessageAttributeValue>> {
  const names = Object.keys(input);
  if (names.length === 0) return NO_ATTRIBUTES;
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw SqsErrors.invalidParameterValue(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`,
    );
  }
  const out: Record<string, MessageAttributeValue> = {};
  for (const name of names) {
    const a = input[name] as MessageAttributeValue;
    if (!ATTRIBUTE_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
      throw SqsErrors.invalidParameterValue(
        `Message (user) attribute name '${name}' is invalid. The attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters.`,
      );
    }
    if (/^(aws\.|amazon\.)/i.test(name)) {
      throw SqsErrors.invalidParameterValue(`Message (user) attribute name '${name}' uses a reserved prefix (AWS. or Amazon.).`);
    }
    // defineProperty: an attribute may be named `__proto__`, which plain assignment would take as the prototype.
    Object.defineProperty(out, name, { value: validateValue(name, a, 'Message (user) attribute'), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function validateValue(name: string, a: MessageAttributeValue, what: string): MessageAttributeValue {
  const type = a.DataType;
  if (type === undefined || type === '') {
    throw SqsErrors.invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
  }
  const base = /^(String|Number|Binary)(\..+)?$/.exec(type)?.[1];
  if (!base || type.length > 256) {
    throw SqsErrors.invalidParameterValue(
      `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
    );
  }
  if ((a.StringListValues?.length ?? 0) > 0 || (a.BinaryListValues?.length ?? 0) > 0) {
    throw SqsErrors.invalidParameterValue('Message attribute list values in SendMessage operation are not supported.');
  }
  if (base === 'Binary') {
    if (a.BinaryValue === undefined || a.BinaryValue.length === 0) {
      throw SqsErrors.invalidParameterValue(`${what} '${name}' must contain a non-empty value of type 'Binary'.`);
    }
    return { DataType: type, BinaryValue: a.BinaryValue };
  }
  const value = a.StringValue;
  if (value === undefined || value === '') {
    throw SqsErrors.invalidParameterValue(`${what} '${name}' must contain a non-empty value of type '${base}'.`);
  }
  if (invalidCharacter(value) !== undefined) {
    throw SqsErrors.invalidParameterValue(`${what} '${name}' contains invalid characters.`);
  }
  if (base === 'Number') {
    const digits = value.replace(/^[+-]/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '');
    const n = Number(value);
    if (!NUMBER.test(value) || digits.length > 38 || !Number.isFinite(n) || (n !== 0 && (Math.abs(n) < 1e-128 || Math.abs(n) > 1e126))) {
      throw SqsErrors.invalidParameterValue(`Can't cast the value of ${what.toLowerCase()} '${name}' to a number.`);
    }
  }
  return { DataType: type, StringValue: value };
}

function validateSystemAttributes(
  input: Record<string, MessageSystemAttributeValue>,
): Readonly<Record<string, MessageAttributeValue>> {
  const names = Object.keys(input);
  if (names.length === 0) return NO_ATTRIBUTES;
  const out: Record<string, MessageAttributeValue> = {};
  for (const name of names) {
    if (name !== 'AWSTraceHeader') {
      throw SqsErrors.invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    }
    const a = input[name] as MessageSystemAttributeValue;
    if (a.DataType !== 'String') {
      throw SqsErrors.invalidParameterValue(`Message system attribute '${name}' must be of type 'String'.`);
    }
    out[name] = validateValue(name, a, 'Message system attribute');
  }
  return out;
}

function attributeSize(name: string, a: MessageAttributeValue): number {
  return (
    Buffer.byteLength(name, 'utf8') +
    Buffer.byteLength(a.DataType ?? '', 'utf8') +
    (a.BinaryValue ? a.BinaryValue.length : Buffer.byteLength(a.StringValue ?? '', 'utf8'))
  );
}

export const SYSTEM_ATTRIBUTE_NAMES = new Set([
  'All',
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
]);

/** Which attributes of a received message to return. */
export interface Selection {
  readonly system: ReadonlySet<string>;
  readonly messageAttributes: readonly string[];
}

export function renderMessage(m: StoredMessage, selection: Selection): Message {
  const out: Message = {
    MessageId: m.id,
    ReceiptHandle: m.receipt,
    MD5OfBody: m.md5OfBody,
    Body: m.body,
  };
  const system = systemAttributesOf(m, selection.system);
  if (system) out.Attributes = system;
  const names = Object.keys(m.attributes).filter((n) => wanted(n, selection.messageAttributes));
  if (names.length > 0) {
    let attrs: Record<string, MessageAttributeValue> = m.attributes;
    if (names.length !== Object.keys(m.attributes).length) {
      attrs = {};
      for (const n of names) {
        Object.defineProperty(attrs, n, { value: m.attributes[n], enumerable: true, writable: true, configurable: true });
      }
    }
    out.MessageAttributes = attrs;
    out.MD5OfMessageAttributes = names.length === Object.keys(m.attributes).length ? m.md5OfAttributes : md5OfAttributes(attrs);
  }
  return out;
}

function wanted(name: string, patterns: readonly string[]): boolean {
  for (const p of patterns) {
    if (p === 'All' || p === '.*' || p === name) return true;
    if (p.endsWith('.*') && name.startsWith(p.slice(0, -1))) return true;
  }
  return false;
}

function systemAttributesOf(m: StoredMessage, names: ReadonlySet<string>): Record<string, string> | undefined {
  if (names.size === 0) return undefined;
  const all = names.has('All');
  const out: Record<string, string> = {};
  const add = (name: string, value: string | number | undefined): void => {
    if (value !== undefined && (all || names.has(name))) out[name] = String(value);
  };
  add('SenderId', m.senderId);
  add('SentTimestamp', m.sentAt);
  add('ApproximateReceiveCount', m.receiveCount);
  add('ApproximateFirstReceiveTimestamp', m.firstReceiveAt);
  add('SequenceNumber', m.sequenceNumber);
  add('MessageDeduplicationId', m.deduplicationId);
  add('MessageGroupId', m.groupId);
  add('AWSTraceHeader', m.systemAttributes.AWSTraceHeader?.StringValue);
  add('DeadLetterQueueSourceArn', m.deadLetterSourceArn);
  return Object.keys(out).length > 0 ? out : undefined;
}
