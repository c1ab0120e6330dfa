// What subscribers receive: the JSON notification AWS wraps a message in (SQS, HTTP/S, email-json), its Lambda event
// form, and the subscription confirmation. Keys in AWS's order and AWS's layout (`"Key" : value`, one per line).
import { createHash } from 'node:crypto';

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
}

/** `2026-01-01T00:00:00.000Z`, as SNS writes Timestamp. */
export function snsTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

export function signingCertUrl(region: string): string {
  return `https://sns.${region}.amazonaws.com/SimpleNotificationService-switchyard.pem`;
}

export function unsubscribeUrl(baseUrl: string, subscriptionArn: string): string {
  return `${baseUrl}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;
}

/** Visiting it (unsigned, as a person or an endpoint does) confirms the subscription. */
export function subscribeUrlOf(baseUrl: string, topicArn: string, token: string): string {
  return `${baseUrl}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${token}`;
}

/** A signature-shaped value (base64 of 256 bytes, as SHA1withRSA gives); Switchyard signs with no real key. */
export function fakeSignature(text: string): string {
  const parts: Buffer[] = [];
  for (let i = 0; i < 8; i++) parts.push(createHash('sha256').update(`${i}:${text}`).digest());
  return Buffer.concat(parts).toString('base64');
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
  const toSign = `Message\n${n.message}\nMessageId\n${n.messageId}\n${n.subject !== undefined ? `Subject\n${n.subject}\n` : ''}Timestamp\n${timestamp}\nTopicArn\n${n.topicArn}\nType\nNotification\n`;
  fields.push(
    ['SignatureVersion', n.signatureVersion],
    ['Signature', fakeSignature(toSign)],
    ['SigningCertURL', signingCertUrl(n.region)],
    ['UnsubscribeURL', unsubscribeUrl(n.baseUrl, n.subscriptionArn)],
  );
  if (Object.keys(n.attributes).length > 0) fields.push(['MessageAttributes', envelopeAttributes(n.attributes)]);
  return fields;
}

/** The notification JSON, laid out as SNS writes it. */
export function notificationJson(n: Notification): string {
  return layout(notificationFields(n));
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
  readonly messageId: string;
  readonly topicArn: string;
  readonly token: string;
  readonly timestamp: number;
  readonly baseUrl: string;
  readonly region: string;
  readonly signatureVersion: string;
}

/** The SubscriptionConfirmation message an http/https or email-json endpoint receives. */
export function confirmationJson(c: Confirmation): string {
  const message = `You have chosen to subscribe to the topic ${c.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
  const subscribeUrl = subscribeUrlOf(c.baseUrl, c.topicArn, c.token);
  const timestamp = snsTimestamp(c.timestamp);
  return layout([
    ['Type', 'SubscriptionConfirmation'],
    ['MessageId', c.messageId],
    ['Token', c.token],
    ['TopicArn', c.topicArn],
    ['Message', message],
    ['SubscribeURL', subscribeUrl],
    ['Timestamp', timestamp],
    ['SignatureVersion', c.signatureVersion],
    ['Signature', fakeSignature(`${c.messageId}\n${c.token}\n${timestamp}`)],
    ['SigningCertURL', signingCertUrl(c.region)],
  ]);
}

/** `{\n  "Key" : value,\n ...}`; an object value puts one member per line, each member compact. */
function layout(fields: [string, unknown][]): string {
  const lines = fields.map(([k, v]) => {
    if (v !== null && typeof v === 'object') {
      const inner = Object.entries(v as Record<string, unknown>).map(
        ([ik, iv]) => `    ${JSON.stringify(ik)} : ${JSON.stringify(iv)}`,
      );
      return `  ${JSON.stringify(k)} : {\n${inner.join(',\n')}\n  }`;
    }
    return `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`;
  });
  return `{\n${lines.join(',\n')}\n}`;
}
