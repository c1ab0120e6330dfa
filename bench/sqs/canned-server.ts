// The canned-response server: plain node:http that reads each request and answers it with a fixed, valid awsJson
// response of the same operation, doing no real work. What it sustains is this machine's limit.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { ACCOUNT, BATCH_SIZE, BODY, BODY_MD5 } from './workload.js';

const MESSAGE_ID = '5fea7756-0ea4-451a-a703-a558b933e274';
const REQUEST_ID = 'c1f0a1e5-27b6-5b0c-9d0e-3a4b1c2d3e4f';
const RECEIPT = randomBytes(132).toString('base64');

function responses(host: string): Record<string, string> {
  return {
    'AmazonSQS.CreateQueue': JSON.stringify({ QueueUrl: `http://${host}/${ACCOUNT}/bench` }),
    'AmazonSQS.SendMessage': JSON.stringify({ MD5OfMessageBody: BODY_MD5, MessageId: MESSAGE_ID }),
    'AmazonSQS.SendMessageBatch': JSON.stringify({
      Successful: Array.from({ length: BATCH_SIZE }, (_, i) => ({
        Id: `m${i}`,
        MessageId: MESSAGE_ID,
        MD5OfMessageBody: BODY_MD5,
      })),
    }),
    'AmazonSQS.ReceiveMessage': JSON.stringify({
      Messages: [{ MessageId: MESSAGE_ID, ReceiptHandle: RECEIPT, MD5OfBody: BODY_MD5, Body: BODY }],
    }),
    'AmazonSQS.DeleteMessage': '{}',
  };
}

let canned: Record<string, string> = {};
const UNKNOWN = JSON.stringify({ __type: 'com.amazonaws.sqs#UnsupportedOperation', message: 'not canned' });

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    const target = req.headers['x-amz-target'];
    const body = typeof target === 'string' ? canned[target] : undefined;
    const out = body ?? UNKNOWN;
    res.writeHead(body === undefined ? 400 : 200, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': REQUEST_ID,
      'content-length': String(Buffer.byteLength(out)),
    });
    res.end(out);
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  canned = responses(`127.0.0.1:${port}`);
  process.send?.({ type: 'ready', port });
});

const stop = (): void => {
  server.close();
  server.closeAllConnections();
  if (process.connected) process.disconnect();
};
process.on('SIGTERM', stop);
// The parent went away without stopping us.
process.on('disconnect', stop);
