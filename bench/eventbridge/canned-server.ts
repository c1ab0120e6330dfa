// The canned EventBridge server: plain node:http answering PutEvents with a fixed, valid awsJson 1.1 response of
// as many entries as the request carries (counted by a byte search), doing no real work.
import { createServer } from 'node:http';

const ENTRY = '{"EventId":"5fea7756-0ea4-451a-a703-a558b933e274"}';
const responses = Array.from({ length: 11 }, (_, n) =>
  JSON.stringify({ FailedEntryCount: 0, Entries: [] }).replace('[]', `[${Array(n).fill(ENTRY).join(',')}]`),
);
const MARK = Buffer.from('"Source"');

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = chunks.length === 1 ? (chunks[0] ?? Buffer.alloc(0)) : Buffer.concat(chunks);
    let n = 0;
    for (let at = body.indexOf(MARK); at >= 0 && n < 10; at = body.indexOf(MARK, at + 1)) n++;
    const out = responses[n] ?? '{}';
    res.writeHead(200, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': 'c1f0a1e5-27b6-5b0c-9d0e-3a4b1c2d3e4f',
      'content-length': String(Buffer.byteLength(out)),
    });
    res.end(out);
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});

const stop = (): void => {
  server.close();
  server.closeAllConnections();
  if (process.connected) process.disconnect();
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
