/**
 * The text of an XML file from its bytes, decoded as the file says (XML 1.0, appendix F): a byte
 * order mark first (UTF-8 EF BB BF, UTF-16LE FF FE, UTF-16BE FE FF), else the `encoding` of the XML
 * declaration, else UTF-8. Windows PowerShell 5.1's `nmap -oX - > scan.xml` writes UTF-16LE with a
 * BOM. Pure (TextDecoder only), so the app and the renderer decode a file the same way. Throws a
 * RangeError for an encoding TextDecoder does not know.
 */
export function decodeXmlBytes(bytes: Uint8Array): string {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf)
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (a === 0xff && b === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (a === 0xfe && b === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  // No BOM: the declaration is ASCII in every ASCII-compatible encoding.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  return new TextDecoder(declared ?? 'utf-8').decode(bytes);
}
