/**
 * The closed set of API error codes (../shared/api-contract.md), one mapping to HTTP status and
 * one message shape: `NAME: detail`. Domain code throws `ApiError`; the HTTP layer maps it to the
 * JSON envelope. Anything else that escapes becomes a generic 500 with no internals.
 */

export const ERROR_CODES = {
  SERVER_ERROR: { code: 500, status: 500 },
  NOT_LOGIN: { code: 10001, status: 401 },
  USER_NOT_EXIST: { code: 10002, status: 401 },
  INSUFFICIENT_CREDITS: { code: 10003, status: 402 },
  INVALID_PARAM: { code: 10004, status: 400 },
  HARMFUL_CONTENT: { code: 10005, status: 400 },
  INSUFFICIENT_TRAIL_COUNT: { code: 10006, status: 402 },
  TOO_MANY_REQUESTS: { code: 10007, status: 429 },
  TRY_ON_EXCEPTION: { code: 20001, status: 422 },
  INVALID_API_KEY: { code: 30001, status: 401 },
  INVALID_SIGNATURE: { code: 30002, status: 401 },
} as const;

export type ErrorName = keyof typeof ERROR_CODES;

export class ApiError extends Error {
  readonly errorName: ErrorName;
  readonly code: number;
  /** HTTP status; may differ from the table's default (413 for a too-large body, 503 when overloaded). */
  readonly status: number;
  readonly detail: string;
  /** Whether retrying the same request later could succeed (workers and clients use it). */
  readonly retryable: boolean;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Record<string, string>;

  constructor(
    errorName: ErrorName,
    detail: string,
    options: { status?: number; retryable?: boolean; headers?: Record<string, string> } = {},
  ) {
    super(`${errorName}: ${detail}`);
    this.name = 'ApiError';
    this.errorName = errorName;
    this.code = ERROR_CODES[errorName].code;
    this.status = options.status ?? ERROR_CODES[errorName].status;
    this.detail = detail;
    this.retryable = options.retryable ?? false;
    this.headers = options.headers ?? {};
  }

  /** The contract's `msg`: `NAME: detail`. */
  get msg(): string {
    return `${this.errorName}: ${this.detail}`;
  }
}

/**
 * The one message shape for a bad parameter (after sharp's invalidParameterError):
 * which field, what was expected, what came.
 */
export function invalidParam(field: string, expected: string, got?: string): ApiError {
  const came = got === undefined ? '' : `, got ${got}`;
  return new ApiError('INVALID_PARAM', `${field}: expected ${expected}${came}`);
}
