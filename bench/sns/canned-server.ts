// The canned SNS server: plain node:http answering every request with a fixed, valid awsQuery PublishResponse,
// doing no real work. What it sustains is this machine's limit.
import { createServer } from 'node:http';

const BODY = `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult>
    <MessageId>5fea7756-0ea4-451a-a703-a558b933e274</MessageId>
  </PublishResult>
  <ResponseMetadata>
    <RequestId>c1f0a1e5-27b6-5b0c-9d0e-3a4b1c2d3e4f</RequestId>
  </ResponseMetadata>
</PublishResponse>`;
const LENGTH = String(Buffer.byteLength(BODY));

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'text/xml',
      'x-amzn-requestid': 'c1f0a1e5-27b6-5b0c-9d0e-3a4b1c2d3e4f',
      'content-length': LENGTH,
    });
    res.end(BODY);
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
