import type { ErrorCode } from './error-codes.js';
import type { AppError } from './errors.js';
import { bothLanguages } from '../text/catalogue.js';

/**
 * The text of an XML file from its bytes, decoded as the file says (XML 1.0, appendix F): a byte
 * order mark first (UTF-8 EF BB BF, UTF-16LE FF FE, UTF-16BE FE FF), else `<?` in UTF-16 (3C 00 3F 00
 * or 00 3C 00 3F, XML 1.0 Appendix F.1), else the `encoding` of the XML
 * declaration, else UTF-8. Windows PowerShell 5.1's `nmap -oX - > scan.xml` writes UTF-16LE with a
 * BOM. Pure (TextDecoder only), so the app and the renderer decode a file the same way. Throws an
 * XmlEncodingError (carrying its AppError) for a declared encoding TextDecoder does not know.
 */
export function decodeXmlBytes(bytes: Uint8Array): string {
  const { decoder, skip } = xmlTextDecoder(bytes);
  return decoder.decode(bytes.subarray(skip));
}

/**
 * The decoder for an XML file whose first bytes are `head` (200 are enough: the BOM or the XML
 * declaration), as decodeXmlBytes chooses it, and how many bytes of BOM to skip; for a file read in
 * pieces (`decode(piece, { stream: true })`). Throws XmlEncodingError as decodeXmlBytes does.
 */
export function xmlTextDecoder(head: Uint8Array): { decoder: TextDecoder; skip: number } {
  const [a, b, c, d] = head;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { decoder: new TextDecoder('utf-8'), skip: 3 };
  if (a === 0xff && b === 0xfe) return { decoder: new TextDecoder('utf-16le'), skip: 2 };
  if (a === 0xfe && b === 0xff) return { decoder: new TextDecoder('utf-16be'), skip: 2 };
  // No BOM but UTF-16 all the same: `<?` as two-byte units (XML 1.0, Appendix F.1).
  if (a === 0x3c && b === 0x00 && c === 0x3f && d === 0x00)
    return { decoder: new TextDecoder('utf-16le'), skip: 0 };
  if (a === 0x00 && b === 0x3c && c === 0x00 && d === 0x3f)
    return { decoder: new TextDecoder('utf-16be'), skip: 0 };
  // No BOM: the declaration is ASCII in every ASCII-compatible encoding.
  const text = new TextDecoder('latin1').decode(head.subarray(0, 200));
  const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(text)?.[1];
  try {
    return { decoder: new TextDecoder(declared ?? 'utf-8'), skip: 0 };
  } catch {
    throw new XmlEncodingError(declared ?? 'utf-8');
  }
}

/** An XML file in an encoding this app cannot read, said in both languages. */
export class XmlEncodingError extends Error {
  readonly appError: AppError;
  constructor(readonly encoding: string) {
    super(`unknown XML encoding ${encoding}`);
    this.name = 'XmlEncodingError';
    // The name as the file wrote it, cut short: it is shown to the user.
    const shown = encoding.slice(0, 40);
    this.appError = {
      code: 'report.nmap-encoding' satisfies ErrorCode,
      message: bothLanguages('errors:report.nmap-encoding', { encoding: shown }),
      params: { encoding: shown },
    };
  }
}
