// The HTTP/1.1 pool against real servers on 127.0.0.1: node:http, and raw TCP servers that misbehave on
// purpose (close a kept-alive connection as a request arrives, never answer).

import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HTTP_ERROR, type Http1Exchange } from '../../src/backends/http/http1-exchange.js';
import { Http1Pool } from '../../src/backends/http/http1-pool.js';

/** A request and what came back. */
class TestExchange implements Http1Exchange {
  readonly requestHead: string;
  readonly isHeadRequest: boolean;
  readonly isIdempotent: boolean;
  status = 0;
  body = '';
  errorCode = '';
  readonly done: Promise<void>;
  private resolve!: () => void;

  constructor(
    method: string,
    path: string,
    readonly requestBody: Buffer | null = null,
  ) {
    const length = requestBody === null ? '' : `content-length: ${requestBody.length}\r\n`;
    this.requestHead = `${method} ${path} HTTP/1.1\r\nhost: test\r\n${length}\r\n`;
    this.isHeadRequest = method === 'HEAD';
    this.isIdempotent = method !== 'POST';
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }

  onResponseHead(status: number): void {
    this.status = status;
  }
  onResponseBody(chunk: Buffer): void {
    this.body += chunk.toString();
  }
  onResponseEnd(): void {
    this.resolve();
  }
  onRequestError(code: string): void {
    this.errorCode = code;
    this.resolve();
  }
}

async function run(pool: Http1Pool, exchange: TestExchange): Promise<TestExchange> {
  pool.dispatch(exchange);
  await exchange.done;
  return exchange;
}

async function listen(server: HttpServer | TcpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return `http://127.0.0.1:${address.port}`;
}

describe('HTTP/1.1 pool against node:http', () => {
  let server: HttpServer;
  let origin: string;
  const sockets = new Set<unknown>();
  let inFlight = 0;
  let maxInFlight = 0;

  before(async () => {
    server = createHttpServer((req, res) => {
      sockets.add(req.socket);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        // Answer a little later so that requests overlap.
        setTimeout(() => {
          inFlight--;
          if (req.url === '/chunked') {
            res.writeHead(200, { 'content-type': 'text/plain' }); // no length: node:http sends it chunked
            res.write('part one, ');
            res.end('part two');
          } else if (req.url === '/close') {
            res.writeHead(200, { connection: 'close', 'content-length': '5' }).end('bye!!');
          } else {
            const body = `${req.method} ${req.url} ${Buffer.concat(chunks).length}`;
            res.writeHead(200, { 'content-length': String(body.length) }).end(req.method === 'HEAD' ? undefined : body);
          }
        }, 5);
      });
    });
    origin = await listen(server);
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('keeps at most `connections` requests in flight and completes every queued one in order', async () => {
    sockets.clear();
    maxInFlight = 0;
    const pool = new Http1Pool(origin, { connections: 2, timeoutMs: 5000 });
    try {
      const exchanges = Array.from({ length: 12 }, (_, i) => new TestExchange('GET', `/n${i}`));
      for (const exchange of exchanges) pool.dispatch(exchange);
      await Promise.all(exchanges.map((exchange) => exchange.done));
      assert.deepEqual(
        exchanges.map((exchange) => exchange.body),
        exchanges.map((_, i) => `GET /n${i} 0`),
      );
      assert.equal(sockets.size, 2, 'two connections, each reused');
      assert.equal(maxInFlight, 2);
    } finally {
      await pool.close();
    }
  });

  it('sends bodies, reads chunked bodies and HEAD responses, and follows Connection: close', async () => {
    const pool = new Http1Pool(origin, { connections: 1, timeoutMs: 5000 });
    try {
      const put = await run(pool, new TestExchange('PUT', '/p', Buffer.alloc(70_000, 1)));
      assert.equal(put.body, 'PUT /p 70000');
      assert.equal((await run(pool, new TestExchange('GET', '/chunked'))).body, 'part one, part two');
      const head = await run(pool, new TestExchange('HEAD', '/h'));
      assert.equal(head.status, 200);
      assert.equal(head.body, '');
      sockets.clear();
      assert.equal((await run(pool, new TestExchange('GET', '/close'))).body, 'bye!!');
      assert.equal((await run(pool, new TestExchange('GET', '/after'))).body, 'GET /after 0');
      assert.equal(sockets.size, 2, 'the request after Connection: close went on a new connection');
    } finally {
      await pool.close();
    }
  });

  it('close() fails requests still waiting for a connection', async () => {
    const pool = new Http1Pool(origin, { connections: 1, timeoutMs: 5000 });
    const first = new TestExchange('GET', '/a');
    const waiting = new TestExchange('GET', '/b');
    pool.dispatch(first);
    pool.dispatch(waiting);
    await pool.close();
    await Promise.all([first.done, waiting.done]);
    assert.equal(first.errorCode, HTTP_ERROR.poolClosed);
    assert.equal(waiting.errorCode, HTTP_ERROR.poolClosed);
    const late = await run(pool, new TestExchange('GET', '/c'));
    assert.equal(late.errorCode, HTTP_ERROR.poolClosed);
  });
});

describe('HTTP/1.1 pool against misbehaving servers', () => {
  let server: TcpServer;
  let origin: string;
  let connections = 0;

  before(async () => {
    // Answers the first request of each connection; closes the connection when a second one arrives,
    // without answering: what a server does when its keep-alive timeout strikes as the request lands.
    // Requests for /hang are never answered.
    server = createTcpServer((socket: Socket) => {
      connections++;
      let requests = 0;
      socket.on('data', (data: Buffer) => {
        if (data.toString('latin1').includes('/hang')) return;
        requests++;
        if (requests === 1) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
        else socket.destroy();
      });
      socket.on('error', () => {});
    });
    origin = await listen(server);
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('an idempotent request that meets a kept-alive connection closing runs again on a new one', async () => {
    const pool = new Http1Pool(origin, { connections: 1, timeoutMs: 5000 });
    try {
      connections = 0;
      assert.equal((await run(pool, new TestExchange('GET', '/one'))).body, 'ok');
      const second = await run(pool, new TestExchange('GET', '/two'));
      assert.equal(second.errorCode, '');
      assert.equal(second.body, 'ok');
      assert.equal(connections, 2);
    } finally {
      await pool.close();
    }
  });

  it('a POST in the same case fails instead (it may have been acted on)', async () => {
    const pool = new Http1Pool(origin, { connections: 1, timeoutMs: 5000 });
    try {
      assert.equal((await run(pool, new TestExchange('POST', '/one'))).body, 'ok');
      const second = await run(pool, new TestExchange('POST', '/two'));
      assert.ok([HTTP_ERROR.connectionClosed, 'ECONNRESET', 'EPIPE'].includes(second.errorCode), second.errorCode);
      assert.equal(second.status, 0);
    } finally {
      await pool.close();
    }
  });

  it('a request with no answer fails with a timeout after about its timeout', async () => {
    const timeoutMs = 200;
    const pool = new Http1Pool(origin, { connections: 1, timeoutMs });
    try {
      const startMs = Date.now();
      const hung = await run(pool, new TestExchange('GET', '/hang'));
      const elapsedMs = Date.now() - startMs;
      assert.equal(hung.errorCode, HTTP_ERROR.responseTimeout);
      assert.ok(elapsedMs >= timeoutMs && elapsedMs < 3 * timeoutMs, `${elapsedMs} ms`);
    } finally {
      await pool.close();
    }
  });

  it('nothing listening: ECONNREFUSED', async () => {
    const closed = createTcpServer();
    const deadOrigin = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const pool = new Http1Pool(deadOrigin, { connections: 1, timeoutMs: 5000 });
    try {
      assert.equal((await run(pool, new TestExchange('GET', '/x'))).errorCode, 'ECONNREFUSED');
    } finally {
      await pool.close();
    }
  });
});
