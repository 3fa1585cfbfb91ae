// What the HTTP/1.1 pool needs from a request and its handler: the S3 store's Exchange implements this
// (one object per in-flight operation, reused), so a request costs the pool no allocation of its own.

export interface Http1Exchange {
  /** Request line and header lines, ending with the empty line: "GET /b/k HTTP/1.1\r\nhost: h\r\n...\r\n\r\n". */
  readonly requestHead: string;
  /** The body, written after the head (views are written as they are, never copied). */
  readonly requestBody: Buffer | readonly Buffer[] | null;
  /** A HEAD request: its response has headers only. */
  readonly isHeadRequest: boolean;
  /** Safe to send twice (GET, HEAD, PUT, DELETE): may be re-sent after a stale keep-alive connection failed it. */
  readonly isIdempotent: boolean;
  onResponseHead(status: number, contentLength: number, headerLines: string): void;
  onResponseBody(chunk: Buffer): void;
  onResponseEnd(): void;
  /** The exchange failed without a complete response; `code` is a Node system error code or one of HTTP_ERROR. */
  onRequestError(code: string, message: string): void;
}

/** Error codes of failures the pool detects itself (system errors keep Node's codes: ECONNREFUSED, ...). */
export const HTTP_ERROR = {
  /** No connection within the timeout. */
  connectTimeout: 'IOFLEET_CONNECT_TIMEOUT',
  /** Connected, but no response bytes (or no further bytes) within the timeout. */
  responseTimeout: 'IOFLEET_RESPONSE_TIMEOUT',
  /** The server closed the connection before the response was complete. */
  connectionClosed: 'IOFLEET_CONNECTION_CLOSED',
  /** The response was not readable HTTP/1.x. */
  protocol: 'IOFLEET_HTTP_PROTOCOL',
  /** The pool was closed (end of run) with the request still waiting or in flight. */
  poolClosed: 'IOFLEET_POOL_CLOSED',
} as const;
