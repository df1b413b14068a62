/**
 * The document types the service can recognise (documents/sniff.ts answers only these) and the default allow-list.
 * Declared here, below both, because the configuration validates DOCUMENT_TYPES against them when it loads.
 */

/** Every type the sniffer can answer: the allow-list (config DOCUMENT_TYPES) must be a subset. */
export const SNIFFABLE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'application/xml'] as const;
export type SniffedType = (typeof SNIFFABLE_TYPES)[number];

/**
 * The default allow-list (config DOCUMENT_TYPES): scans and photos of licences, end-use statements and invoices (PDF,
 * PNG, JPEG, TIFF from fax and scanner software), and XML because electronic invoices and customs e-documents are XML
 * (Kazakhstan's ESF e-invoice, EU customs messages). XML is safe to keep here because it is never parsed by the
 * service, is served as an attachment with nosniff and a `default-src 'none'` policy, and SVG or XHTML roots (XML a
 * browser would run) are not sniffed as XML. Sniffed XML is always called application/xml (RFC 7303), never text/xml.
 */
export const DEFAULT_DOCUMENT_TYPES: readonly SniffedType[] = SNIFFABLE_TYPES;
