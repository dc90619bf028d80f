import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumberString, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { AuditEvent } from './audit-event.entity';

export class AuditQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  connectorId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  directoryId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'Only events with a smaller id (for paging)', example: '1042' })
  @IsOptional()
  @IsNumberString()
  before?: string;
}

export class AuditEventDto {
  @ApiProperty({ example: '1042' }) id: string;
  @ApiProperty() occurredAt: Date;
  @ApiProperty({ example: 'admin' }) actor: string;
  @ApiProperty({ example: 'connector.created' }) action: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) directoryId: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) connectorId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'connector' }) targetType: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) targetId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: object;

  static from(e: AuditEvent): AuditEventDto {
    return Object.assign(new AuditEventDto(), {
      id: String(e.id),
      occurredAt: e.occurredAt,
      actor: e.actor,
      action: e.action,
      directoryId: e.directoryId,
      connectorId: e.connectorId,
      targetType: e.targetType,
      targetId: e.targetId,
      requestId: e.requestId,
      details: e.details,
    });
  }
}
