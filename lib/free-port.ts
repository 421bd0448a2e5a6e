// A loopback port for a server we are about to start (the smoke run's API, the project Ollama).
import { createServer, type AddressInfo } from 'node:net';

/** A port the kernel just handed out on 127.0.0.1; free again once closed. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
