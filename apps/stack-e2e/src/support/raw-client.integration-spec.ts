import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { RawClient } from './raw-client';

// The hostile suites count a connection reset as a failure of the service. A reset of a kept-alive connection that
// the server had already closed as idle is the client's race, not the service's: it is sent again on a new
// connection. A reset on a new connection is still reported. Plain TCP servers here, so each case is exact.

const OK = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok';

function listen(onRequest: (socket: Socket, nth: number, connection: number) => void): Promise<{ server: Server; url: string; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    const connection = ++connections;
    let nth = 0;
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        onRequest(socket, ++nth, connection);
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections })),
  );
}

describe('RawClient', () => {
  let servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    servers = [];
  });

  it('sends a request again on a new connection when a kept-alive one turns out closed, and says so', async () => {
    // given a server that answers the first request of a connection and resets it on the second
    const { server, url, connections } = await listen((socket, nth) => (nth === 1 ? socket.write(OK) : socket.resetAndDestroy()));
    servers.push(server);
    const client = new RawClient({ concurrency: 1 });
    try {
      // when two requests go one after the other (the second reuses the kept-alive connection)
      const first = await client.send({ method: 'GET', url: `${url}/a` });
      const second = await client.send({ method: 'GET', url: `${url}/b` });

      // then both are answered, the second after one more connection
      expect({ first: [first.status, first.failure, first.retriedStale], second: [second.status, second.text, second.failure, second.retriedStale] }).toEqual({
        first: [200, undefined, undefined],
        second: [200, 'ok', undefined, true],
      });
      expect(connections()).toBe(2);
    } finally {
      client.close();
    }
  });

  it('reports a reset on a new connection as a failure and does not send it again', async () => {
    // given a server that resets every connection at its first request
    const { server, url, connections } = await listen((socket) => socket.resetAndDestroy());
    servers.push(server);
    const client = new RawClient({ concurrency: 1 });
    try {
      // when one request goes
      const res = await client.send({ method: 'GET', url: `${url}/a` });

      // then it is a reset, sent once
      expect([res.status, res.failure, res.retriedStale]).toEqual([0, 'reset', undefined]);
      expect(connections()).toBe(1);
    } finally {
      client.close();
    }
  });

  it('does not send again a request whose answer had begun when the connection broke', async () => {
    // given a server that starts an answer on a reused connection and then resets it
    const { server, url, connections } = await listen((socket, nth) =>
      nth === 1 ? socket.write(OK) : socket.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\npart', () => setTimeout(() => socket.resetAndDestroy(), 20)),
    );
    servers.push(server);
    const client = new RawClient({ concurrency: 1 });
    try {
      await client.send({ method: 'GET', url: `${url}/a` });
      const res = await client.send({ method: 'POST', url: `${url}/b`, body: '{}' });

      expect([res.failure, res.retriedStale]).toEqual(['reset', undefined]);
      expect(connections()).toBe(1);
    } finally {
      client.close();
    }
  });
});
