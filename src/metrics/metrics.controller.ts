import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { RosterConfig } from '../config/configuration';
import { bearerToken } from '../common/tokens';
import { MetricsService } from './metrics.service';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  private readonly token?: Buffer;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(ConfigService) config: ConfigService<RosterConfig, true>,
  ) {
    const token = config.get('app', { infer: true }).metricsToken;
    this.token = token === undefined ? undefined : digest(token);
  }

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics: requests, SCIM traffic per connector, open brake holds, running jobs, the database pool, the process',
    description: 'Open unless METRICS_TOKEN is set; then scrape with `Authorization: Bearer <METRICS_TOKEN>`.',
  })
  @ApiBearerAuth('metrics')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the request does not carry it' })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    if (this.token) {
      const given = bearerToken(authorization);
      if (!given || !timingSafeEqual(digest(given), this.token)) {
        void reply.status(401).header('WWW-Authenticate', 'Bearer realm="roster-metrics"').type('text/plain; charset=utf-8').send('METRICS_TOKEN required\n');
        return;
      }
    }
    void reply.type(this.metrics.registry.contentType).send(await this.metrics.render());
  }
}
