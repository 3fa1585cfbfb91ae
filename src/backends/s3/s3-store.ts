// The S3 backend: one bucket (and key prefix) on one endpoint, spoken to over iofleet's own HTTP/1.1
// connection pool (../http/http1-pool.ts, which says why not undici) with our own SigV4.
//
// Hot path (get/put/list/stat/delete): each in-flight operation borrows an Exchange from a free list. An
// Exchange is both the request (its head as one string, its body as pattern views) and the response
// handler, reused for the life of the store, so an operation allocates only the request head and the
// signature strings. Response bodies are consumed chunk by chunk and never copied: GET chunks are
// compared against the data pattern in place and dropped.
//
// Request layout (path style):    GET /{bucket}/{prefix}{key}      Host: endpoint host
//                (virtual host):  GET /{prefix}{key}               Host: {bucket}.{endpoint host}
// Both connect to the endpoint itself (one pool per endpoint origin): virtual-host style is told apart by
// the Host header (and TLS server name) only, so it needs no wildcard DNS record for bucket.host.
//
// Set-up calls (open, deleteMany, exists) and the steps of a multipart upload use the same Exchange in
// "raw" mode: the caller awaits it and reads status, headers and body before releasing it.

import { createHash } from 'node:crypto';
import { IofleetError } from '../../errors.js';
import { BLOCK_BYTES } from '../../workload/data-pattern.js';
import type { DataPattern } from '../../workload/data-pattern.js';
import type { Http1Exchange } from '../http/http1-exchange.js';
import { Http1Pool } from '../http/http1-pool.js';
import { headerValue } from '../http/http1-response-parser.js';
import type { DeleteRequest, IoSlot, ObjectStore } from '../object-store.js';
import { OUTCOME, outcomeForHttpStatus, outcomeForSystemError } from '../outcome.js';
import { deleteObjectsResult } from './delete-objects-result.js';
import { escapeXml, listKeyCount, s3ErrorCode, s3ErrorCodeOfText, xmlElementText } from './s3-xml.js';
import { SigV4Signer, UNSIGNED_PAYLOAD, encodeRfc3986, formatAmzDate } from './sigv4.js';

export interface S3StoreOptions {
  /** Origin, e.g. http://127.0.0.1:7480 (no path). */
  endpoint: string;
  bucket: string;
  /** Namespace root inside the bucket: "" or ending with "/", e.g. "run1/". */
  prefix: string;
  region: string;
  /** false: virtual-host style (bucket.host). */
  pathStyle: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  connections: number;
  /** Request timeout: no progress (connecting, sending, receiving) for this long fails the request. */
  timeoutMs: number;
  /** PUTs of at least this size use a multipart upload. */
  multipartThresholdBytes: number;
  multipartPartBytes: number;
}

export function createS3Store(options: S3StoreOptions): ObjectStore {
  return new S3Store(options);
}

/** What an Exchange does when the response ends: fill an IoSlot (hot path), or just wake its caller. */
const MODE = { raw: 0, get: 1, put: 2, stat: 3, delete: 4, list: 5 } as const;
type Mode = (typeof MODE)[keyof typeof MODE];

/** Error documents are short; keep at most this much of one to find its <Code>. */
const ERROR_BODY_LIMIT_BYTES = 64 * 1024;
/** S3 DeleteObjects accepts at most 1000 keys per call. */
const DELETE_BATCH_KEYS = 1000;
/** deleteMany batches in flight at once: enough to hide one batch's latency, few enough for a shared gateway. */
const DELETE_BATCHES_IN_FLIGHT = 4;

// A request body: one pattern window, or (objects above BLOCK_BYTES) a sequence of them, written in turn.
type RequestBody = Buffer | Buffer[];

type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';

class Exchange implements Http1Exchange {
  // ---- request ----
  /** Request line and header lines so far; `start()` adds the empty line that ends the head. */
  headerText = '';
  requestHead = '';
  requestBody: RequestBody | null = null;
  isHeadRequest = false;
  isIdempotent = true;
  mode: Mode = MODE.raw;
  slot: IoSlot | null = null;

  // ---- response ----
  status = 0;
  /** Content-Length response header; -1 when absent. Parsed for stat and raw exchanges only. */
  contentLength = -1;
  /** ETag response header (raw exchanges: UploadPart). */
  etag = '';
  /** Payload bytes received with a 2xx status. */
  receivedBytes = 0;
  /** Object offset of the first body byte, for verification of ranged reads. */
  bodyOffsetBytes = 0;
  isMismatch = false;
  /** Body chunks kept: list pages, error documents, raw exchanges. */
  readonly chunks: Buffer[] = [];
  chunkBytes = 0;
  /** Set when the exchange ended without a complete response (err.code, or '' when the error had none). */
  errorCode: string | undefined = undefined;
  errorMessage = '';
  /** 3xx responses only: the Location and x-amz-bucket-region headers ('' when absent). */
  location = '';
  bucketRegion = '';
  /** Hot-path exchanges of a store that follows redirects: re-runs the op elsewhere (see S3Store). */
  followRedirect: ((slot: IoSlot, mode: Mode, location: string, region: string) => Promise<void>) | null = null;

  private resolve: (() => void) | null = null;
  // One bound executor per Exchange instead of a closure per operation.
  readonly executor = (resolve: () => void): void => {
    this.resolve = resolve;
  };

  constructor(private readonly free: Exchange[]) {}

  /** Clears the response state and the headers; returns this for chaining. */
  reset(mode: Mode, slot: IoSlot | null): this {
    this.mode = mode;
    this.slot = slot;
    this.status = 0;
    this.contentLength = -1;
    this.etag = '';
    this.receivedBytes = 0;
    this.bodyOffsetBytes = 0;
    this.isMismatch = false;
    this.chunks.length = 0;
    this.chunkBytes = 0;
    this.errorCode = undefined;
    this.errorMessage = '';
    this.location = '';
    this.bucketRegion = '';
    this.headerText = '';
    this.requestBody = null;
    return this;
  }

  /** Starts the request line and the signed headers. */
  beginRequest(method: HttpMethod, path: string): void {
    this.isHeadRequest = method === 'HEAD';
    this.isIdempotent = method !== 'POST';
    this.headerText = method + ' ' + path + ' HTTP/1.1\r\n';
  }

  addHeader(name: string, value: string): void {
    this.headerText += name + ': ' + value + '\r\n';
  }

  start(pool: Http1Pool): Promise<void> {
    const done = new Promise<void>(this.executor);
    this.requestHead = this.headerText + '\r\n';
    // dispatch() reports its own failures (a closed pool) through onRequestError.
    pool.dispatch(this);
    return done;
  }

  release(): void {
    this.slot = null;
    this.followRedirect = null;
    this.chunks.length = 0;
    this.requestBody = null;
    this.free.push(this);
  }

  // ---- response (Http1Exchange) ----

  onResponseHead(status: number, contentLength: number, headerLines: string): void {
    this.status = status;
    if (status === 200) this.bodyOffsetBytes = 0; // a server that ignores Range sends the whole object
    if (status >= 300 && status < 400) {
      this.location = headerValue(headerLines, 'location');
      this.bucketRegion = headerValue(headerLines, 'x-amz-bucket-region');
    }
    if (this.mode === MODE.stat || this.mode === MODE.raw) {
      this.contentLength = contentLength;
      if (this.mode === MODE.raw) this.etag = headerValue(headerLines, 'etag');
    }
  }

  onResponseBody(chunk: Buffer): void {
    if (this.status >= 300) {
      if (this.chunkBytes < ERROR_BODY_LIMIT_BYTES) this.keep(chunk);
      return;
    }
    if (this.mode === MODE.get) {
      const slot = this.slot!;
      if (slot.verify && !this.isMismatch) {
        if (!slot.pattern.matches(slot.patternStart, this.bodyOffsetBytes + this.receivedBytes, chunk)) this.isMismatch = true;
      }
    } else if (this.mode === MODE.list || this.mode === MODE.raw) {
      this.keep(chunk);
    }
    this.receivedBytes += chunk.length;
  }

  onResponseEnd(): void {
    this.finish();
  }

  onRequestError(code: string, message: string): void {
    this.errorCode = code;
    this.errorMessage = message;
    this.finish();
  }

  /** A 301/302/307/308 that says where to go: another origin (Location) or another region. */
  isFollowableRedirect(): boolean {
    const status = this.status;
    return this.errorCode === undefined && (status === 301 || status === 302 || status === 307 || status === 308) && (this.location !== '' || this.bucketRegion !== '');
  }

  /** The kept body as one buffer. */
  body(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.chunkBytes);
  }

  private keep(chunk: Buffer): void {
    this.chunks.push(Buffer.from(chunk)); // a copy: the connection reuses its read buffer
    this.chunkBytes += chunk.length;
  }

  private finish(): void {
    const resolve = this.resolve!;
    this.resolve = null;
    if (this.mode !== MODE.raw && this.followRedirect !== null && this.isFollowableRedirect()) {
      // Slow path (a closure here is fine): run the op again where the server points, then wake the caller.
      const slot = this.slot!;
      const mode = this.mode;
      const { location, bucketRegion, followRedirect } = this;
      this.release();
      followRedirect(slot, mode, location, bucketRegion).then(resolve, () => {
        slot.outcome = OUTCOME.internal;
        resolve();
      });
      return;
    }
    if (this.mode !== MODE.raw) {
      try {
        this.fillSlot(this.slot!);
      } catch {
        this.slot!.outcome = OUTCOME.internal;
      }
      this.release();
    }
    resolve();
  }

  private fillSlot(slot: IoSlot): void {
    slot.status = this.status;
    if (this.errorCode !== undefined) {
      slot.outcome = outcomeForSystemError(this.errorCode);
      if (this.mode === MODE.get) slot.bytes = this.receivedBytes;
      return;
    }
    if (this.status < 200 || this.status >= 300) {
      slot.outcome = outcomeForHttpStatus(this.status, this.chunkBytes > 0 ? s3ErrorCode(this.body()) : undefined);
      return;
    }
    slot.outcome = OUTCOME.ok;
    switch (this.mode) {
      case MODE.get:
        slot.bytes = this.receivedBytes;
        if (
          slot.verify &&
          (this.isMismatch || (slot.offsetBytes < 0 && slot.expectedBytes >= 0 && this.receivedBytes !== slot.expectedBytes))
        ) {
          slot.outcome = OUTCOME.verify_mismatch;
        }
        break;
      case MODE.put:
        slot.bytes = slot.lengthBytes;
        break;
      case MODE.stat:
        slot.resultSize = this.contentLength;
        break;
      case MODE.list: {
        const page = this.body();
        slot.entries = listKeyCount(page);
        slot.bytes = 0;
        slot.resultSize = page.indexOf('<IsTruncated>true</IsTruncated>') >= 0 ? 1 : 0;
        break;
      }
      default:
        break;
    }
  }
}

/** A finished raw exchange, read before its Exchange is reused. */
interface RawResponse {
  /** Where a 3xx pointed (followed once by `call`), or null. */
  redirect: { location: string; region: string } | null;
  status: number;
  errorCode: string | undefined;
  errorMessage: string;
  contentLength: number;
  etag: string;
  body: string;
}

class S3Store implements ObjectStore {
  readonly description: string;
  private readonly options: S3StoreOptions;
  private readonly pool: Http1Pool;
  private readonly signer: SigV4Signer;
  private readonly freeExchanges: Exchange[] = [];
  /** Encoded path of the bucket ("/bucket" path style, "/" virtual host). */
  private readonly bucketPath: string;
  /** Encoded path that keys are appended to (bucket and prefix). */
  private readonly keyPathBase: string;
  /** Header lines sent with every request after host, x-amz-date and authorization. */
  private readonly constantHeaderLines: string;
  /** Whether 3xx answers are followed (false for the stores that redirects lead to: one hop at most). */
  private readonly followsRedirects: boolean;
  /** Stores for the places redirects pointed to, by origin and region (made on first use). */
  private readonly redirectStores = new Map<string, S3Store>();
  private readonly followRedirect = (slot: IoSlot, mode: Mode, location: string, region: string): Promise<void> =>
    this.runRedirected(slot, mode, location, region);

  constructor(options: S3StoreOptions, followsRedirects = true) {
    this.options = options;
    this.followsRedirects = followsRedirects;
    let endpoint: URL;
    try {
      endpoint = new URL(options.endpoint);
    } catch {
      throw new IofleetError('CONFIG_INVALID', `S3 endpoint "${options.endpoint}" is not a URL`, 'write it as http://host:port');
    }
    if ((endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') || (endpoint.pathname !== '/' && endpoint.pathname !== '')) {
      throw new IofleetError(
        'CONFIG_INVALID',
        `S3 endpoint "${options.endpoint}" must be an http(s) origin without a path`,
        'write it as http://host:port; put key prefixes in the prefix setting',
      );
    }
    if (options.prefix !== '' && !options.prefix.endsWith('/')) {
      throw new IofleetError('CONFIG_INVALID', `S3 prefix "${options.prefix}" must be empty or end with "/"`);
    }
    // URL.host omits default ports, and so does the Host header sent: the signed value is the sent value.
    const host = options.pathStyle ? endpoint.host : `${options.bucket}.${endpoint.host}`;
    this.bucketPath = options.pathStyle ? '/' + encodeRfc3986(options.bucket, false) : '/';
    this.keyPathBase = (options.pathStyle ? this.bucketPath + '/' : '/') + encodeRfc3986(options.prefix, true);
    this.description = `s3://${options.bucket}/${options.prefix} @ ${endpoint.origin}`;
    this.signer = new SigV4Signer({ credentials: options.credentials, region: options.region, service: 's3', host });
    const token = options.credentials.sessionToken;
    this.constantHeaderLines =
      'x-amz-content-sha256: ' + UNSIGNED_PAYLOAD + '\r\n' + (token === undefined ? '' : 'x-amz-security-token: ' + token + '\r\n');
    this.pool = new Http1Pool(endpoint.origin, {
      connections: options.connections,
      timeoutMs: options.timeoutMs,
      // Virtual-host style connects to the endpoint but names the bucket host, in TLS as in Host.
      ...(options.pathStyle ? {} : { servername: `${options.bucket}.${endpoint.hostname}` }),
    });
  }

  // ---- hot path ----

  get(slot: IoSlot): Promise<void> {
    const exchange = this.take(MODE.get, slot);
    try {
      this.signInto(exchange, 'GET', this.keyPathBase + encodeRfc3986(slot.key, true), '');
      if (slot.offsetBytes >= 0) {
        exchange.bodyOffsetBytes = slot.offsetBytes;
        const last = slot.lengthBytes > 0 ? String(slot.offsetBytes + slot.lengthBytes - 1) : '';
        exchange.addHeader('range', 'bytes=' + slot.offsetBytes + '-' + last);
      }
    } catch {
      return this.internalFailure(exchange, slot);
    }
    return exchange.start(this.pool);
  }

  put(slot: IoSlot): Promise<void> {
    if (slot.lengthBytes >= this.options.multipartThresholdBytes) return this.putMultipart(slot);
    const exchange = this.take(MODE.put, slot);
    try {
      this.signInto(exchange, 'PUT', this.keyPathBase + encodeRfc3986(slot.key, true), '');
      exchange.addHeader('content-length', String(slot.lengthBytes));
      exchange.requestBody = patternBody(slot.pattern, slot.patternStart, 0, slot.lengthBytes);
    } catch {
      return this.internalFailure(exchange, slot);
    }
    return exchange.start(this.pool);
  }

  list(slot: IoSlot): Promise<void> {
    const exchange = this.take(MODE.list, slot);
    try {
      // Already in canonical order: list-type < max-keys < prefix.
      const query =
        'list-type=2&max-keys=' + slot.maxKeys + '&prefix=' + encodeRfc3986(this.options.prefix + slot.key, false);
      this.signInto(exchange, 'GET', this.bucketPath, query);
    } catch {
      return this.internalFailure(exchange, slot);
    }
    return exchange.start(this.pool);
  }

  stat(slot: IoSlot): Promise<void> {
    const exchange = this.take(MODE.stat, slot);
    try {
      this.signInto(exchange, 'HEAD', this.keyPathBase + encodeRfc3986(slot.key, true), '');
    } catch {
      return this.internalFailure(exchange, slot);
    }
    return exchange.start(this.pool);
  }

  delete(slot: IoSlot): Promise<void> {
    const exchange = this.take(MODE.delete, slot);
    try {
      this.signInto(exchange, 'DELETE', this.keyPathBase + encodeRfc3986(slot.key, true), '');
    } catch {
      return this.internalFailure(exchange, slot);
    }
    return exchange.start(this.pool);
  }

  // ---- set-up and tear-down ----

  async open(options: { createNamespace: boolean; writable?: boolean }): Promise<void> {
    const head = await this.call('HEAD', this.bucketPath, '');
    if (head.status === 200) return;
    if (head.status === 0) throw this.unreachable(head, 'checking the bucket');
    if (head.status === 404 && options.createNamespace) {
      await this.createBucket();
      return;
    }
    // A HEAD response has no body, hence no S3 error code: ask again with a GET, which has one.
    const detail = await this.call('GET', this.bucketPath, 'list-type=2&max-keys=0');
    if (detail.status === 0) throw this.unreachable(detail, 'checking the bucket');
    if (detail.status === 200) return;
    if (detail.status === 404) {
      throw new IofleetError(
        'TARGET_SETUP',
        `bucket "${this.options.bucket}" does not exist at ${this.options.endpoint}`,
        'create the bucket, or let iofleet create it (create the namespace in the workload file)',
      );
    }
    throw this.rejected(detail, `checking bucket "${this.options.bucket}"`);
  }

  async deleteMany(keys: readonly string[], onRequest?: (request: DeleteRequest) => void): Promise<{ deleted: number; failed: number }> {
    const totals = { deleted: 0, failed: 0 };
    let nextBatchStart = 0;
    let unreachable: IofleetError | null = null;
    const worker = async (): Promise<void> => {
      while (nextBatchStart < keys.length && unreachable === null) {
        const first = nextBatchStart;
        const batch = keys.slice(first, first + DELETE_BATCH_KEYS);
        nextBatchStart += batch.length;
        const startMs = performance.now();
        const response = await this.deleteBatch(batch);
        const latencyUs = Math.round((performance.now() - startMs) * 1000);
        if (response.status === 0) unreachable = this.unreachable(response, 'deleting objects');
        const { failed, outcome } = deleteObjectsResult(response, batch.length);
        totals.failed += failed;
        totals.deleted += batch.length - failed;
        onRequest?.({ first, count: batch.length, isBatch: true, failed, outcome, latencyUs });
      }
    };
    const workers: Promise<void>[] = [];
    for (let i = 0; i < DELETE_BATCHES_IN_FLIGHT; i++) workers.push(worker());
    await Promise.all(workers);
    if (unreachable !== null && totals.deleted === 0) throw unreachable;
    return totals;
  }

  async exists(key: string): Promise<boolean> {
    const response = await this.call('HEAD', this.keyPathBase + encodeRfc3986(key, true), '');
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    if (response.status === 0) throw this.unreachable(response, `checking object "${key}"`);
    throw this.rejected(response, `checking object "${key}"`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.redirectStores.values()].map((store) => store.close()));
    await this.pool.close();
  }

  // ---- internals ----

  private take(mode: Mode, slot: IoSlot | null): Exchange {
    const exchange = (this.freeExchanges.pop() ?? new Exchange(this.freeExchanges)).reset(mode, slot);
    if (slot !== null) {
      slot.bytes = 0;
      slot.resultSize = 0;
      slot.outcome = OUTCOME.ok;
      slot.status = 0;
      if (this.followsRedirects) {
        slot.redirects = 0;
        exchange.followRedirect = this.followRedirect;
      }
    }
    return exchange;
  }

  /** Sets method and path and the signed header block (UNSIGNED-PAYLOAD) of a request. */
  private signInto(exchange: Exchange, method: HttpMethod, canonicalUri: string, canonicalQuery: string): void {
    const authorization = this.signer.signUnsignedPayload(method, canonicalUri, canonicalQuery, Date.now());
    exchange.beginRequest(method, canonicalQuery === '' ? canonicalUri : canonicalUri + '?' + canonicalQuery);
    exchange.headerText +=
      'host: ' + this.signer.host + '\r\nx-amz-date: ' + this.signer.amzDate + '\r\nauthorization: ' + authorization + '\r\n' + this.constantHeaderLines;
  }

  private internalFailure(exchange: Exchange, slot: IoSlot): Promise<void> {
    exchange.release();
    slot.outcome = OUTCOME.internal;
    return Promise.resolve();
  }

  /** One request in raw mode, the response read into a plain object and the Exchange released. */
  /**
   * S3 redirects (301/302/307/308): a Location names another origin (keep the bucket and prefix; a
   * virtual-host Location's "bucket." is taken off the host), x-amz-bucket-region another region (re-signed
   * for it). The op runs again there, once: the store a redirect leads to does not follow further ones.
   */
  private redirectStoreFor(location: string, region: string): S3Store {
    let origin = this.options.endpoint;
    if (location !== '') {
      const url = new URL(location, this.options.endpoint);
      const bucketHost = `${this.options.bucket}.`;
      const host = !this.options.pathStyle && url.host.startsWith(bucketHost) ? url.host.slice(bucketHost.length) : url.host;
      origin = `${url.protocol}//${host}`;
    }
    const key = `${origin} ${region}`;
    let store = this.redirectStores.get(key);
    if (store === undefined) {
      store = new S3Store({ ...this.options, endpoint: origin, region: region || this.options.region }, false);
      this.redirectStores.set(key, store);
    }
    return store;
  }

  private runRedirected(slot: IoSlot, mode: Mode, location: string, region: string): Promise<void> {
    const store = this.redirectStoreFor(location, region);
    const done =
      mode === MODE.get ? store.get(slot) : mode === MODE.put ? store.put(slot) : mode === MODE.list ? store.list(slot) : mode === MODE.stat ? store.stat(slot) : store.delete(slot);
    return done.then(() => {
      slot.redirects++;
    });
  }

  private async call(
    method: HttpMethod,
    canonicalUri: string,
    canonicalQuery: string,
    body: RequestBody | null = null,
    bodyBytes = 0,
    extraSignedHeaders: Readonly<Record<string, string>> | null = null,
  ): Promise<RawResponse> {
    const response = await this.callHere(method, canonicalUri, canonicalQuery, body, bodyBytes, extraSignedHeaders);
    if (this.followsRedirects && response.redirect !== null) {
      return this.redirectStoreFor(response.redirect.location, response.redirect.region).call(method, canonicalUri, canonicalQuery, body, bodyBytes, extraSignedHeaders);
    }
    return response;
  }

  private async callHere(
    method: HttpMethod,
    canonicalUri: string,
    canonicalQuery: string,
    body: RequestBody | null,
    bodyBytes: number,
    extraSignedHeaders: Readonly<Record<string, string>> | null,
  ): Promise<RawResponse> {
    const exchange = this.take(MODE.raw, null);
    try {
      if (extraSignedHeaders === null) {
        this.signInto(exchange, method, canonicalUri, canonicalQuery);
      } else {
        this.signWithHeaders(exchange, method, canonicalUri, canonicalQuery, extraSignedHeaders);
      }
      // A PUT or POST says how long its body is, even when it has none.
      if (body !== null || method === 'PUT' || method === 'POST') exchange.addHeader('content-length', String(bodyBytes));
      exchange.requestBody = body;
      await exchange.start(this.pool);
      return {
        status: exchange.errorCode === undefined ? exchange.status : 0,
        errorCode: exchange.errorCode,
        errorMessage: exchange.errorMessage,
        contentLength: exchange.contentLength,
        etag: exchange.etag,
        body: exchange.chunkBytes > 0 ? exchange.body().toString('utf8') : '',
        redirect: exchange.isFollowableRedirect() ? { location: exchange.location, region: exchange.bucketRegion } : null,
      };
    } finally {
      exchange.release();
    }
  }

  /** General signing for calls with headers beyond the fixed set (content-md5 for DeleteObjects). */
  private signWithHeaders(
    exchange: Exchange,
    method: HttpMethod,
    canonicalUri: string,
    canonicalQuery: string,
    extra: Readonly<Record<string, string>>,
  ): void {
    const amzDate = formatAmzDate(Date.now());
    const signed: Record<string, string> = {
      ...extra,
      host: this.signer.host,
      'x-amz-content-sha256': UNSIGNED_PAYLOAD,
      'x-amz-date': amzDate,
    };
    const token = this.options.credentials.sessionToken;
    if (token !== undefined) signed['x-amz-security-token'] = token;
    const authorization = this.signer.sign({ method, canonicalUri, canonicalQuery, headers: signed, payloadHash: UNSIGNED_PAYLOAD }, amzDate);
    exchange.beginRequest(method, canonicalQuery === '' ? canonicalUri : canonicalUri + '?' + canonicalQuery);
    for (const [name, value] of Object.entries(signed)) exchange.addHeader(name, value);
    exchange.addHeader('authorization', authorization);
  }

  private async createBucket(): Promise<void> {
    // us-east-1 is the default location and must not be named; any other region must be.
    const body =
      this.options.region === 'us-east-1'
        ? null
        : Buffer.from(
            `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
              `<LocationConstraint>${escapeXml(this.options.region)}</LocationConstraint></CreateBucketConfiguration>`,
          );
    const response = await this.call('PUT', this.bucketPath, '', body, body?.length ?? 0);
    if (response.status === 200) return;
    if (response.status === 0) throw this.unreachable(response, 'creating the bucket');
    if (response.status === 409 && s3ErrorCodeOfText(response.body) === 'BucketAlreadyOwnedByYou') return;
    throw this.rejected(response, `creating bucket "${this.options.bucket}"`);
  }

  /** DeleteObjects for logical keys (the prefix is added here). */
  private deleteBatch(keys: readonly string[]): Promise<RawResponse> {
    let xml = '<Delete><Quiet>true</Quiet>';
    for (const key of keys) xml += '<Object><Key>' + escapeXml(this.options.prefix + key) + '</Key></Object>';
    xml += '</Delete>';
    const body = Buffer.from(xml);
    // S3 requires an integrity header on DeleteObjects.
    const md5 = createHash('md5').update(body).digest('base64');
    return this.call('POST', this.bucketPath, 'delete=', body, body.length, { 'content-md5': md5 });
  }

  /** CreateMultipartUpload, UploadPart × n (one after the other), CompleteMultipartUpload; abort on failure. */
  private async putMultipart(slot: IoSlot): Promise<void> {
    slot.bytes = 0;
    slot.resultSize = 0;
    slot.status = 0;
    slot.outcome = OUTCOME.ok;
    let path = '';
    let encodedUploadId = '';
    try {
      path = this.keyPathBase + encodeRfc3986(slot.key, true);
      const created = await this.call('POST', path, 'uploads=');
      if (!this.stepSucceeded(slot, created)) return;
      const uploadId = xmlElementText(created.body, 'UploadId');
      if (uploadId === '') {
        slot.outcome = OUTCOME.internal;
        return;
      }
      encodedUploadId = encodeRfc3986(uploadId, false);
      if (await this.uploadPartsAndComplete(slot, path, encodedUploadId)) {
        slot.bytes = slot.lengthBytes;
        return;
      }
    } catch {
      slot.outcome = OUTCOME.internal;
    }
    if (encodedUploadId !== '') await this.abortUpload(path, encodedUploadId);
  }

  /** True when every part and the completion succeeded; otherwise the failed step is in the slot. */
  private async uploadPartsAndComplete(slot: IoSlot, path: string, encodedUploadId: string): Promise<boolean> {
    const partBytes = Math.max(1, this.options.multipartPartBytes);
    let completion = '<CompleteMultipartUpload>';
    for (let partNumber = 1, position = 0; position < slot.lengthBytes; partNumber++, position += partBytes) {
      const length = Math.min(partBytes, slot.lengthBytes - position);
      const body = patternBody(slot.pattern, slot.patternStart, position, length);
      const part = await this.call('PUT', path, 'partNumber=' + partNumber + '&uploadId=' + encodedUploadId, body, length);
      if (!this.stepSucceeded(slot, part)) return false;
      completion += `<Part><PartNumber>${partNumber}</PartNumber><ETag>${escapeXml(part.etag)}</ETag></Part>`;
    }
    const body = Buffer.from(completion + '</CompleteMultipartUpload>');
    const completed = await this.call('POST', path, 'uploadId=' + encodedUploadId, body, body.length);
    if (!this.stepSucceeded(slot, completed)) return false;
    // CompleteMultipartUpload can fail after its 200 status line: the error is then in the body.
    if (completed.body.includes('<Error>')) {
      slot.outcome = outcomeForHttpStatus(500, s3ErrorCodeOfText(completed.body));
      return false;
    }
    return true;
  }

  /** Records a failed step's outcome in the slot; true when the step succeeded. */
  private stepSucceeded(slot: IoSlot, response: RawResponse): boolean {
    slot.status = response.status;
    if (response.errorCode !== undefined) {
      slot.outcome = outcomeForSystemError(response.errorCode);
      return false;
    }
    slot.outcome = outcomeForHttpStatus(response.status, s3ErrorCodeOfText(response.body));
    return slot.outcome === OUTCOME.ok;
  }

  private async abortUpload(path: string, encodedUploadId: string): Promise<void> {
    // Best effort: an upload left behind costs space, not correctness; the failure is already recorded.
    try {
      await this.call('DELETE', path, 'uploadId=' + encodedUploadId);
    } catch {
      // Nothing more to do from the hot path.
    }
  }

  private unreachable(response: RawResponse, action: string): IofleetError {
    const reason = response.errorCode ? `${response.errorCode}: ${response.errorMessage}` : response.errorMessage;
    return new IofleetError(
      'TARGET_UNREACHABLE',
      `cannot reach the S3 endpoint ${this.options.endpoint} while ${action} (${reason})`,
      'check s3.endpoint in the workload file or AWS_ENDPOINT_URL, and that the server is running and reachable',
    );
  }

  private rejected(response: RawResponse, action: string): IofleetError {
    const code = s3ErrorCodeOfText(response.body);
    const what = `HTTP ${response.status}${code === undefined ? '' : ' ' + code}`;
    if (code === 'InvalidAccessKeyId' || code === 'SignatureDoesNotMatch') {
      return new IofleetError(
        'CREDENTIALS',
        `${this.options.endpoint} rejected the credentials of access key id "${this.options.credentials.accessKeyId}" ` +
          `while ${action} (${what})`,
        'check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the selected profile, and the region',
      );
    }
    const hint =
      code === 'RequestTimeTooSkewed'
        ? "this host's clock differs too much from the server's; synchronise it (NTP)"
        : code === 'AccessDenied'
          ? `access key id "${this.options.credentials.accessKeyId}" lacks permission on this bucket`
          : undefined;
    return new IofleetError('TARGET_SETUP', `${action} at ${this.options.endpoint} failed: ${what}`, hint);
  }
}

/** The request body for bytes [position, position + length) of a pattern object: views, never copies. */
function patternBody(pattern: DataPattern, start: number, position: number, length: number): RequestBody {
  if (length <= BLOCK_BYTES) return pattern.view(start, position, length);
  const views: Buffer[] = [];
  for (let done = 0; done < length; done += BLOCK_BYTES) {
    views.push(pattern.view(start, position + done, Math.min(BLOCK_BYTES, length - done)));
  }
  return views;
}
