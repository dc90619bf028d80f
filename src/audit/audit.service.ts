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

/**
 * An audit INSERT to embed in another statement (a CTE), for hot paths where the change and its
 * record must land together without the round trips of an explicit transaction. `targetIdSql` is
 * the SQL giving the target id (e.g. the id a preceding CTE returned); `from` the CTE it reads.
 */
export function auditInsertSql(event: AuditRecord, firstParam: number, targetIdSql: string, from: string): { sql: string; params: unknown[] } {
  const p = (i: number) => `$${firstParam + i}`;
  return {
    sql: `INSERT INTO audit_events (actor, action, request_id, directory_id, connector_id, target_type, target_id, details)
          SELECT ${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}::uuid, ${p(4)}::uuid, ${p(5)}, ${targetIdSql}, ${p(6)}::jsonb FROM ${from}`,
    params: [event.actor, event.action, event.requestId ?? null, event.directoryId ?? null, event.connectorId ?? null, event.targetType ?? null, event.details ?? {}],
  };
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
