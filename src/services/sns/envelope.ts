// What subscribers receive: the JSON notification AWS wraps a message in (SQS, HTTP/S, email-json), its Lambda event
// form, and the subscription and unsubscribe confirmations. Keys in AWS's order and AWS's layout (`"Key" : value`, one
// per line), signed as AWS signs them (SignatureVersion 1 SHA1withRSA, 2 SHA256withRSA) with the key whose
// certificate Switchyard serves at SigningCertURL.
import { createPrivateKey, createSign, sign as signOffThread, type KeyObject } from 'node:crypto';
import { SIGNING_CERT_PATH, SIGNING_KEY } from './signing-key.js';

export interface PublishedAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: Uint8Array;
}

export interface Notification {
  readonly messageId: string;
  readonly topicArn: string;
  readonly subscriptionArn: string;
  readonly subject: string | undefined;
  readonly message: string;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly sequenceNumber: string | undefined;
  readonly attributes: Readonly<Record<string, PublishedAttribute>>;
  readonly signatureVersion: string;
  /** Where Unsubscribe and the signing certificate are served (`http://localhost:4566`). */
  readonly baseUrl: string;
  readonly region: string;
  /**
   * Signatures already computed for this publish, by message text: the signed fields are the same for every
   * subscriber that gets the same text, so one publish signs once however many subscriptions it fans out to.
   */
  readonly signatures?: Map<string, string>;
  /**
   * Notification JSON already laid out for this publish, by message text, around the one line that differs between
   * subscribers (UnsubscribeURL): fan-out to many subscriptions writes each envelope by concatenation.
   */
  readonly layouts?: Map<string, { readonly head: string; readonly tail: string }>;
}

/** `2026-01-01T00:00:00.000Z`, as SNS writes Timestamp. */
export function snsTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

export function signingCertUrl(baseUrl: string): string {
  return `${baseUrl}${SIGNING_CERT_PATH}`;
}

export function unsubscribeUrl(baseUrl: string, subscriptionArn: string): string {
  return `${baseUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;
}

/** Visiting it (unsigned, as a person or an endpoint does) confirms the subscription. */
export function subscribeUrlOf(baseUrl: string, topicArn: string, token: string): string {
  return `${baseUrl}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`;
}

/** Parsed once per process: an immutable key object, the same for every Switchyard. */
const PRIVATE_KEY: KeyObject = createPrivateKey(SIGNING_KEY);

/**
 * AWS's string to sign: `Name\nvalue\n` for each listed field present, in this order (the SNS developer guide,
 * "Verifying the signatures of Amazon SNS messages").
 */
export function canonicalString(fields: readonly (readonly [string, unknown])[]): string {
  const byName = new Map(fields);
  const names = byName.get('Type') === 'Notification' ? NOTIFICATION_SIGNED : CONFIRMATION_SIGNED;
  let out = '';
  for (const name of names) {
    const v = byName.get(name);
    if (typeof v === 'string') out += `${name}\n${v}\n`;
  }
  return out;
}

const NOTIFICATION_SIGNED = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
const CONFIRMATION_SIGNED = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];

/** Base64 SHA1withRSA (version 1) or SHA256withRSA (version 2) of the canonical string. */
export function sign(canonical: string, signatureVersion: string): string {
  return createSign(signatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1')
    .update(canonical, 'utf8')
    .sign(PRIVATE_KEY, 'base64');
}

/**
 * Signs, on libuv's thread pool rather than the event loop, the notification one message text makes: a publish
 * fills Notification.signatures this way before fanning out, so that RSA does not hold up other requests.
 */
export function signNotificationOffThread(
  n: Pick<Notification, 'messageId' | 'topicArn' | 'subject' | 'timestamp' | 'signatureVersion'>,
  message: string,
): Promise<string> {
  const canonical = canonicalString([
    ['Type', 'Notification'],
    ['MessageId', n.messageId],
    ['TopicArn', n.topicArn],
    ['Subject', n.subject],
    ['Message', message],
    ['Timestamp', snsTimestamp(n.timestamp)],
  ]);
  return new Promise((resolve, reject) => {
    signOffThread(n.signatureVersion === '2' ? 'sha256' : 'sha1', Buffer.from(canonical, 'utf8'), PRIVATE_KEY, (err, sig) => {
      if (err) reject(err);
      else resolve(sig.toString('base64'));
    });
  });
}

/** Message attributes as the notification carries them: `{ Type, Value }`, binary values in base64. */
export function envelopeAttributes(attrs: Readonly<Record<string, PublishedAttribute>>): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(attrs)) {
    const value = a.BinaryValue !== undefined ? Buffer.from(a.BinaryValue).toString('base64') : (a.StringValue ?? '');
    out[name] = { Type: a.DataType, Value: value };
  }
  return out;
}

function notificationFields(n: Notification): [string, unknown][] {
  const fields: [string, unknown][] = [
    ['Type', 'Notification'],
    ['MessageId', n.messageId],
  ];
  if (n.sequenceNumber !== undefined) fields.push(['SequenceNumber', n.sequenceNumber]);
  fields.push(['TopicArn', n.topicArn]);
  if (n.subject !== undefined) fields.push(['Subject', n.subject]);
  const timestamp = snsTimestamp(n.timestamp);
  fields.push(['Message', n.message], ['Timestamp', timestamp]);
  let signature = n.signatures?.get(n.message);
  if (signature === undefined) {
    signature = sign(canonicalString(fields), n.signatureVersion);
    n.signatures?.set(n.message, signature);
  }
  fields.push(
    ['SignatureVersion', n.signatureVersion],
    ['Signature', signature],
    ['SigningCertURL', signingCertUrl(n.baseUrl)],
    ['UnsubscribeURL', unsubscribeUrl(n.baseUrl, n.subscriptionArn)],
  );
  if (Object.keys(n.attributes).length > 0) fields.push(['MessageAttributes', envelopeAttributes(n.attributes)]);
  return fields;
}

/** The notification JSON, laid out as SNS writes it. */
export function notificationJson(n: Notification): string {
  let parts = n.layouts?.get(n.message);
  if (!parts) {
    const lines = layoutLines(notificationFields(n));
    const at = lines.findIndex((l) => l.startsWith('  "UnsubscribeURL" : '));
    parts = { head: `{\n${lines.slice(0, at).join(',\n')},\n`, tail: `${lines.slice(at + 1).map((l) => `,\n${l}`).join('')}\n}` };
    n.layouts?.set(n.message, parts);
  }
  return `${parts.head}  "UnsubscribeURL" : ${JSON.stringify(unsubscribeUrl(n.baseUrl, n.subscriptionArn))}${parts.tail}`;
}

/** The Lambda event for one notification (`Records[0].Sns`; Lambda spells SigningCertUrl and UnsubscribeUrl). */
export function lambdaEvent(n: Notification): string {
  const sns: Record<string, unknown> = {};
  for (const [k, v] of notificationFields(n)) {
    if (k === 'SigningCertURL') sns.SigningCertUrl = v;
    else if (k === 'UnsubscribeURL') sns.UnsubscribeUrl = v;
    else sns[k] = v;
  }
  if (!('Subject' in sns)) sns.Subject = null;
  if (!('MessageAttributes' in sns)) sns.MessageAttributes = {};
  const record = {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: n.subscriptionArn,
    Sns: sns,
  };
  return JSON.stringify({ Records: [record] });
}

export interface Confirmation {
  readonly type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  readonly messageId: string;
  readonly topicArn: string;
  /** UnsubscribeConfirmation: the subscription that was deleted. */
  readonly subscriptionArn?: string;
  readonly token: string;
  readonly timestamp: number;
  readonly baseUrl: string;
  readonly signatureVersion: string;
}

/**
 * The SubscriptionConfirmation an http/https or email-json endpoint receives, or the UnsubscribeConfirmation an
 * http/https endpoint receives when its subscription is deleted (its SubscribeURL subscribes it again).
 */
export function confirmationJson(c: Confirmation): string {
  const message =
    c.type === 'SubscriptionConfirmation'
      ? `You have chosen to subscribe to the topic ${c.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`
      : `You have chosen to deactivate subscription ${c.subscriptionArn ?? ''}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
  const fields: [string, unknown][] = [
    ['Type', c.type],
    ['MessageId', c.messageId],
    ['Token', c.token],
    ['TopicArn', c.topicArn],
    ['Message', message],
    ['SubscribeURL', subscribeUrlOf(c.baseUrl, c.topicArn, c.token)],
    ['Timestamp', snsTimestamp(c.timestamp)],
  ];
  fields.push(
    ['SignatureVersion', c.signatureVersion],
    ['Signature', sign(canonicalString(fields), c.signatureVersion)],
    ['SigningCertURL', signingCertUrl(c.baseUrl)],
  );
  return layout(fields);
}

/** `{\n  "Key" : value,\n ...}`; an object value puts one member per line, each member compact. */
function layout(fields: [string, unknown][]): string {
  return `{\n${layoutLines(fields).join(',\n')}\n}`;
}

function layoutLines(fields: [string, unknown][]): string[] {
  return fields.map(([k, v]) => {
    if (v !== null && typeof v === 'object') {
      const inner = Object.entries(v as Record<string, unknown>).map(
        ([ik, iv]) => `    ${JSON.stringify(ik)} : ${JSON.stringify(iv)}`,
      );
      return `  ${JSON.stringify(k)} : {\n${inner.join(',\n')}\n  }`;
    }
    return `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`;
  });
}
