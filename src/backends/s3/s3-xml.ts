// The few facts iofleet reads from S3's XML responses, read without an XML parser (the responses it
// reads are small and their elements fixed), and the escaping of what it writes into XML requests.

/** <KeyCount> of a ListObjectsV2 page; counts <Key> elements when a server leaves it out. */
export function listKeyCount(page: Buffer): number {
  const at = page.indexOf('<KeyCount>');
  if (at >= 0) {
    let count = 0;
    for (let i = at + 10; i < page.length; i++) {
      const digit = page[i]! - 48;
      if (digit < 0 || digit > 9) break;
      count = count * 10 + digit;
    }
    return count;
  }
  let count = 0;
  for (let i = page.indexOf('<Key>'); i >= 0; i = page.indexOf('<Key>', i + 5)) count++;
  return count;
}

/** The <Code> of an S3 error response body (NoSuchKey, SlowDown, ...); undefined when it has none. */
export function s3ErrorCode(body: Buffer): string | undefined {
  return s3ErrorCodeOfText(body.toString('utf8'));
}

/** s3ErrorCode of a body already read as text. */
export function s3ErrorCodeOfText(body: string): string | undefined {
  const code = xmlElementText(body, 'Code');
  return code === '' ? undefined : code;
}

/** Text of the first <name> element, unescaped; '' when absent. */
export function xmlElementText(xml: string, name: string): string {
  const open = xml.indexOf('<' + name + '>');
  if (open < 0) return '';
  const from = open + name.length + 2;
  const close = xml.indexOf('</' + name + '>', from);
  return close < 0 ? '' : unescapeXml(xml.slice(from, close));
}

export function countOccurrences(text: string, fragment: string): number {
  let count = 0;
  for (let i = text.indexOf(fragment); i >= 0; i = text.indexOf(fragment, i + fragment.length)) count++;
  return count;
}

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) => {
    switch (entity) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
    }
  });
}
