import { createHash } from 'node:crypto';
import { ValidationError } from '../http/errors';
import { DocumentTypeError } from './documents.errors';
import { SNIFF_BYTES, sniff } from './sniff';

/** Bytes per stored chunk row: a download reads and sends one at a time. */
export const CHUNK_BYTES = 256 * 1024;

export interface DocumentContent {
  chunks: Buffer[];
  size: number;
  sha256: string;
  contentType: string;
}

/**
 * An upload as it arrives: hashed piece by piece, cut into CHUNK_BYTES chunks ready for their rows, and its type
 * sniffed from the first SNIFF_BYTES, so a refused type stops the upload there instead of after the whole body.
 * The bytes stay Buffers (never a string) and are held only until the one transaction that stores them: holding a
 * database transaction open while a client uploads would pin a pooled connection (and, embedded, the only
 * transaction there is) for as long as the slowest client takes. DOCUMENT_MAX_BYTES bounds what is held.
 */
export class ReceivedDocument {
  private readonly hash = createHash('sha256');
  private readonly chunks: Buffer[] = [];
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private size = 0;
  private contentType: string | undefined;

  constructor(private readonly allowed: readonly string[]) {}

  add(piece: Buffer): void {
    this.hash.update(piece);
    this.size += piece.length;
    this.pending.push(piece);
    this.pendingBytes += piece.length;
    if (this.contentType === undefined && this.size >= SNIFF_BYTES) this.decideType();
    while (this.pendingBytes >= CHUNK_BYTES) this.cut(CHUNK_BYTES);
  }

  /** The whole document; throws when it is empty or (for a file shorter than SNIFF_BYTES) of a refused type. */
  finish(): DocumentContent {
    if (this.size === 0) throw new ValidationError([{ path: 'body.file', message: 'the file is empty' }]);
    if (this.contentType === undefined) this.decideType();
    if (this.pendingBytes > 0) this.cut(this.pendingBytes);
    return { chunks: this.chunks, size: this.size, sha256: this.hash.digest('hex'), contentType: this.contentType! };
  }

  private decideType(): void {
    const head = this.chunks.length ? this.chunks[0] : Buffer.concat(this.pending);
    const type = sniff(head.subarray(0, SNIFF_BYTES));
    if (!type || !this.allowed.includes(type)) throw new DocumentTypeError(this.allowed);
    this.contentType = type;
  }

  /** Moves the first `bytes` pending bytes into a chunk of their own. */
  private cut(bytes: number): void {
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.chunks.push(all.subarray(0, bytes));
    const rest = all.subarray(bytes);
    this.pending = rest.length ? [rest] : [];
    this.pendingBytes = rest.length;
  }
}
