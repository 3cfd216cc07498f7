/**
 * One mapping from anything thrown to the contract's envelope `{code, msg}` (no `data`):
 * ApiError as it says; Fastify's own client errors (bad content type, malformed body, too large)
 * as 10004; anything else as a generic 500 whose details go to the log only, never to the client.
 */
import type { FastifyError } from 'fastify';
import { ApiError } from '../domain/errors.ts';
import { bodyTooLarge, multipartLimitError } from './form.ts';

export interface ErrorEnvelope {
  code: number;
  msg: string;
}

/** Errors from the HTTP layer itself that are the client's fault. */
function fromFastifyError(err: FastifyError): ApiError | null {
  const multipart = multipartLimitError(err, undefined);
  if (multipart) return multipart;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return bodyTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new ApiError('INVALID_PARAM', 'body: unsupported Content-Type; send multipart/form-data');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new ApiError('INVALID_PARAM', 'body: malformed request body');
    case 'FST_ERR_VALIDATION':
      return new ApiError('INVALID_PARAM', `request: ${err.message.slice(0, 200)}`);
    default:
      break;
  }
  // JSON syntax errors and similar carry a 4xx status from the content-type parsers.
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return new ApiError('INVALID_PARAM', err.statusCode === 413 ? 'body: request body too large' : 'body: malformed request', {
      status: err.statusCode === 413 ? 413 : 400,
    });
  }
  return null;
}

/** The ApiError to answer with; `internal` is true when the error was unexpected (log it in full). */
export function toApiError(err: unknown): { error: ApiError; internal: boolean } {
  if (err instanceof ApiError) return { error: err, internal: err.code === 500 && err.status === 500 };
  if (err && typeof err === 'object' && 'code' in err) {
    const mapped = fromFastifyError(err as FastifyError);
    if (mapped) return { error: mapped, internal: false };
  }
  return { error: new ApiError('SERVER_ERROR', 'internal error'), internal: true };
}

export function envelope(error: ApiError): ErrorEnvelope {
  return { code: error.code, msg: error.msg };
}
