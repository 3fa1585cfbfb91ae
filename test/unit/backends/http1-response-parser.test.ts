import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HttpProtocolError, Http1ResponseParser, headerValue, type ResponseSink } from '../../../src/backends/http/http1-response-parser.js';

/** What a parser told its sink, and where in the input each response ended. */
interface Parsed {
  heads: { status: number; contentLength: number; headerLines: string }[];
  bodies: string[];
  ends: boolean[];
  /** Bytes of the input that belonged to no response (after the last one ended). */
  leftover: number;
}

/**
 * Feeds `wire` to a parser in pieces cut at `cuts`, expecting `responses` responses in a row (one
 * request each, as a keep-alive connection sends them). `isHead` marks HEAD requests.
 */
function parse(wire: string, cuts: readonly number[] = [], isHead: readonly boolean[] = [false], atClose = false): Parsed {
  const parsed: Parsed = { heads: [], bodies: [], ends: [], leftover: 0 };
  let body = '';
  const sink: ResponseSink = {
    onResponseHead: (status, contentLength, headerLines) => parsed.heads.push({ status, contentLength, headerLines }),
    onResponseBody: (chunk) => {
      body += chunk.toString('latin1');
    },
    onResponseEnd: (keepAlive) => {
      parsed.bodies.push(body);
      parsed.ends.push(keepAlive);
      body = '';
    },
  };
  const parser = new Http1ResponseParser(sink);
  const bytes = Buffer.from(wire, 'latin1');
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  let request = 0;
  parser.begin(isHead[0] ?? false);
  let from = 0;
  for (const to of [...points, bytes.length]) {
    let piece = bytes.subarray(from, to);
    from = to;
    while (piece.length > 0) {
      if (!parser.isActive) {
        request++;
        if (request >= isHead.length) {
          parsed.leftover += piece.length;
          break;
        }
        parser.begin(isHead[request]!);
      }
      const used = parser.execute(piece);
      piece = piece.subarray(used);
    }
  }
  if (atClose) parser.finishAtClose();
  return parsed;
}

const OK_4K = `HTTP/1.1 200 OK\r\nContent-Length: 4096\r\nETag: "abc"\r\nx-amz-request-id: tx1\r\n\r\n${'x'.repeat(4096)}`;

describe('HTTP/1.1 response parser', () => {
  it('reads a Content-Length response: status, framing headers, body, keep-alive', () => {
    const parsed = parse(OK_4K);
    assert.equal(parsed.heads.length, 1);
    assert.equal(parsed.heads[0]!.status, 200);
    assert.equal(parsed.heads[0]!.contentLength, 4096);
    assert.equal(parsed.bodies[0], 'x'.repeat(4096));
    assert.deepEqual(parsed.ends, [true]);
    assert.equal(headerValue(parsed.heads[0]!.headerLines, 'etag'), '"abc"');
    assert.equal(headerValue(parsed.heads[0]!.headerLines, 'x-amz-request-id'), 'tx1');
    assert.equal(headerValue(parsed.heads[0]!.headerLines, 'location'), '');
  });

  it('gives the same events however the bytes are split (property)', () => {
    const chunked =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/xml\r\n\r\n' +
      '5\r\nhello\r\n1a;name=value\r\n' + 'abcdefghijklmnopqrstuvwxyz' + '\r\n0\r\nx-trailer: t\r\n\r\n';
    const wire = 'HTTP/1.1 100 Continue\r\n\r\n' + OK_4K + chunked + 'HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n' + 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n';
    const requests = [false, false, false, true];
    const whole = parse(wire, [], requests);
    assert.deepEqual(whole.bodies, ['x'.repeat(4096), 'helloabcdefghijklmnopqrstuvwxyz', '', '']);
    assert.deepEqual(whole.heads.map((head) => head.status), [200, 200, 204, 200]);
    assert.equal(whole.heads[3]!.contentLength, 10, 'a HEAD response reports Content-Length, with no body');
    assert.equal(whole.leftover, 0);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
        assert.deepEqual(parse(wire, cuts, requests), whole);
      }),
      { numRuns: 300 },
    );
  });

  it('every single split point of a chunked response yields the same body', () => {
    const wire = 'HTTP/1.1 404 Not Found\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n';
    for (let cut = 0; cut <= wire.length; cut++) {
      const parsed = parse(wire, [cut]);
      assert.equal(parsed.heads[0]!.status, 404, `cut ${cut}`);
      assert.equal(parsed.heads[0]!.contentLength, -1, 'chunked: no content length');
      assert.deepEqual(parsed.bodies, ['abc'], `cut ${cut}`);
    }
  });

  it('Connection: close and HTTP/1.0 end the connection after the response; HTTP/1.0 keep-alive does not', () => {
    assert.deepEqual(parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nA').ends, [false]);
    assert.deepEqual(parse('HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nA').ends, [false]);
    assert.deepEqual(parse('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nA').ends, [true]);
  });

  it('a body without length runs to the end of the connection', () => {
    const open = parse('HTTP/1.1 200 OK\r\n\r\nsome bytes', [4, 25]);
    assert.deepEqual(open.ends, [], 'not complete before the connection ends');
    const closed = parse('HTTP/1.1 200 OK\r\n\r\nsome bytes', [4, 25], [false], true);
    assert.deepEqual(closed.bodies, ['some bytes']);
    assert.deepEqual(closed.ends, [false]);
  });

  it('reports bytes beyond the end of a response as not used', () => {
    const parsed = parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nABextra');
    assert.deepEqual(parsed.bodies, ['AB']);
    assert.equal(parsed.leftover, 5);
  });

  it('rejects what is not HTTP/1.x or cannot be framed', () => {
    const bad = [
      'SSH-2.0-OpenSSH\r\n\r\n',
      'HTTP/1.1 2x0 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n',
    ];
    for (const wire of bad) assert.throws(() => parse(wire), HttpProtocolError, JSON.stringify(wire));
  });

  it('rejects a head that never ends', () => {
    const parser = new Http1ResponseParser({ onResponseHead() {}, onResponseBody() {}, onResponseEnd() {} });
    parser.begin(false);
    parser.execute(Buffer.from('HTTP/1.1 200 OK\r\n'));
    const line = Buffer.from(`x-filler: ${'y'.repeat(1000)}\r\n`);
    assert.throws(() => {
      for (let i = 0; i < 100; i++) parser.execute(line);
    }, HttpProtocolError);
  });
});
