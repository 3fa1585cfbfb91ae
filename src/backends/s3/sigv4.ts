// AWS Signature Version 4 for S3 requests (header-based authentication).
//
// Reference: "Signature Calculations for the Authorization Header" in the Amazon S3 API reference
// (sig-v4-header-based-auth). The signature is
//   HMAC(signingKey(day, region, service), "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(SHA256(canonicalRequest)))
// and costs one SHA-256 and one HMAC per request once the day's signing key (four chained HMACs) is cached.
//
// Two entry points:
// - `sign()`: any header set, used for set-up calls (DeleteObjects needs content-md5) and by the tests
//   against AWS's documented examples.
// - `signUnsignedPayload()`: the hot path. The signed header set is fixed (host, x-amz-content-sha256 =
//   UNSIGNED-PAYLOAD, x-amz-date, [x-amz-security-token]), so everything but the method, path and query
//   is precomputed once per store, per day (scope) or per second (amzDate).

import { createHmac, hash } from 'node:crypto';

/** x-amz-content-sha256 value for bodies that are not hashed: RGW and AWS accept it over plain HTTP too. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** SHA-256 of the empty string, hex. */
export const EMPTY_PAYLOAD_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const ALGORITHM = 'AWS4-HMAC-SHA256';

export interface SigV4Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface SigV4Request {
  readonly method: string;
  /** Path as sent, already encoded with `encodeRfc3986(path, true)` (S3 does not double-encode). */
  readonly canonicalUri: string;
  /** From `canonicalQueryString()`; '' when there is no query. */
  readonly canonicalQuery: string;
  /** Every header to sign, as sent, including host, x-amz-date and x-amz-content-sha256. Any name case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Hex SHA-256 of the body, or UNSIGNED_PAYLOAD. */
  readonly payloadHash: string;
}

// Characters that never need encoding in a path (RFC 3986 unreserved plus '/'): keys the engine generates
// ("obj-42", "d0/f17") take this branch and are returned as is.
const PATH_SAFE = /^[A-Za-z0-9\-._~/]*$/;
const QUERY_SAFE = /^[A-Za-z0-9\-._~]*$/;
// encodeURIComponent keeps these, RFC 3986 (and SigV4) does not.
const SUB_DELIMS_KEPT_BY_ENCODE_URI = /[!'()*]/g;

function percentEncodeChar(c: string): string {
  return '%' + c.charCodeAt(0).toString(16).toUpperCase();
}

/**
 * SigV4 URI encoding: bytes of the UTF-8 form outside A-Z a-z 0-9 - . _ ~ become %XX (upper-case hex);
 * '/' is kept when `keepSlash` (object key paths) and encoded otherwise (query names and values).
 * Throws URIError on a lone surrogate, which has no UTF-8 form.
 */
export function encodeRfc3986(text: string, keepSlash: boolean): string {
  if ((keepSlash ? PATH_SAFE : QUERY_SAFE).test(text)) return text;
  const encoded = encodeURIComponent(text).replace(SUB_DELIMS_KEPT_BY_ENCODE_URI, percentEncodeChar);
  return keepSlash ? encoded.replaceAll('%2F', '/') : encoded;
}

/** Canonical query string: names and values encoded, pairs sorted by name then value, joined with '&'. */
export function canonicalQueryString(params: Iterable<readonly [string, string]>): string {
  const pairs: [string, string][] = [];
  for (const [name, value] of params) pairs.push([encodeRfc3986(name, false), encodeRfc3986(value, false)]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let out = '';
  for (let i = 0; i < pairs.length; i++) out += (i === 0 ? '' : '&') + pairs[i]![0] + '=' + pairs[i]![1];
  return out;
}

/** 'YYYYMMDDTHHMMSSZ' (ISO 8601 basic format, UTC) for a Unix time in milliseconds. */
export function formatAmzDate(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2013-05-24T00:00:00.000Z
  return (
    iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + 'T' + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z'
  );
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function sha256Hex(data: string): string {
  return hash('sha256', data, 'hex');
}

export class SigV4Signer {
  readonly region: string;
  readonly service: string;
  private readonly credentials: SigV4Credentials;

  // ---- signing key cache: one entry, the key depends on the day only (for one region and service) ----
  private cachedDayStamp = '';
  private cachedSigningKey: Buffer = Buffer.alloc(0);

  // ---- per second (hot path): the x-amz-date value and what depends on it ----
  private second = -1;
  private currentAmzDate = '';
  private hotSigningKey: Buffer = Buffer.alloc(0);
  private stringToSignHead = '';

  // ---- per signer (hot path): the fixed signed-header block ----
  private readonly fixedHost: string;
  private readonly fixedHeadersBeforeDate: string;
  private readonly fixedAfterDate: string;
  private authorizationHead = '';

  /**
   * `host` is the Host header the hot-path requests carry (host[:port], the port omitted when default):
   * it is part of the fixed signed-header block.
   */
  constructor(options: { credentials: SigV4Credentials; region: string; service: string; host: string }) {
    this.credentials = options.credentials;
    this.region = options.region;
    this.service = options.service;
    this.fixedHost = options.host;
    const token = options.credentials.sessionToken;
    this.fixedHeadersBeforeDate = `host:${options.host}\nx-amz-content-sha256:${UNSIGNED_PAYLOAD}\nx-amz-date:`;
    this.fixedAfterDate =
      (token === undefined ? '' : `\nx-amz-security-token:${token.trim()}`) +
      `\n\n${this.fixedSignedHeaders()}\n${UNSIGNED_PAYLOAD}`;
  }

  /** Host the hot-path signature covers. */
  get host(): string {
    return this.fixedHost;
  }

  /** x-amz-date of the last `signUnsignedPayload()` call: send it with that request. */
  get amzDate(): string {
    return this.currentAmzDate;
  }

  /** x-amz-security-token to send with every request, when the credentials are temporary. */
  get sessionToken(): string | undefined {
    return this.credentials.sessionToken;
  }

  /**
   * Authorization header value for a request carrying exactly the fixed header set: host (as given to
   * the constructor), x-amz-content-sha256: UNSIGNED-PAYLOAD, x-amz-date: `this.amzDate` (read it after
   * this call) and x-amz-security-token when there is a session token. Other headers may be sent unsigned
   * (Range, Content-Length, Content-Type).
   */
  signUnsignedPayload(method: string, canonicalUri: string, canonicalQuery: string, nowMs: number): string {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) this.enterSecond(second);
    const canonicalRequest =
      method + '\n' + canonicalUri + '\n' + canonicalQuery + '\n' + this.fixedHeadersBeforeDate + this.currentAmzDate + this.fixedAfterDate;
    const signature = createHmac('sha256', this.hotSigningKey)
      .update(this.stringToSignHead + sha256Hex(canonicalRequest))
      .digest('hex');
    return this.authorizationHead + signature;
  }

  /** Authorization header value for any header set; `amzDate` must be the x-amz-date header's value. */
  sign(request: SigV4Request, amzDate: string): string {
    const dayStamp = amzDate.slice(0, 8);
    const scope = this.scopeFor(dayStamp);
    const names: string[] = [];
    const values = new Map<string, string>();
    for (const [rawName, rawValue] of Object.entries(request.headers)) {
      const name = rawName.toLowerCase();
      // Canonical header values: trimmed, runs of spaces collapsed (SigV4 "Trimall").
      const value = rawValue.trim().replace(/ +/g, ' ');
      const previous = values.get(name);
      if (previous === undefined) names.push(name);
      values.set(name, previous === undefined ? value : previous + ',' + value);
    }
    names.sort();
    let canonicalHeaders = '';
    for (const name of names) canonicalHeaders += name + ':' + values.get(name) + '\n';
    const signedHeaders = names.join(';');
    const canonicalRequest = [
      request.method,
      request.canonicalUri,
      request.canonicalQuery,
      canonicalHeaders,
      signedHeaders,
      request.payloadHash,
    ].join('\n');
    const stringToSign = `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    const signature = createHmac('sha256', this.signingKeyFor(dayStamp)).update(stringToSign).digest('hex');
    return `${ALGORITHM} Credential=${this.credentials.accessKeyId}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`;
  }

  private fixedSignedHeaders(): string {
    return this.credentials.sessionToken === undefined
      ? 'host;x-amz-content-sha256;x-amz-date'
      : 'host;x-amz-content-sha256;x-amz-date;x-amz-security-token';
  }

  private scopeFor(dayStamp: string): string {
    return `${dayStamp}/${this.region}/${this.service}/aws4_request`;
  }

  private enterSecond(second: number): void {
    this.second = second;
    this.currentAmzDate = formatAmzDate(second * 1000);
    const dayStamp = this.currentAmzDate.slice(0, 8);
    const scope = this.scopeFor(dayStamp);
    this.hotSigningKey = this.signingKeyFor(dayStamp);
    this.stringToSignHead = `${ALGORITHM}\n${this.currentAmzDate}\n${scope}\n`;
    this.authorizationHead =
      `${ALGORITHM} Credential=${this.credentials.accessKeyId}/${scope},` +
      `SignedHeaders=${this.fixedSignedHeaders()},Signature=`;
  }

  /** Four chained HMACs, so derived once a day and cached. */
  private signingKeyFor(dayStamp: string): Buffer {
    if (dayStamp !== this.cachedDayStamp) {
      const dateKey = hmac('AWS4' + this.credentials.secretAccessKey, dayStamp);
      const regionKey = hmac(dateKey, this.region);
      const serviceKey = hmac(regionKey, this.service);
      this.cachedSigningKey = hmac(serviceKey, 'aws4_request');
      this.cachedDayStamp = dayStamp;
    }
    return this.cachedSigningKey;
  }
}
