// A user's SNS client on Switchyard's https:// endpoint (same port, its localhost certificate trusted): SigningCertURL
// is then https, and AWS's own sns-validator, unpatched, checks every message an HTTP subscriber receives.
import { createServer, type Server } from 'node:http';
import https, { Agent } from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { ConfirmSubscriptionCommand, CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TLS_CERTIFICATE } from '../../server/tls-certificate.js';
import { startSwitchyard, type RunningSwitchyard } from '../../index.js';

interface Validator {
  validate(message: Record<string, unknown>, cb: (err: Error | null, message?: Record<string, unknown>) => void): void;
}
const MessageValidator = createRequire(import.meta.url)('sns-validator') as new (hostPattern?: RegExp) => Validator;

let sy: RunningSwitchyard;
let sns: SNSClient;
let hook: Server;
let hookUrl: string;
const bodies: Record<string, unknown>[] = [];
const previousCa = https.globalAgent.options.ca;

beforeAll(async () => {
  sy = await startSwitchyard({ port: 0, logLevel: 'silent' });
  const agent = new Agent({ ca: TLS_CERTIFICATE, keepAlive: true });
  sns = new SNSClient({
    endpoint: `https://localhost:${sy.port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpsAgent: agent }),
  });
  // What NODE_EXTRA_CA_CERTS does for a whole process: the validator's https.get trusts Switchyard's certificate.
  https.globalAgent.options.ca = TLS_CERTIFICATE;
  hook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      res.end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  https.globalAgent.options.ca = previousCa;
  sns.destroy();
  hook.closeAllConnections();
  await new Promise((resolve) => hook.close(resolve));
  await sy.stop();
});

async function received(n: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 500 && bodies.length < n; i++) await new Promise((r) => setTimeout(r, 5));
  expect(bodies).toHaveLength(n);
  return bodies;
}

const validate = (message: Record<string, unknown>): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) =>
    new MessageValidator(/^localhost(:\d+)?$/).validate(message, (err, m) => (err ? reject(err) : resolve(m ?? {}))),
  );

describe('SNS over https with an unpatched sns-validator', () => {
  test('the confirmation and the notification validate, with an https SigningCertURL on Switchyard', async () => {
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'secure', Attributes: { SignatureVersion: '2' } }))).TopicArn ?? '';
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'http', Endpoint: hookUrl }));
    const [confirmation] = await received(1);
    expect(String(confirmation?.SigningCertURL)).toBe(`https://localhost:${sy.port}/_switchyard/sns/SimpleNotificationService-switchyard.pem`);
    await expect(validate(confirmation ?? {})).resolves.toMatchObject({ Type: 'SubscriptionConfirmation' });
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topic, Token: String(confirmation?.Token) }));
    await sns.send(new PublishCommand({ TopicArn: topic, Message: 'over TLS', Subject: 'hi' }));
    const notification = (await received(2))[1] ?? {};
    await expect(validate(notification)).resolves.toMatchObject({ Type: 'Notification', Message: 'over TLS', SignatureVersion: '2' });
    await expect(validate({ ...notification, Message: 'tampered' })).rejects.toThrow();
  });

  test('the certificate is served for clients to trust', async () => {
    const res = await fetch(`${sy.endpoint}/_switchyard/tls/certificate.pem`);
    expect(await res.text()).toBe(TLS_CERTIFICATE);
  });
});
