import { AppError } from '../http/errors';

export class DocumentTypeError extends AppError {
  constructor(allowed: readonly string[]) {
    super(
      415,
      'document_type_not_allowed',
      'Unsupported media type',
      `The file's bytes are not an allowed document type (${allowed.join(', ')}); the type is read from the content, not the file name or the declared type.`,
      { allowed },
    );
  }
}
