import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  EMPTY_PAYLOAD_SHA256,
  SigV4Signer,
  UNSIGNED_PAYLOAD,
  canonicalQueryString,
  encodeRfc3986,
  formatAmzDate,
} from '../../../src/backends/s3/sigv4.js';

// The examples of "Signature Calculations for the Authorization Header: Transferring Payload in a Single
// Chunk" in the Amazon S3 API reference (sig-v4-header-based-auth): fixed keys, bucket and time.
const EXAMPLE_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const EXAMPLE_HOST = 'examplebucket.s3.amazonaws.com';
const EXAMPLE_AMZ_DATE = '20130524T000000Z';
const EXAMPLE_MS = Date.UTC(2013, 4, 24, 0, 0, 0);

function exampleSigner(): SigV4Signer {
  return new SigV4Signer({ credentials: EXAMPLE_CREDENTIALS, region: 'us-east-1', service: 's3', host: EXAMPLE_HOST });
}

function signatureOf(authorization: string): string {
  const match = /,Signature=([0-9a-f]{64})$/.exec(authorization);
  assert.ok(match, `no signature in ${authorization}`);
  return match[1]!;
}

describe('SigV4Signer.sign against the AWS S3 documentation examples', () => {
  it('GET Object with Range (the "GET /test.txt" example)', () => {
    const authorization = exampleSigner().sign(
      {
        method: 'GET',
        canonicalUri: '/test.txt',
        canonicalQuery: '',
        headers: {
          Host: EXAMPLE_HOST,
          Range: 'bytes=0-9',
          'x-amz-content-sha256': EMPTY_PAYLOAD_SHA256,
          'x-amz-date': EXAMPLE_AMZ_DATE,
        },
        payloadHash: EMPTY_PAYLOAD_SHA256,
      },
      EXAMPLE_AMZ_DATE,
    );
    assert.equal(
      authorization,
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('PUT Object (key with "$", extra headers, hashed payload)', () => {
    const payloadHash = '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072'; // "Welcome to Amazon S3."
    const authorization = exampleSigner().sign(
      {
        method: 'PUT',
        canonicalUri: '/' + encodeRfc3986('test$file.text', true),
        canonicalQuery: '',
        headers: {
          Date: 'Fri, 24 May 2013 00:00:00 GMT',
          Host: EXAMPLE_HOST,
          'x-amz-date': EXAMPLE_AMZ_DATE,
          'x-amz-storage-class': 'REDUCED_REDUNDANCY',
          'x-amz-content-sha256': payloadHash,
        },
        payloadHash,
      },
      EXAMPLE_AMZ_DATE,
    );
    assert.match(authorization, /,SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,/);
    assert.equal(signatureOf(authorization), '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
  });

  it('GET Bucket Lifecycle (a query parameter without a value)', () => {
    const authorization = exampleSigner().sign(
      {
        method: 'GET',
        canonicalUri: '/',
        canonicalQuery: canonicalQueryString([['lifecycle', '']]),
        headers: { host: EXAMPLE_HOST, 'x-amz-content-sha256': EMPTY_PAYLOAD_SHA256, 'x-amz-date': EXAMPLE_AMZ_DATE },
        payloadHash: EMPTY_PAYLOAD_SHA256,
      },
      EXAMPLE_AMZ_DATE,
    );
    assert.equal(signatureOf(authorization), 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543');
  });

  it('GET Bucket (list objects, query parameters given out of order)', () => {
    const authorization = exampleSigner().sign(
      {
        method: 'GET',
        canonicalUri: '/',
        canonicalQuery: canonicalQueryString([
          ['prefix', 'J'],
          ['max-keys', '2'],
        ]),
        headers: { host: EXAMPLE_HOST, 'x-amz-content-sha256': EMPTY_PAYLOAD_SHA256, 'x-amz-date': EXAMPLE_AMZ_DATE },
        payloadHash: EMPTY_PAYLOAD_SHA256,
      },
      EXAMPLE_AMZ_DATE,
    );
    assert.equal(signatureOf(authorization), '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
  });
});

describe('SigV4Signer.signUnsignedPayload (hot path)', () => {
  /** The same request through the general signer, with the hot path's fixed header set. */
  function generalSignature(signer: SigV4Signer, method: string, uri: string, query: string, amzDate: string, token?: string): string {
    const headers: Record<string, string> = {
      host: signer.host,
      'x-amz-content-sha256': UNSIGNED_PAYLOAD,
      'x-amz-date': amzDate,
    };
    if (token !== undefined) headers['x-amz-security-token'] = token;
    return signer.sign({ method, canonicalUri: uri, canonicalQuery: query, headers, payloadHash: UNSIGNED_PAYLOAD }, amzDate);
  }

  it('equals the general signer for any method, key, query and time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'PUT', 'HEAD', 'DELETE', 'POST'),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 4 }),
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.option(fc.string({ minLength: 1, maxLength: 30 }).filter((t) => t.trim() === t && !/ {2}|[\r\n]/.test(t)), {
          nil: undefined,
        }),
        (method, key, params, nowMs, sessionToken) => {
          const signer = new SigV4Signer({
            credentials: { ...EXAMPLE_CREDENTIALS, sessionToken },
            region: 'eu-west-3',
            service: 's3',
            host: '127.0.0.1:7480',
          });
          const uri = '/bucket/' + encodeRfc3986(key, true);
          const query = canonicalQueryString(params);
          const hot = signer.signUnsignedPayload(method, uri, query, nowMs);
          assert.equal(signer.amzDate, formatAmzDate(Math.floor(nowMs / 1000) * 1000));
          assert.equal(hot, generalSignature(signer, method, uri, query, signer.amzDate, sessionToken));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('signs the session token and names it in SignedHeaders', () => {
    const withToken = new SigV4Signer({
      credentials: { ...EXAMPLE_CREDENTIALS, sessionToken: 'FQoGZXIvYXdzEXAMPLETOKEN' },
      region: 'us-east-1',
      service: 's3',
      host: EXAMPLE_HOST,
    });
    const authorization = withToken.signUnsignedPayload('GET', '/k', '', EXAMPLE_MS);
    assert.match(authorization, /,SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,/);
    assert.notEqual(signatureOf(authorization), signatureOf(exampleSigner().signUnsignedPayload('GET', '/k', '', EXAMPLE_MS)));
    assert.equal(withToken.sessionToken, 'FQoGZXIvYXdzEXAMPLETOKEN');
  });

  it('moves the date, the scope and the signing key with the clock', () => {
    const signer = exampleSigner();
    const beforeMidnight = Date.UTC(2013, 4, 24, 23, 59, 59, 999);
    const first = signer.signUnsignedPayload('GET', '/k', '', beforeMidnight);
    assert.equal(signer.amzDate, '20130524T235959Z');
    assert.match(first, /Credential=AKIAIOSFODNN7EXAMPLE\/20130524\/us-east-1\/s3\/aws4_request,/);
    const second = signer.signUnsignedPayload('GET', '/k', '', beforeMidnight + 1);
    assert.equal(signer.amzDate, '20130525T000000Z');
    assert.match(second, /Credential=AKIAIOSFODNN7EXAMPLE\/20130525\/us-east-1\/s3\/aws4_request,/);
    // Signing for another day through the general path must not disturb the hot path's cached state.
    generalSignature(signer, 'GET', '/k', '', EXAMPLE_AMZ_DATE);
    assert.equal(signer.signUnsignedPayload('GET', '/k', '', beforeMidnight + 1), second);
    assert.equal(second, generalSignature(signer, 'GET', '/k', '', '20130525T000000Z'));
  });

  it('gives different signatures for different keys, methods and queries', () => {
    const signer = exampleSigner();
    const base = signer.signUnsignedPayload('GET', '/a', '', EXAMPLE_MS);
    assert.notEqual(signer.signUnsignedPayload('GET', '/b', '', EXAMPLE_MS), base);
    assert.notEqual(signer.signUnsignedPayload('PUT', '/a', '', EXAMPLE_MS), base);
    assert.notEqual(signer.signUnsignedPayload('GET', '/a', 'x=1', EXAMPLE_MS), base);
    assert.equal(signer.signUnsignedPayload('GET', '/a', '', EXAMPLE_MS + 999), base); // same second
  });
});

describe('encodeRfc3986', () => {
  it('keeps unreserved characters and, in paths, "/"', () => {
    assert.equal(encodeRfc3986('AZaz09-._~', false), 'AZaz09-._~');
    assert.equal(encodeRfc3986('d0/d3/f17', true), 'd0/d3/f17');
    assert.equal(encodeRfc3986('d0/d3/f17', false), 'd0%2Fd3%2Ff17');
  });

  it('encodes everything else as upper-case %XX of UTF-8, including what encodeURIComponent keeps', () => {
    assert.equal(encodeRfc3986("a b+c!d*e'f(g)h", true), 'a%20b%2Bc%21d%2Ae%27f%28g%29h');
    assert.equal(encodeRfc3986('100%=&?#', false), '100%25%3D%26%3F%23');
    assert.equal(encodeRfc3986('ключ/é', true), '%D0%BA%D0%BB%D1%8E%D1%87/%C3%A9');
    assert.equal(encodeRfc3986('😀', false), '%F0%9F%98%80');
    assert.equal(encodeRfc3986('$', true), '%24');
  });

  it('never double-encodes: an already encoded key is encoded once more as data', () => {
    assert.equal(encodeRfc3986('a%20b', true), 'a%2520b');
  });

  it('produces only unreserved characters, "%XX" and (in paths) "/", and decodes back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), fc.boolean(), (text, keepSlash) => {
        const encoded = encodeRfc3986(text, keepSlash);
        assert.match(encoded, keepSlash ? /^(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})*$/ : /^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/);
        assert.equal(decodeURIComponent(encoded), text);
      }),
    );
  });
});

describe('canonicalQueryString', () => {
  it('sorts by encoded name, then value, and encodes both', () => {
    assert.equal(
      canonicalQueryString([
        ['prefix', 'run 1/'],
        ['list-type', '2'],
        ['a', 'z'],
        ['a', 'b'],
      ]),
      'a=b&a=z&list-type=2&prefix=run%201%2F',
    );
    assert.equal(canonicalQueryString([]), '');
    assert.equal(canonicalQueryString([['uploads', '']]), 'uploads=');
  });
});

describe('formatAmzDate', () => {
  it('formats UTC in ISO 8601 basic form, dropping milliseconds', () => {
    assert.equal(formatAmzDate(EXAMPLE_MS), EXAMPLE_AMZ_DATE);
    assert.equal(formatAmzDate(Date.UTC(2024, 11, 31, 23, 5, 9, 999)), '20241231T230509Z');
  });
});
