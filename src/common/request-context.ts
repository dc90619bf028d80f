import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { FastifyRequest } from 'fastify';

/** Who asked, for the audit trail: passed explicitly from controllers to services (or the scheduler). */
export interface AdminContext {
  actor: 'admin' | 'scheduler';
  requestId: string;
}

export const AdminCtx = createParamDecorator((_: unknown, ctx: ExecutionContext): AdminContext => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  return { actor: 'admin', requestId: String(request.id) };
});
