import { createServer, type Server } from 'node:net';

/**
 * A TCP server that answers every PostgreSQL connection the way a server still starting up (or recovering after a
 * crash) does: an ErrorResponse with SQLSTATE 57P03, "the database system is not yet accepting connections".
 * Makes that window of a real restart, a few hundred milliseconds long, reproducible on demand.
 */
export async function startStartingUpPostgres(): Promise<{ url: string; close(): Promise<void> }> {
  const fields = [
    ['S', 'FATAL'],
    ['V', 'FATAL'],
    ['C', '57P03'],
    ['M', 'the database system is not yet accepting connections'],
    ['D', 'Consistent recovery state has not been yet reached.'],
  ];
  const body = Buffer.concat([...fields.map(([type, value]) => Buffer.from(`${type}${value}\0`)), Buffer.from([0])]);
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  const errorResponse = Buffer.concat([Buffer.from('E'), length, body]);

  const server: Server = createServer((socket) => {
    socket.on('error', () => {});
    // The client speaks first (its startup message); whatever it says, the answer is the same.
    socket.once('data', () => socket.end(errorResponse));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  return {
    url: `postgresql://postgres@127.0.0.1:${address.port}/app`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
