import { SNIFF_BYTES, sniff } from './sniff';

const bytes = (...parts: (number[] | string)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('document sniffer', () => {
  it.each([
    ['a PDF', bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj'), 'application/pdf'],
    ['a PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR'), 'image/png'],
    ['a JPEG (JFIF)', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF'), 'image/jpeg'],
    ['a JPEG (Exif)', bytes([0xff, 0xd8, 0xff, 0xe1, 0, 16], 'Exif'), 'image/jpeg'],
    ['a little-endian TIFF', bytes([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), 'image/tiff'],
    ['a big-endian TIFF', bytes([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]), 'image/tiff'],
    ['a BigTIFF', bytes([0x49, 0x49, 0x2b, 0x00, 8, 0, 0, 0]), 'image/tiff'],
    [
      'an XML e-invoice',
      bytes('<?xml version="1.0" encoding="UTF-8"?>\n<esf:invoiceContainer xmlns:esf="esf"/>'),
      'application/xml',
    ],
    [
      'XML with a BOM, comments and a doctype',
      bytes([0xef, 0xbb, 0xbf], '<?xml version="1.0"?><!-- x --><!DOCTYPE a [<!ENTITY e "<b>">]><a/>'),
      'application/xml',
    ],
    [
      'UTF-16LE XML with a BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0"?><invoice/>', 'utf16le')]),
      'application/xml',
    ],
    [
      'UTF-16BE XML with a BOM',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('<?xml version="1.0"?><invoice/>', 'utf16le').swap16()]),
      'application/xml',
    ],
  ])('recognises %s', (_name, head, type) => {
    expect(sniff(head)).toBe(type);
  });

  it.each([
    ['an HTML page', bytes('<!DOCTYPE html><html><script>alert(1)</script>')],
    ['HTML with leading spaces', bytes('  \n<html>')],
    ['a ZIP (also DOCX, XLSX)', bytes([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0])],
    ['a Windows executable', bytes('MZ\x90\x00\x03\x00\x00\x00')],
    ['an ELF binary', bytes([0x7f], 'ELF', [2, 1, 1])],
    ['a GIF', bytes('GIF89a')],
    ['plain text', bytes('Invoice 123, total 5000 USD')],
    ['an empty file', Buffer.alloc(0)],
    ['junk before %PDF- (a polyglot)', bytes('<html>%PDF-1.4')],
    ['a truncated PNG signature', bytes([0x89, 0x50, 0x4e, 0x47])],
    ['two bytes of JPEG', bytes([0xff, 0xd8])],
    [
      'an SVG (XML that runs script)',
      bytes('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
    [
      'XHTML',
      bytes(
        '<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"/>',
      ),
    ],
    ['a prefixed SVG root', bytes('<?xml version="1.0"?><s:svg xmlns:s="http://www.w3.org/2000/svg"/>')],
    ['an xml-stylesheet PI without a declaration', bytes('<?xml-stylesheet href="a"?><a/>')],
    [
      'XML whose root lies beyond the sniffed bytes',
      bytes('<?xml version="1.0"?><!--', 'x'.repeat(SNIFF_BYTES), '--><a/>'),
    ],
  ])('refuses %s', (_name, head) => {
    expect(sniff(head)).toBeUndefined();
  });
});
