// One port for HTTP/1.1 and cleartext HTTP/2 with prior knowledge (h2c): the first bytes of a connection tell which.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import { TLS_CERTIFICATE, TLS_KEY } from './tls-certificate.js';

export type RequestListener = (
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
) => void;

/** An HTTP/1.1 upgrade request (WebSocket); the listener owns the socket. */
export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export interface Transport {
  readonly server: Server;
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

export function createTransport(listener: RequestListener, onUpgrade?: UpgradeListener): Transport {
  const http1 = createHttpServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, listener);
  if (onUpgrade) http1.on('upgrade', onUpgrade);
  const http2 = createHttp2Server({}, listener);
  const sockets = new Set<Socket>();
  let secureContext: SecureContext | undefined;

  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    socket.once('data', (first) => {
      socket.pause();
      socket.unshift(first);
      const isH2 = first.length >= 3 && first.subarray(0, Math.min(first.length, H2_PREFACE.length)).equals(
        H2_PREFACE.subarray(0, Math.min(first.length, H2_PREFACE.length)),
      );
      // A TLS record starts with 0x16 (handshake) and a 0x03 major version; no HTTP request starts so.
      const isTls = first[0] === 0x16 && (first.length < 2 || first[1] === 0x03);
      if (isH2) {
        http2.emit('connection', replayingStream(socket));
      } else if (isTls) {
        secureContext ??= createSecureContext({ key: TLS_KEY, cert: TLS_CERTIFICATE });
        const secure = new TLSSocket(replayingStream(socket), { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] });
        secure.on('error', () => secure.destroy());
        http1.emit('connection', secure);
      } else {
        http1.emit('connection', socket);
      }
      socket.resume();
    });
    socket.on('error', () => socket.destroy());
  });

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        http1.closeAllConnections();
      }),
  };
}

/**
 * The HTTP/2 server reads a native socket's handle directly, bypassing data already read in JavaScript, so the
 * preface we peeked at would be lost; a stream wrapper replays it (HTTP/2 here is for the Kinesis client only).
 */
function replayingStream(socket: Socket): Duplex {
  const stream = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(err, callback) {
      socket.destroy(err ?? undefined);
      callback(err);
    },
  });
  socket.on('data', (data: Buffer) => {
    if (!stream.push(data)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  socket.on('close', () => stream.destroy());
  socket.on('error', (err) => stream.destroy(err));
  return stream;
}
