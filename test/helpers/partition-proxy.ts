/**
 * A TCP proxy on 127.0.0.1 (an ephemeral port) in front of a server, that can cut the network
 * between its clients and the server without closing anything, as a network partition or a hung
 * host does: no byte, end or reset passes either way, every socket stays open, and connections
 * made meanwhile are accepted and never forwarded (neither side is refused, neither learns
 * anything). Healing delivers what was held back, in order, as TCP does once the network is back.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

export interface PartitionProxy {
  /** The proxy's port on 127.0.0.1. */
  port: number;
  /** Stops forwarding, both ways, on every connection; idempotent. */
  partition(): void;
  /** Forwards again, first what was held back; connections accepted while partitioned stay cut off. */
  heal(): void;
  /** Closes every connection and stops listening. */
  close(): Promise<void>;
}

export async function startPartitionProxy(target: { host: string; port: number }): Promise<PartitionProxy> {
  const sockets = new Set<Socket>();
  /** What happened on a connection while partitioned, to replay on heal. */
  let held: Array<() => void> = [];
  let partitioned = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined); // a reset ends the socket; 'close' follows and is forwarded
    socket.on('close', () => sockets.delete(socket));
  };
  const forward = (action: () => void) => (partitioned ? held.push(action) : action());

  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    track(client);
    if (partitioned) return; // accepted, never forwarded
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true });
    track(upstream);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      from.on('data', (chunk: Buffer) => forward(() => to.write(chunk)));
      from.on('end', () => forward(() => to.end()));
      from.on('close', () => forward(() => to.destroy()));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('partition proxy: no TCP address');

  return {
    port: address.port,
    partition() {
      partitioned = true;
    },
    heal() {
      partitioned = false;
      const replay = held;
      held = [];
      for (const action of replay) action();
    },
    async close() {
      held = [];
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
