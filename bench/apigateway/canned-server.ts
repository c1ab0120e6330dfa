// The canned invoke-URL server: plain node:http answering every request with the fixed JSON a MOCK integration of the
// benchmark API answers, doing no routing, templating or integration work.
import { createServer } from 'node:http';

const BODY = '{"ok":true}';

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-amzn-requestid': 'c1f0a1e5-27b6-5b0c-9d0e-3a4b1c2d3e4f',
      'x-amz-apigw-id': 'AbCdEfGhIjKlMnOp',
      'content-length': String(Buffer.byteLength(BODY)),
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
