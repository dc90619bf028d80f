import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEvent } from './audit-event.entity';

export interface AuditRecord {
  actor: string;
  action: string;
  requestId?: string;
  directoryId?: string | null;
  connectorId?: string | null;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/** Writes the audit trail; callers pass their transaction so a change and its record land together. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(event: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.insert(AuditEvent, {
      actor: event.actor,
      action: event.action,
      requestId: event.requestId ?? null,
      directoryId: event.directoryId ?? null,
      connectorId: event.connectorId ?? null,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      details: (event.details ?? {}) as object,
    });
  }

  list(filter: { connectorId?: string; directoryId?: string; limit: number; before?: string }): Promise<AuditEvent[]> {
    const q = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e').orderBy('e.id', 'DESC').limit(filter.limit);
    if (filter.connectorId) q.andWhere('e.connector_id = :connectorId', { connectorId: filter.connectorId });
    if (filter.directoryId) q.andWhere('e.directory_id = :directoryId', { directoryId: filter.directoryId });
    if (filter.before) q.andWhere('e.id < :before', { before: filter.before });
    return q.getMany();
  }
}
