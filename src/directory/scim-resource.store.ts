// Persistence of each connector's SCIM view (scim_users, scim_groups, scim_group_members).
// Plain SQL on the hot path: one statement per step, no ORM hydration, rows in, rows out.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isUuid } from '../common/uuid';

export type ScimResourceType = 'User' | 'Group';

export interface ScimRow {
  id: string;
  connector_id: string;
  data: Record<string, unknown>;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** Indexed columns derived from the resource; `data` stays the source of truth for everything else. */
export type IndexedColumns =
  | { user_name: string; external_id: string | null; display_name: string | null; active: boolean }
  | { display_name: string; external_id: string | null };

export interface SqlWhere {
  sql: string;
  params: unknown[];
}

export interface MemberInput {
  value: string;
  display?: string | null;
}

export interface MemberRow {
  group_id: string;
  member_id: string;
  member_type: ScimResourceType;
  display: string | null;
}

const TABLE: Record<ScimResourceType, string> = { User: 'scim_users', Group: 'scim_groups' };
const RETURNING = 'id, connector_id, data, version, created_at, updated_at';

@Injectable()
export class ScimResourceStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async insert(em: EntityManager, type: ScimResourceType, connectorId: string, columns: IndexedColumns, data: object): Promise<ScimRow> {
    const names = Object.keys(columns);
    const values = Object.values(columns);
    const placeholders = names.map((_, i) => `$${i + 3}`);
    const rows: ScimRow[] = await em.query(
      `INSERT INTO ${TABLE[type]} (connector_id, data, ${names.join(', ')}) VALUES ($1, $2, ${placeholders.join(', ')}) RETURNING ${RETURNING}`,
      [connectorId, data, ...values],
    );
    return rows[0];
  }

  async find(em: EntityManager, type: ScimResourceType, connectorId: string, id: string, lock = false): Promise<ScimRow | null> {
    const rows: ScimRow[] = await em.query(
      `SELECT ${RETURNING} FROM ${TABLE[type]} WHERE connector_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
      [connectorId, id],
    );
    return rows[0] ?? null;
  }

  /** Writes a new state and bumps the version; the caller holds the row lock. */
  async update(em: EntityManager, type: ScimResourceType, row: ScimRow, columns: IndexedColumns, data: object): Promise<ScimRow> {
    const names = Object.keys(columns);
    const sets = names.map((n, i) => `${n} = $${i + 4}`);
    const [rows]: [ScimRow[], number] = await em.query(
      `UPDATE ${TABLE[type]} SET data = $3, ${sets.join(', ')}, version = version + 1, updated_at = clock_timestamp()
       WHERE connector_id = $1 AND id = $2 RETURNING ${RETURNING}`,
      [row.connector_id, row.id, data, ...Object.values(columns)],
    );
    return rows[0];
  }

  /** A change that lives outside `data` (membership) still makes a new version. */
  async touch(em: EntityManager, type: ScimResourceType, row: ScimRow): Promise<ScimRow> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [rows]: [ScimRow[], number] = await em.query(
      `UPDATE ${TABLE[type]} SET version = version + 1, updated_at = clock_timestamp() WHERE connector_id = $1 AND id = $2 RETURNING ${RETURNING}`,
      [row.connector_id, row.id],
    );
    return rows[0];
  }

  async delete(em: EntityManager, type: ScimResourceType, connectorId: string, id: string): Promise<boolean> {
    // Membership rows name users and groups without a foreign key (a member may be either).
    await em.query(`DELETE FROM scim_group_members WHERE connector_id = $1 AND member_id = $2`, [connectorId, id]);
    const result: [unknown[], number] = await em.query(`DELETE FROM ${TABLE[type]} WHERE connector_id = $1 AND id = $2`, [connectorId, id]);
    return result[1] > 0;
  }

  async list(
    type: ScimResourceType,
    connectorId: string,
    where: SqlWhere | null,
    orderBy: string,
    offset: number,
    limit: number,
  ): Promise<{ total: number; rows: ScimRow[] }> {
    const params: unknown[] = [connectorId, ...(where?.params ?? [])];
    const condition = `r.connector_id = $1${where ? ` AND (${where.sql})` : ''}`;
    const [{ total }] = await this.manager.query(`SELECT count(*)::int AS total FROM ${TABLE[type]} r WHERE ${condition}`, params);
    if (limit === 0 || total === 0 || offset >= total) return { total, rows: [] };
    const rows: ScimRow[] = await this.manager.query(
      `SELECT ${RETURNING.split(', ').map((c) => `r.${c}`).join(', ')} FROM ${TABLE[type]} r WHERE ${condition}
       ORDER BY ${orderBy} OFFSET $${params.length + 1} LIMIT $${params.length + 2}`,
      [...params, offset, limit],
    );
    return { total, rows };
  }

  // ---- group membership, always as set operations ----

  /**
   * Adds the members that exist in this connector (users, or other groups), keeping the display the
   * IdP sent; re-adding a member updates its display. Reports the values that name nothing here.
   */
  async addMembers(em: EntityManager, connectorId: string, groupId: string, members: MemberInput[]): Promise<{ added: number; unknown: string[] }> {
    const byId = new Map<string, string | null>();
    const invalid: string[] = [];
    for (const m of members) {
      if (isUuid(m.value)) byId.set(m.value.toLowerCase(), m.display ?? byId.get(m.value.toLowerCase()) ?? null);
      else invalid.push(m.value);
    }
    if (byId.size === 0) return { added: 0, unknown: invalid };
    const [row]: { added: number; unknown: string[] }[] = await em.query(
      `WITH wanted AS (SELECT * FROM unnest($3::uuid[], $4::text[]) AS w(id, display)),
            found AS (
              SELECT u.id, 'User' AS member_type, w.display FROM scim_users u JOIN wanted w ON u.id = w.id WHERE u.connector_id = $1
              UNION ALL
              SELECT g.id, 'Group', w.display FROM scim_groups g JOIN wanted w ON g.id = w.id WHERE g.connector_id = $1 AND g.id <> $2
            ),
            ins AS (
              INSERT INTO scim_group_members (group_id, member_id, member_type, connector_id, display)
              SELECT $2, id, member_type, $1, display FROM found
              ON CONFLICT (group_id, member_id) DO UPDATE SET display = coalesce(EXCLUDED.display, scim_group_members.display)
              RETURNING (xmax = 0) AS inserted
            )
       SELECT (SELECT count(*) FROM ins WHERE inserted)::int AS added,
              coalesce((SELECT array_agg(w.id::text) FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM found f WHERE f.id = w.id)), '{}') AS unknown`,
      [connectorId, groupId, [...byId.keys()], [...byId.values()]],
    );
    return { added: row.added, unknown: [...invalid, ...row.unknown] };
  }

  async removeMembers(em: EntityManager, connectorId: string, groupId: string, memberIds: string[]): Promise<number> {
    const { valid } = splitUuids(memberIds);
    if (valid.length === 0) return 0;
    const result: [unknown[], number] = await em.query(
      `DELETE FROM scim_group_members WHERE group_id = $1 AND connector_id = $2 AND member_id = ANY($3::uuid[])`,
      [groupId, connectorId, valid],
    );
    return result[1];
  }

  async removeAllMembers(em: EntityManager, connectorId: string, groupId: string): Promise<number> {
    const result: [unknown[], number] = await em.query(`DELETE FROM scim_group_members WHERE group_id = $1 AND connector_id = $2`, [groupId, connectorId]);
    return result[1];
  }

  /** Members with a display value, for the groups being returned. */
  async membersOf(groupIds: string[], em: EntityManager = this.manager): Promise<MemberRow[]> {
    if (groupIds.length === 0) return [];
    return em.query(
      `SELECT m.group_id, m.member_id, m.member_type,
              coalesce(m.display, u.display_name, u.user_name, g.display_name) AS display
       FROM scim_group_members m
       LEFT JOIN scim_users u ON m.member_type = 'User' AND u.id = m.member_id
       LEFT JOIN scim_groups g ON m.member_type = 'Group' AND g.id = m.member_id
       WHERE m.group_id = ANY($1::uuid[])
       ORDER BY m.group_id, m.created_at, m.member_id`,
      [groupIds],
    );
  }

  /** The groups the given users or groups belong to directly (the read-only `groups` attribute). */
  async groupsOf(memberIds: string[], em: EntityManager = this.manager): Promise<{ member_id: string; group_id: string; display: string }[]> {
    if (memberIds.length === 0) return [];
    return em.query(
      `SELECT m.member_id, g.id AS group_id, g.display_name AS display
       FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id
       WHERE m.member_id = ANY($1::uuid[]) ORDER BY g.display_name, g.id`,
      [memberIds],
    );
  }
}

/** Ids that cannot be uuids name nothing; keeping them out lets Postgres use the uuid indexes. */
function splitUuids(ids: string[]): { valid: string[]; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const id of ids) (isUuid(id) ? valid : invalid).push(id);
  return { valid, invalid };
}
