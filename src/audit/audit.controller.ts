import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminGuard } from '../admin-auth/admin.guard';
import { ApiErrorDto } from '../common/api-error.dto';
import { AuditEventDto, AuditQueryDto } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'Missing or wrong admin token' })
@Controller('api/v1/audit-events')
@UseGuards(AdminGuard)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Read the audit trail, newest first', description: 'Page with `before` = the smallest id of the previous page.' })
  @ApiOkResponse({ type: AuditEventDto, isArray: true })
  async list(@Query() query: AuditQueryDto): Promise<AuditEventDto[]> {
    const events = await this.audit.list({ ...query, limit: query.limit ?? 100 });
    return events.map((e) => AuditEventDto.from(e));
  }
}
