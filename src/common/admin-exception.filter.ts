// The admin API's one error mapper: domain errors, validation failures and database constraint
// violations become JSON errors with a status, a message and the offending fields; never a stack.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, DomainErrorCode, FieldProblem } from './domain-error';
import { isUniqueViolation } from './pg-errors';

const STATUS: Record<DomainErrorCode, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unavailable: HttpStatus.BAD_GATEWAY,
};

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  fields?: FieldProblem[];
  requestId: string;
}

@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminApi');

  catch(exception: unknown, host: ArgumentsHost) {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = this.toBody(exception, String(request.id));
    // A DomainError at 5xx (an LDAP server that could not be reached) is answered with its reason; only the unexpected is logged as an error.
    if (body.statusCode >= 500 && !(exception instanceof DomainError)) {
      this.logger.error({ msg: 'Unhandled error', requestId: body.requestId, err: exception });
    }
    if (body.statusCode === HttpStatus.UNAUTHORIZED) reply.header('WWW-Authenticate', 'Bearer realm="roster-admin"');
    void reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, requestId: string): ApiErrorBody {
    if (exception instanceof DomainError) {
      const statusCode = STATUS[exception.code];
      return { statusCode, error: reason(statusCode), message: exception.message, ...(exception.fields.length ? { fields: exception.fields } : {}), requestId };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      const fields = typeof response === 'object' && response && 'fields' in response ? (response as { fields: FieldProblem[] }).fields : undefined;
      const message =
        typeof response === 'object' && response && 'message' in response
          ? String((response as { message: unknown }).message)
          : exception.message;
      return { statusCode, error: reason(statusCode), message, ...(fields ? { fields } : {}), requestId };
    }
    if (isUniqueViolation(exception)) {
      return { statusCode: 409, error: reason(409), message: 'A resource with the same unique value already exists', requestId };
    }
    return { statusCode: 500, error: reason(500), message: 'Internal server error', requestId };
  }
}

function reason(status: number): string {
  const name = HttpStatus[status];
  return name ? name.toLowerCase().split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ') : 'Error';
}
