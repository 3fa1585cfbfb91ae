// One keep-alive HTTP/1.1 connection of an Http1Pool: a socket, its response parser and the exchange in
// flight on it (one at a time, no pipelining). A request is written with one socket write of its head
// (and, for a body, one corked batch of views); the response is parsed from the socket's own chunks.
// Plain TCP reads into one buffer shared by every connection of the thread (net's `onread`): no Buffer
// per read and no Readable stream machinery (push, 'data' events) per response. Nothing downstream may
// keep a reference to a chunk after its callback returns; whatever must outlive it is copied.
//
// A request that fails on a connection that had already carried one, before any byte of the response
// arrived, with the socket reset or closed, is most likely a keep-alive connection the server closed
// while it sat idle: the request is handed back to the pool to run again on another connection (as Go's
// net/http does), if it is idempotent. Anything else is reported to the exchange.

import * as net from 'node:net';
import * as tls from 'node:tls';
import { alignedScratch } from '../aligned-scratch.js';
import { HTTP_ERROR, type Http1Exchange } from './http1-exchange.js';
import { HttpProtocolError, Http1ResponseParser, type ResponseSink } from './http1-response-parser.js';

export interface Http1Origin {
  hostname: string;
  port: number;
  isTls: boolean;
  /** TLS server name (virtual-host S3: bucket.host; '' for none); ignored without TLS. */
  servername: string;
}

/** The pool, as its connections see it. */
export interface ConnectionOwner {
  /** The response ended and the connection can carry another request. */
  release(connection: Http1Connection): void;
  /** The connection is closed; forget it. */
  remove(connection: Http1Connection): void;
  /** Run this exchange again on another connection (a stale keep-alive connection failed it). */
  retry(exchange: Http1Exchange): void;
}

/** Bytes one read may take; the same as Node's own socket reads. */
const READ_BUFFER_BYTES = 64 * 1024;
/** The thread's socket read buffer, shared by its plain TCP connections (their reads run one at a time). */
let threadReadBuffer: Buffer | undefined;

const STALE_CONNECTION_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', HTTP_ERROR.connectionClosed]);

export class Http1Connection implements ResponseSink {
  private readonly socket: net.Socket;
  private readonly parser: Http1ResponseParser = new Http1ResponseParser(this);
  private exchange: Http1Exchange | null = null;
  private requestCount = 0;
  private hasResponseBytes = false;
  /** Set by the parser's end callback, acted on once the parser has returned (never re-entered). */
  private hasResponseEnded = false;
  private isReusable = true;
  private isConnected = false;
  private isClosed = false;
  /** Timeout bookkeeping, updated by the pool's coarse timer (see checkProgress). */
  private lastProgressMs = 0;
  private lastMovedBytes = 0;

  constructor(
    origin: Http1Origin,
    private readonly owner: ConnectionOwner,
  ) {
    this.socket = origin.isTls
      ? tls.connect({
          host: origin.hostname,
          port: origin.port,
          ALPNProtocols: ['http/1.1'],
          ...(origin.servername === '' ? {} : { servername: origin.servername }),
        })
      : net.connect({ host: origin.hostname, port: origin.port, onread: { buffer: (threadReadBuffer ??= alignedScratch(READ_BUFFER_BYTES)), callback: (bytes) => this.onSocketRead(bytes) } });
    this.socket.setNoDelay(true);
    this.socket.on(origin.isTls ? 'secureConnect' : 'connect', () => {
      this.isConnected = true;
    });
    if (origin.isTls) this.socket.on('data', (chunk: Buffer) => this.onSocketData(chunk)); // TLS has no onread
    this.socket.on('end', () => this.onSocketEnd());
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.fail(error.code ?? '', error.message));
    this.socket.on('close', () => this.fail(HTTP_ERROR.connectionClosed, 'the server closed the connection'));
  }

  /** Writes the exchange's request; the socket queues it until connected. */
  send(exchange: Http1Exchange, nowMs: number): void {
    this.exchange = exchange;
    this.requestCount++;
    this.hasResponseBytes = false;
    this.hasResponseEnded = false;
    this.lastProgressMs = nowMs;
    this.parser.begin(exchange.isHeadRequest);
    const socket = this.socket;
    const body = exchange.requestBody;
    if (body === null) {
      socket.write(exchange.requestHead, 'latin1');
      return;
    }
    // One writev for head and body views.
    socket.cork();
    socket.write(exchange.requestHead, 'latin1');
    if (Buffer.isBuffer(body)) socket.write(body);
    else for (let i = 0; i < body.length; i++) socket.write(body[i]!);
    socket.uncork();
  }

  /**
   * Called by the pool's timer: fails the exchange when no byte moved either way for `timeoutMs`
   * (connect, request upload, wait for the response, and each gap in the response body alike).
   */
  checkProgress(nowMs: number, timeoutMs: number): void {
    if (this.exchange === null || this.isClosed) return;
    const socket = this.socket;
    // bytesWritten counts bytes still queued in the socket; take them off to see what really went out.
    const moved = socket.bytesRead + socket.bytesWritten - socket.writableLength;
    if (moved !== this.lastMovedBytes) {
      this.lastMovedBytes = moved;
      this.lastProgressMs = nowMs;
    } else if (nowMs - this.lastProgressMs >= timeoutMs) {
      const seconds = (timeoutMs / 1000).toFixed(1);
      if (this.isConnected) this.fail(HTTP_ERROR.responseTimeout, `no response progress for ${seconds} s`);
      else this.fail(HTTP_ERROR.connectTimeout, `not connected after ${seconds} s`);
    }
  }

  /** Closes the connection; an exchange in flight fails with `code`. */
  close(code: string, message: string): void {
    this.fail(code, message);
  }

  // ---- ResponseSink (called from inside parser.execute) ----

  onResponseHead(status: number, contentLength: number, headerLines: string): void {
    this.exchange!.onResponseHead(status, contentLength, headerLines);
  }

  onResponseBody(chunk: Buffer): void {
    this.exchange!.onResponseBody(chunk);
  }

  onResponseEnd(keepAlive: boolean): void {
    this.hasResponseEnded = true;
    this.isReusable = keepAlive;
  }

  // ---- socket events ----

  private onSocketRead(bytes: number): boolean {
    this.onSocketData(threadReadBuffer!.subarray(0, bytes));
    return true;
  }

  private onSocketData(chunk: Buffer): void {
    if (this.exchange === null) {
      // Bytes nobody asked for: the connection's framing can no longer be trusted.
      this.fail(HTTP_ERROR.protocol, 'data received with no request in flight');
      return;
    }
    this.hasResponseBytes = true;
    let used: number;
    try {
      used = this.parser.execute(chunk);
    } catch (error) {
      this.fail(HTTP_ERROR.protocol, error instanceof HttpProtocolError ? error.message : String(error));
      return;
    }
    if (this.hasResponseEnded) {
      if (used < chunk.length) this.isReusable = false; // more than one response's worth of bytes
      this.complete();
    }
  }

  private onSocketEnd(): void {
    if (this.exchange !== null && this.parser.isActive && this.parser.endsWithConnection) {
      this.parser.finishAtClose();
      this.complete();
      return;
    }
    this.fail(HTTP_ERROR.connectionClosed, 'the server closed the connection');
  }

  /** The response is complete: the connection goes back to the pool (or closes), then the exchange ends. */
  private complete(): void {
    const exchange = this.exchange!;
    this.exchange = null;
    if (this.isReusable && !this.isClosed) {
      this.owner.release(this);
    } else {
      this.isClosed = true;
      this.socket.destroy();
      this.owner.remove(this);
    }
    exchange.onResponseEnd();
  }

  private fail(code: string, message: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.socket.destroy();
    this.owner.remove(this);
    const exchange = this.exchange;
    if (exchange === null) return;
    this.exchange = null;
    const isStale = this.requestCount > 1 && !this.hasResponseBytes && STALE_CONNECTION_CODES.has(code);
    if (isStale && exchange.isIdempotent) this.owner.retry(exchange);
    else exchange.onRequestError(code, message);
  }
}
