// The SCIM transport's one error mapper (RFC 7644 3.12): every failure leaves as a SCIM Error
// document with `status` as a string and the precise scimType, in application/scim+json; under
// /scim/v1 as SCIM 1.1's `{"Errors": [{"description", "code"}]}` in application/json.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { scim1Error, ScimError } from '@roster/scim-core';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/domain-error';
import { isUniqueViolation, pgError } from '../common/pg-errors';
import { protocolOfUrl, SCIM1_CONTENT_TYPE } from './scim-version';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Scim');

  catch(exception: unknown, host: ArgumentsHost) {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = toScimError(exception);
    if (error.status >= 500) {
      this.logger.error({ msg: 'Unhandled error in a SCIM request', requestId: String(request.id), err: exception });
    }
    if (error.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="roster-scim"');
    sendScimError(reply, protocolOfUrl(request.url), error);
  }
}

/** An error in the format of the request's SCIM version (RFC 7644 3.12, or SCIM 1.1's `Errors` list). */
export function sendScimError(reply: FastifyReply, protocol: 'scim1' | 'scim2', error: ScimError): void {
  if (protocol === 'scim1') void reply.status(error.status).type(SCIM1_CONTENT_TYPE).send(scim1Error(error));
  else void reply.status(error.status).type(SCIM_CONTENT_TYPE).send(error.toJSON());
}

export function toScimError(exception: unknown): ScimError {
  if (exception instanceof ScimError) return exception;
  if (exception instanceof DomainError) {
    const status = { invalid: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409, unavailable: 502 }[exception.code];
    return new ScimError(status, exception.code === 'invalid' ? 'invalidValue' : exception.code === 'conflict' ? 'uniqueness' : undefined, exception.message);
  }
  if (isUniqueViolation(exception)) {
    return new ScimError(409, 'uniqueness', uniquenessDetail(pgError(exception)?.constraint));
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    // Fastify's body parser rejects malformed JSON before any handler runs.
    if (status === 400) return new ScimError(400, 'invalidSyntax', `The request body is not valid JSON: ${exception.message}`);
    if (status === 413) return new ScimError(413, undefined, 'The request body is too large');
    if (status === 415) return new ScimError(400, 'invalidSyntax', 'Send application/scim+json or application/json');
    return new ScimError(status, undefined, exception.message);
  }
  const code = (exception as { code?: string } | undefined)?.code;
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new ScimError(400, 'invalidSyntax', 'Send application/scim+json or application/json');
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ScimError(413, undefined, 'The request body is too large');
  if (code?.startsWith('FST_ERR_CTP')) return new ScimError(400, 'invalidSyntax', 'The request body is not valid JSON');
  return new ScimError(500, undefined, 'Internal server error');
}

function uniquenessDetail(constraint: string | undefined): string {
  switch (constraint) {
    case 'uq_scim_users_connector_username':
      return 'A user with this userName already exists';
    case 'uq_users_directory_username':
      return 'The directory already has a user with this username from another source, and this connector does not link identities (identityLinking: never)';
    case 'uq_scim_groups_connector_display_name':
      return 'A group with this displayName already exists';
    default:
      return 'A resource with the same unique attribute already exists';
  }
}
