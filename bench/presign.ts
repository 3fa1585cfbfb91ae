// A presigned GET URL (SigV4 query-string authentication) made with iofleet's own signer, for reference
// clients that cannot sign (wrk). src/backends/s3/sigv4.ts exports header signing only; a presigned
// request differs from a header-signed one only in *where* the signing inputs travel:
//   canonical request: GET \n path \n X-Amz-* query (sorted, encoded) \n host:H \n\n host \n UNSIGNED-PAYLOAD
//   string to sign:    the same AWS4-HMAC-SHA256 \n date \n scope \n hex(SHA256(canonical request))
// so `SigV4Signer.sign()` over that query and the single `host` header yields the URL's signature
// ("Browser-Based Uploads / Authenticating Requests: Using Query Parameters", sigv4-query-string-auth).

import { SigV4Signer, UNSIGNED_PAYLOAD, canonicalQueryString, encodeRfc3986, formatAmzDate } from '../src/backends/s3/sigv4.js';

export interface PresignOptions {
  /** Origin, e.g. http://127.0.0.1:7680 */
  endpoint: string;
  bucket: string;
  key: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  expiresSec: number;
  /** Signing time (default now). */
  nowMs?: number;
}

/** A path-style presigned GET URL for bucket/key. */
export function presignGetUrl(options: PresignOptions): string {
  const endpoint = new URL(options.endpoint);
  const host = endpoint.host;
  const amzDate = formatAmzDate(options.nowMs ?? Date.now());
  const scope = `${amzDate.slice(0, 8)}/${options.region}/s3/aws4_request`;
  const canonicalUri = '/' + encodeRfc3986(options.bucket, false) + '/' + encodeRfc3986(options.key, true);
  const params: [string, string][] = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${options.accessKeyId}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(options.expiresSec)],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const canonicalQuery = canonicalQueryString(params);
  const signer = new SigV4Signer({
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    region: options.region,
    service: 's3',
    host,
  });
  const authorization = signer.sign(
    { method: 'GET', canonicalUri, canonicalQuery, headers: { host }, payloadHash: UNSIGNED_PAYLOAD },
    amzDate,
  );
  const signature = authorization.slice(authorization.lastIndexOf('Signature=') + 'Signature='.length);
  return `${endpoint.origin}${canonicalUri}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}
