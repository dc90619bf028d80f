import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { DomainError } from '../common/domain-error';
import { bearerToken } from '../common/tokens';
import { AdminTokenService } from './admin-token.service';

@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(AdminTokenService) private readonly tokens: AdminTokenService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new DomainError('unauthorized', 'Send the admin token as "Authorization: Bearer <token>"');
    if (!this.tokens.verify(token)) throw new DomainError('unauthorized', 'The admin token is not valid');
    return true;
  }
}
