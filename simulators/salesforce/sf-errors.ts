// Salesforce's REST error envelope: a JSON array of {message, errorCode, fields?} with an HTTP status.

export interface SfErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

export class SfError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = 'SfError';
  }

  body(): SfErrorBody[] {
    return [
      { message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) },
    ];
  }
}

export const malformedQuery = (message: string) => new SfError(400, 'MALFORMED_QUERY', message);
export const invalidField = (message: string) => new SfError(400, 'INVALID_FIELD', message);
export const notFound = (message = 'The requested resource does not exist') =>
  new SfError(404, 'NOT_FOUND', message);

/** OAuth endpoints answer in their own shape: `{error, error_description}`, usually 400. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}
