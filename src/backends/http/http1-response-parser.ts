// An incremental HTTP/1.1 response parser for one keep-alive connection (RFC 9112), made for the S3
// hot path: the bytes of a response arrive in any number of chunks, and the parser calls its sink with
// the status and header block once, then with each body chunk (a subarray of the input, never copied),
// then once at the end. Framing follows RFC 9112 §6.3: no body for HEAD, 1xx, 204 and 304; chunked
// transfer coding wins over Content-Length; otherwise Content-Length; otherwise the body runs to the end
// of the connection. Interim 1xx responses are skipped.
//
// The header block is handed over as one latin1 string ("name: value\r\n" lines) rather than a list of
// name/value pairs: a 4 KiB GET needs nothing from it but the framing headers, which the parser reads
// itself, so the hot path makes one string per response and no pair objects. `headerValue()` finds any
// other header when a caller needs one (redirects, ETag).

import { HTTP_ERROR } from './http1-exchange.js';

export interface ResponseSink {
  /** The final status, the Content-Length (-1 when absent or chunked) and the header lines. */
  onResponseHead(status: number, contentLength: number, headerLines: string): void;
  onResponseBody(chunk: Buffer): void;
  /** The response is complete; `keepAlive`: the connection may carry another request. */
  onResponseEnd(keepAlive: boolean): void;
}

/** A response that is not HTTP/1.x, or is framed in a way that cannot be read. */
export class HttpProtocolError extends Error {
  readonly code = HTTP_ERROR.protocol;
}

/** Longest status line plus header block accepted (S3 responses carry well under 2 KiB). */
const MAX_HEAD_BYTES = 64 * 1024;

const STATE = {
  head: 0,
  lengthBody: 1,
  chunkSize: 2,
  chunkExtension: 3,
  chunkSizeLf: 4,
  chunkData: 5,
  chunkDataCr: 6,
  chunkDataLf: 7,
  trailers: 8,
  untilClose: 9,
  done: 10,
} as const;
type State = (typeof STATE)[keyof typeof STATE];

const CR = 13;
const LF = 10;

export class Http1ResponseParser {
  private state: State = STATE.done;
  private isHeadRequest = false;
  private keepAlive = true;
  /** Head bytes of a head that spans chunks (rare: a head normally arrives in one segment). */
  private pendingHead: Buffer | null = null;
  /** Body bytes (Content-Length) or chunk bytes still to come. */
  private remaining = 0;
  private chunkSizeDigits = 0;
  /** Trailer section: bytes of the current trailer line seen so far, CR excluded (0 at a line start). */
  private trailerLineBytes = 0;

  constructor(private readonly sink: ResponseSink) {}

  /** Expects the response to a new request; `isHeadRequest`: a HEAD, whose response has no body. */
  begin(isHeadRequest: boolean): void {
    this.state = STATE.head;
    this.isHeadRequest = isHeadRequest;
    this.keepAlive = true;
    this.pendingHead = null;
  }

  /** True from `begin()` until the response ended. */
  get isActive(): boolean {
    return this.state !== STATE.done;
  }

  /** True when the response so far is delimited by the end of the connection. */
  get endsWithConnection(): boolean {
    return this.state === STATE.untilClose;
  }

  /**
   * Feeds received bytes. Returns the number of bytes that belonged to the response (all of them
   * unless it ended inside this chunk). Throws HttpProtocolError on a malformed response.
   */
  execute(chunk: Buffer): number {
    let at = 0;
    while (at < chunk.length && this.state !== STATE.done) {
      switch (this.state) {
        case STATE.head:
          at = this.readHead(chunk, at);
          break;
        case STATE.lengthBody: {
          const take = Math.min(this.remaining, chunk.length - at);
          this.sink.onResponseBody(take === chunk.length ? chunk : chunk.subarray(at, at + take));
          at += take;
          this.remaining -= take;
          if (this.remaining === 0) this.end();
          break;
        }
        case STATE.chunkData: {
          const take = Math.min(this.remaining, chunk.length - at);
          this.sink.onResponseBody(chunk.subarray(at, at + take));
          at += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = STATE.chunkDataCr;
          break;
        }
        case STATE.untilClose:
          this.sink.onResponseBody(at === 0 ? chunk : chunk.subarray(at));
          at = chunk.length;
          break;
        default:
          at = this.readChunkFraming(chunk, at);
          break;
      }
    }
    return at;
  }

  /** The connection ended: completes a body delimited by the close; false if a response was cut short. */
  finishAtClose(): boolean {
    if (this.state !== STATE.untilClose) return this.state === STATE.done;
    this.keepAlive = false;
    this.end();
    return true;
  }

  private end(): void {
    this.state = STATE.done;
    this.sink.onResponseEnd(this.keepAlive);
  }

  /** Reads status line and headers from `at`; returns where the body starts (or chunk.length). */
  private readHead(chunk: Buffer, at: number): number {
    let bytes: Buffer;
    let searchFrom: number;
    let offsetInChunk: number; // position of bytes[0] in chunk (negative when pending bytes come first)
    if (this.pendingHead === null) {
      bytes = chunk;
      searchFrom = at;
      offsetInChunk = 0;
    } else {
      const pending = this.pendingHead;
      bytes = Buffer.concat([pending, chunk.subarray(at)]);
      searchFrom = Math.max(0, pending.length - 3);
      offsetInChunk = at - pending.length;
      at = 0;
    }
    const headEnd = bytes.indexOf('\r\n\r\n', searchFrom, 'latin1');
    if (headEnd < 0) {
      if (bytes.length - at > MAX_HEAD_BYTES) throw new HttpProtocolError(`response head longer than ${MAX_HEAD_BYTES} bytes`);
      this.pendingHead = Buffer.from(bytes.subarray(at)); // a copy: the socket may reuse its buffer
      return chunk.length;
    }
    this.pendingHead = null;
    this.parseHead(bytes.toString('latin1', at, headEnd + 2));
    return headEnd + 4 + offsetInChunk;
  }

  private parseHead(head: string): void {
    // "HTTP/1.1 200 OK\r\n": version at 5..7, status at 9..11.
    const lineEnd = head.indexOf('\r\n');
    if (lineEnd < 12 || !head.startsWith('HTTP/1.') || head.charCodeAt(8) !== 32) {
      throw new HttpProtocolError(`not an HTTP/1.x status line: ${JSON.stringify(head.slice(0, Math.max(0, Math.min(lineEnd, 80))))}`);
    }
    const status = Number(head.slice(9, 12));
    if (!Number.isInteger(status) || status < 100) throw new HttpProtocolError(`bad status in ${JSON.stringify(head.slice(0, lineEnd))}`);
    const isHttp10 = head.charCodeAt(7) === 48; // "HTTP/1.0"
    const headerLines = head.slice(lineEnd + 2);
    if (status < 200 && status !== 101) return; // interim response: the final one follows (state stays head)

    let contentLength = -1;
    let isChunked = false;
    let connection = '';
    for (let start = 0; start < headerLines.length; ) {
      let end = headerLines.indexOf('\r\n', start);
      if (end < 0) end = headerLines.length;
      const colon = headerLines.indexOf(':', start);
      if (colon > start && colon < end) {
        const nameLength = colon - start;
        // Only three names matter for framing; compare them only when the length matches.
        if (nameLength === 14 || nameLength === 17 || nameLength === 10) {
          const name = headerLines.slice(start, colon).toLowerCase();
          const value = headerLines.slice(colon + 1, end).trim();
          if (name === 'content-length') {
            contentLength = parseDecimal(value);
            if (contentLength < 0) throw new HttpProtocolError(`bad Content-Length "${value}"`);
          } else if (name === 'transfer-encoding') {
            isChunked = value.toLowerCase().endsWith('chunked');
          } else if (name === 'connection') {
            connection = value.toLowerCase();
          }
        }
      }
      start = end + 2;
    }
    this.keepAlive = isHttp10 ? connection.includes('keep-alive') : !connection.includes('close');
    this.sink.onResponseHead(status, isChunked ? -1 : contentLength, headerLines);
    if (this.isHeadRequest || status === 204 || status === 304) {
      this.end();
    } else if (isChunked) {
      this.state = STATE.chunkSize;
      this.chunkSizeDigits = 0;
      this.remaining = 0;
    } else if (contentLength >= 0) {
      this.remaining = contentLength;
      if (contentLength === 0) this.end();
      else this.state = STATE.lengthBody;
    } else {
      this.keepAlive = false;
      this.state = STATE.untilClose;
    }
  }

  /** The framing bytes of the chunked coding: sizes, extensions, CRLFs and the trailer section. */
  private readChunkFraming(chunk: Buffer, at: number): number {
    while (at < chunk.length) {
      const byte = chunk[at]!;
      switch (this.state) {
        case STATE.chunkSize: {
          const digit = hexDigit(byte);
          if (digit >= 0) {
            if (++this.chunkSizeDigits > 12) throw new HttpProtocolError('chunk size too large');
            this.remaining = this.remaining * 16 + digit;
          } else if (this.chunkSizeDigits === 0) {
            throw new HttpProtocolError('bad chunk size');
          } else if (byte === CR) {
            this.state = STATE.chunkSizeLf;
          } else if (byte === 59 /* ; */ || byte === 32 || byte === 9) {
            this.state = STATE.chunkExtension;
          } else {
            throw new HttpProtocolError('bad chunk size');
          }
          break;
        }
        case STATE.chunkExtension:
          if (byte === CR) this.state = STATE.chunkSizeLf;
          break;
        case STATE.chunkSizeLf:
          if (byte !== LF) throw new HttpProtocolError('bad chunk size line');
          if (this.remaining === 0) {
            this.state = STATE.trailers;
            this.trailerLineBytes = 0;
          } else {
            this.state = STATE.chunkData;
          }
          return at + 1;
        case STATE.chunkDataCr:
          if (byte !== CR) throw new HttpProtocolError('chunk data longer than its size');
          this.state = STATE.chunkDataLf;
          break;
        case STATE.chunkDataLf:
          if (byte !== LF) throw new HttpProtocolError('chunk data longer than its size');
          this.state = STATE.chunkSize;
          this.chunkSizeDigits = 0;
          this.remaining = 0;
          break;
        case STATE.trailers:
          // Trailer lines are skipped; an empty line ends the response (CR is not counted, so a bare
          // LF line ending is accepted too).
          if (byte === LF) {
            if (this.trailerLineBytes === 0) {
              this.end();
              return at + 1;
            }
            this.trailerLineBytes = 0;
          } else if (byte !== CR) {
            this.trailerLineBytes++;
          }
          break;
        default:
          return at;
      }
      at++;
    }
    return at;
  }
}

/** A string of decimal digits as a number; -1 for anything else (signs, spaces, empty). */
function parseDecimal(text: string): number {
  if (text.length === 0 || text.length > 15) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function hexDigit(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  const lower = byte | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/** The value of header `lowerCaseName` in a header block from the parser; '' when absent. */
export function headerValue(headerLines: string, lowerCaseName: string): string {
  for (let start = 0; start < headerLines.length; ) {
    let end = headerLines.indexOf('\r\n', start);
    if (end < 0) end = headerLines.length;
    const colon = headerLines.indexOf(':', start);
    if (colon - start === lowerCaseName.length && colon < end && headerLines.slice(start, colon).toLowerCase() === lowerCaseName) {
      return headerLines.slice(colon + 1, end).trim();
    }
    start = end + 2;
  }
  return '';
}
