// A keep-alive HTTP/1.1 connection pool for one origin: iofleet's own client for the S3 hot path.
//
// Why not undici (used until this was measured): 4 KiB GETs against RGW from one thread, client CPU per
// request, same run: a bare net.Socket loop writing a fixed request and reading the response 40 µs
// (19 user + 21 system), undici's dispatch() 55 µs (34 + 21), iofleet's S3 store over undici 64 µs. The
// kernel's share is the same for all; undici's ~15 µs of user time per request is its general machinery
// (request objects, header validation, its llhttp WASM parser's callbacks, per-request timers). This pool
// does only what an S3 benchmark needs: one request per connection at a time, a request head made by the
// caller as one string, a parser that reads only the framing headers (http1-response-parser.ts).
//
// Connections are opened on demand up to `connections` and reused most-recently-released first; requests
// beyond that wait in FIFO order. Timeouts use one coarse timer per pool rather than one per request
// (as undici's own timer wheel does): every quarter of the timeout it checks each busy connection for
// bytes moved, so a timeout fires between 1× and 1.25× its setting.

import * as net from 'node:net';
import { HTTP_ERROR, type Http1Exchange } from './http1-exchange.js';
import { Http1Connection, type ConnectionOwner, type Http1Origin } from './http1-connection.js';

export interface Http1PoolOptions {
  /** Most connections open at once. */
  connections: number;
  /** No progress (connect, send, response bytes) for this long fails the request. */
  timeoutMs: number;
  /** TLS server name when it differs from the origin's host (virtual-host S3). */
  servername?: string;
}

/** Bounds of the timeout timer's period. */
const MIN_TICK_MS = 10;
const MAX_TICK_MS = 1000;

export class Http1Pool implements ConnectionOwner {
  private readonly origin: Http1Origin;
  private readonly maxConnections: number;
  private readonly timeoutMs: number;
  private readonly open = new Set<Http1Connection>();
  private readonly idle: Http1Connection[] = [];
  private readonly waiting: Http1Exchange[] = [];
  private waitingHead = 0;
  private timer: NodeJS.Timeout | null = null;
  private isClosed = false;

  constructor(origin: string, options: Http1PoolOptions) {
    const url = new URL(origin);
    const isTls = url.protocol === 'https:';
    // URL keeps IPv6 literals in brackets; sockets want them bare.
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.origin = {
      hostname,
      port: url.port === '' ? (isTls ? 443 : 80) : Number(url.port),
      isTls,
      // SNI carries host names only (RFC 6066 §3), never an address.
      servername: options.servername ?? (net.isIP(hostname) === 0 ? hostname : ''),
    };
    this.maxConnections = Math.max(1, options.connections);
    this.timeoutMs = options.timeoutMs;
  }

  /** Sends the exchange's request on an idle connection, a new one, or when one frees up. */
  dispatch(exchange: Http1Exchange): void {
    if (this.isClosed) {
      exchange.onRequestError(HTTP_ERROR.poolClosed, 'the connection pool is closed');
      return;
    }
    const connection = this.idle.pop();
    if (connection !== undefined) {
      connection.send(exchange, Date.now());
    } else if (this.open.size < this.maxConnections) {
      this.connect().send(exchange, Date.now());
    } else {
      this.waiting.push(exchange);
    }
  }

  /** Closes every connection; requests in flight or waiting fail with HTTP_ERROR.poolClosed. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const connection of [...this.open]) connection.close(HTTP_ERROR.poolClosed, 'the connection pool is closed');
    for (let exchange = this.nextWaiting(); exchange !== undefined; exchange = this.nextWaiting()) {
      exchange.onRequestError(HTTP_ERROR.poolClosed, 'the connection pool is closed');
    }
  }

  // ---- ConnectionOwner ----

  release(connection: Http1Connection): void {
    const next = this.nextWaiting();
    if (next !== undefined) connection.send(next, Date.now());
    else this.idle.push(connection);
  }

  remove(connection: Http1Connection): void {
    this.open.delete(connection);
    const at = this.idle.lastIndexOf(connection);
    if (at >= 0) {
      this.idle[at] = this.idle[this.idle.length - 1]!;
      this.idle.pop();
    }
    if (this.isClosed) return;
    // A waiting request takes the freed place.
    const next = this.nextWaiting();
    if (next !== undefined) this.connect().send(next, Date.now());
  }

  retry(exchange: Http1Exchange): void {
    this.dispatch(exchange);
  }

  // ---- internals ----

  private connect(): Http1Connection {
    const connection = new Http1Connection(this.origin, this);
    this.open.add(connection);
    if (this.timer === null) {
      const tickMs = Math.min(MAX_TICK_MS, Math.max(MIN_TICK_MS, Math.floor(this.timeoutMs / 4)));
      this.timer = setInterval(() => this.checkTimeouts(), tickMs);
      this.timer.unref(); // an idle pool must not keep the process alive
    }
    return connection;
  }

  private checkTimeouts(): void {
    const nowMs = Date.now();
    for (const connection of this.open) connection.checkProgress(nowMs, this.timeoutMs);
  }

  private nextWaiting(): Http1Exchange | undefined {
    if (this.waitingHead === this.waiting.length) return undefined;
    const exchange = this.waiting[this.waitingHead++];
    if (this.waitingHead === this.waiting.length) {
      this.waiting.length = 0;
      this.waitingHead = 0;
    }
    return exchange;
  }
}
