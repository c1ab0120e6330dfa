// Captures the exact request an SDK client would send, through a request handler that never touches the network.
import type { HttpRequest } from '@smithy/types';

class Captured extends Error {
  constructor(readonly request: HttpRequest) {
    super('captured');
  }
}

export interface CapturingHandler {
  handle: (request: HttpRequest) => Promise<never>;
}

const handler: CapturingHandler = {
  handle: async (request: HttpRequest) => {
    throw new Captured(request);
  },
};

/** `make` builds a client with the given requestHandler; `call` sends one command with it. */
export async function captureRequest<C extends { destroy(): void }>(
  make: (requestHandler: CapturingHandler) => C,
  call: (client: C) => Promise<unknown>,
): Promise<HttpRequest> {
  const client = make(handler);
  try {
    await call(client);
  } catch (err) {
    if (err instanceof Captured) return err.request;
    throw err;
  } finally {
    client.destroy();
  }
  throw new Error('the SDK sent no request');
}
