// Persistence of each connector's SCIM view (scim_users, scim_groups, scim_group_members).
// Plain SQL on the hot path: one statement per step, no ORM hydration, rows in, rows out.
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditRecord, auditInsertSql } from '../audit/audit.service';
import { isUuid } from '../common/uuid';

export type ScimResourceType = 'User' | 'Group';

export interface ScimRow {
  id: string;
  connector_id: string;
  data: Record<string, unknown>;
  version: number;
  created_at: Date;
  updated_at: Date;
  /** A user's direct groups, when the query asked for them (the read-only `groups` attribute). */
  groups?: { value: string; display: string }[];
}

/** Indexed columns derived from the resource; `data` stays the source of truth for everything else. */
export type IndexedColumns =
  // `id` only when the caller names the record (an LDAP entry's own id); otherwise Postgres draws one.
  | { id?: string; user_name: string; external_id: string | null; display_name: string | null; active: boolean }
  | { id?: string; display_name: string; external_id: string | null };

export interface SqlWhere {
  sql: string;
  params: unknown[];
}

/** More CTEs for the same statement (the directory projection), given where their parameters start. */
export type ExtraCtes = (firstParam: number, sourceRefSql: string, guardSql: string) => { sql: string; params: unknown[] } | undefined;

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
const COLUMNS = RETURNING.split(', ');
/**
 * What a write returns: everything but `data`, which the caller has just sent (Postgres would turn
 * the jsonb back into text and pg parse it again, on every create and update).
 */
const WRITTEN = 'id, connector_id, version, created_at, updated_at';
const withData = (row: Omit<ScimRow, 'data'> | undefined, data: object): ScimRow | undefined =>
  row && { ...row, data: data as Record<string, unknown> };
/** A user's direct groups as one jsonb array, computed in the same query as the user. */
const GROUPS_OF = (alias: string) =>
  `coalesce((SELECT jsonb_agg(jsonb_build_object('value', g.id, 'display', g.display_name) ORDER BY g.display_name, g.id)
             FROM scim_group_members gm JOIN scim_groups g ON g.id = gm.group_id WHERE gm.member_id = ${alias}.id), '[]') AS groups`;

/** Statement texts run as named prepared statements; bounded, since filters make texts vary. */
const PREPARED = new Map<string, string>();
const MAX_PREPARED = 500;

function statementName(text: string): string | undefined {
  let name = PREPARED.get(text);
  if (name === undefined && PREPARED.size < MAX_PREPARED) {
    name = `roster_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    PREPARED.set(text, name);
  }
  return name;
}

interface PgResult<T> {
  rows: T[];
  rowCount: number | null;
}
interface PgQueryable {
  query<T>(config: { name?: string; text: string; values: unknown[] }): Promise<PgResult<T>>;
}

@Injectable()
export class ScimResourceStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs a statement on the pg connection underneath TypeORM (the transaction's, or the pool's) as a
   * named prepared statement: Postgres parses and plans each text once per connection instead of on
   * every SCIM request. The hot path needs nothing else from the ORM.
   */
  private async run<T>(em: EntityManager, text: string, values: unknown[], prepared = true): Promise<PgResult<T>> {
    const runner = em.queryRunner;
    const target: PgQueryable =
      runner && !runner.isReleased ? ((await runner.connect()) as PgQueryable) : ((this.dataSource.driver as unknown as { master: PgQueryable }).master);
    return target.query<T>({ name: prepared ? statementName(text) : undefined, text, values });
  }

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Inserts a resource; with `audit`, its audit record lands in the same statement. */
  async insert(
    em: EntityManager,
    type: ScimResourceType,
    connectorId: string,
    columns: IndexedColumns,
    data: object,
    audit?: AuditRecord,
    extra?: ExtraCtes,
  ): Promise<ScimRow> {
    const names = Object.keys(columns);
    const values = Object.values(columns);
    const placeholders = names.map((_, i) => `$${i + 3}`);
    const insert = `INSERT INTO ${TABLE[type]} (connector_id, data, ${names.join(', ')}) VALUES ($1, $2, ${placeholders.join(', ')}) RETURNING ${WRITTEN}`;
    const params = [connectorId, data, ...values];
    if (!audit) return withData((await this.run<ScimRow>(em, insert, params)).rows[0], data)!;
    const record = auditInsertSql(audit, params.length + 1, 'written.id::text', 'written');
    const more = extra?.(params.length + record.params.length + 1, '(SELECT id::text FROM written)', 'EXISTS (SELECT 1 FROM written)');
    const { rows } = await this.run<ScimRow>(
      em,
      `WITH written AS (${insert}), audited AS (${record.sql})${more ? `, ${more.sql}` : ''} SELECT * FROM written`,
      [...params, ...record.params, ...(more?.params ?? [])],
    );
    return withData(rows[0], data)!;
  }

  async find(em: EntityManager, type: ScimResourceType, connectorId: string, id: string, options: { lock?: boolean; groups?: boolean } = {}): Promise<ScimRow | null> {
    const groups = options.groups && type === 'User' ? `, ${GROUPS_OF('r')}` : '';
    const { rows } = await this.run<ScimRow>(
      em,
      `SELECT ${COLUMNS.map((c) => `r.${c}`).join(', ')}${groups} FROM ${TABLE[type]} r WHERE r.connector_id = $1 AND r.id = $2${options.lock ? ' FOR UPDATE OF r' : ''}`,
      [connectorId, id],
    );
    return rows[0] ?? null;
  }

  /** The stored `data` of those of `ids` that exist, by id: one read for a batch of records. */
  async dataOf(em: EntityManager, type: ScimResourceType, connectorId: string, ids: string[]): Promise<Map<string, unknown>> {
    const { rows } = await this.run<{ id: string; data: unknown }>(
      em,
      `SELECT id::text AS id, data FROM ${TABLE[type]} WHERE connector_id = $1 AND id = ANY($2::uuid[])`,
      [connectorId, ids],
    );
    return new Map(rows.map((r) => [r.id, r.data]));
  }

  /**
   * Writes a new state if the row still has `expectedVersion` (optimistic concurrency: null when it
   * changed or went away meanwhile, and the caller reads again), with its audit record, in one statement.
   */
  async updateIfVersion(
    em: EntityManager,
    type: ScimResourceType,
    row: ScimRow,
    columns: IndexedColumns,
    data: object,
    audit: AuditRecord,
    groups = false,
    extra?: ExtraCtes,
  ): Promise<ScimRow | null> {
    const names = Object.keys(columns);
    const sets = names.map((n, i) => `${n} = $${i + 5}`);
    const params = [row.connector_id, row.id, data, row.version, ...Object.values(columns)];
    const record = auditInsertSql(audit, params.length + 1, 'written.id::text', 'written');
    const more = extra?.(params.length + record.params.length + 1, '(SELECT id::text FROM written)', 'EXISTS (SELECT 1 FROM written)');
    const { rows } = await this.run<ScimRow>(
      em,
      `WITH written AS (
         UPDATE ${TABLE[type]} SET data = $3, ${sets.join(', ')}, version = version + 1, updated_at = clock_timestamp()
         WHERE connector_id = $1 AND id = $2 AND version = $4 RETURNING ${WRITTEN}),
       audited AS (${record.sql})${more ? `, ${more.sql}` : ''}
       SELECT w.*${groups && type === 'User' ? `, ${GROUPS_OF('w')}` : ''} FROM written w`,
      [...params, ...record.params, ...(more?.params ?? [])],
    );
    return withData(rows[0], data) ?? null;
  }

  /** Writes a new state and bumps the version; the caller holds the row lock. */
  async update(em: EntityManager, type: ScimResourceType, row: ScimRow, columns: IndexedColumns, data: object): Promise<ScimRow> {
    const names = Object.keys(columns);
    const sets = names.map((n, i) => `${n} = $${i + 4}`);
    const { rows } = await this.run<ScimRow>(
      em,
      `UPDATE ${TABLE[type]} SET data = $3, ${sets.join(', ')}, version = version + 1, updated_at = clock_timestamp()
       WHERE connector_id = $1 AND id = $2 RETURNING ${WRITTEN}`,
      [row.connector_id, row.id, data, ...Object.values(columns)],
    );
    return withData(rows[0], data)!;
  }

  /** A change that lives outside `data` (membership) still makes a new version. */
  async touch(em: EntityManager, type: ScimResourceType, row: ScimRow): Promise<ScimRow> {
    const { rows } = await this.run<ScimRow>(
      em,
      `UPDATE ${TABLE[type]} SET version = version + 1, updated_at = clock_timestamp() WHERE connector_id = $1 AND id = $2 RETURNING ${RETURNING}`,
      [row.connector_id, row.id],
    );
    return rows[0];
  }

  async delete(em: EntityManager, type: ScimResourceType, connectorId: string, id: string): Promise<boolean> {
    // Membership rows name users and groups without a foreign key (a member may be either).
    await this.run(em, `DELETE FROM scim_group_members WHERE connector_id = $1 AND member_id = $2`, [connectorId, id]);
    const result = await this.run(em, `DELETE FROM ${TABLE[type]} WHERE connector_id = $1 AND id = $2`, [connectorId, id]);
    return (result.rowCount ?? 0) > 0;
  }

  /**
   * One page and the total number of matches. A filtered query (an IdP's lookup: usually one row or
   * none) runs alone and is counted only when the page is full or lands past the end; an unfiltered
   * listing runs its count beside the page, which stays an index range scan.
   */
  async list(
    type: ScimResourceType,
    connectorId: string,
    where: SqlWhere | null,
    orderBy: string,
    offset: number,
    limit: number,
    options: { groups?: boolean } = {},
  ): Promise<{ total: number; rows: ScimRow[] }> {
    const params: unknown[] = [connectorId, ...(where?.params ?? [])];
    const condition = `r.connector_id = $1${where ? ` AND (${where.sql})` : ''}`;
    const count = () => this.run<{ total: number }>(this.manager, `SELECT count(*)::int AS total FROM ${TABLE[type]} r WHERE ${condition}`, params).then((r) => r.rows[0].total);
    if (limit === 0) return { total: await count(), rows: [] };
    // OFFSET and LIMIT are written into the text (checked integers), so the plan knows them: a
    // generic plan for a parameterised OFFSET sorts the whole table. Only first pages, which IdP
    // lookups share, are prepared; deeper pages would fill the prepared-statement set.
    if (!Number.isInteger(offset) || !Number.isInteger(limit) || offset < 0 || limit < 0) throw new RangeError('offset and limit must be integers');
    // The page is cut first and the groups computed for its rows only: a column of the inner query
    // would be computed for every row OFFSET skips.
    const page = `SELECT ${COLUMNS.map((c) => `r.${c}`).join(', ')} FROM ${TABLE[type]} r WHERE ${condition}
                  ORDER BY ${orderBy} OFFSET ${offset} LIMIT ${limit}`;
    const text = options.groups && type === 'User' ? `SELECT p.*, ${GROUPS_OF('p')} FROM (${page}) p` : page;
    const rowsOf = () => this.run<ScimRow>(this.manager, text, params, offset === 0).then((r) => r.rows);
    if (!where) {
      const [total, rows] = await Promise.all([count(), rowsOf()]);
      return { total, rows };
    }
    const rows = await rowsOf();
    const complete = rows.length < limit && (rows.length > 0 || offset === 0);
    return { total: complete ? offset + rows.length : await count(), rows };
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
    const {
      rows: [row],
    } = await this.run<{ added: number; unknown: string[] }>(
      em,
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
    const result = await this.run(em, `DELETE FROM scim_group_members WHERE group_id = $1 AND connector_id = $2 AND member_id = ANY($3::uuid[])`, [
      groupId,
      connectorId,
      valid,
    ]);
    return result.rowCount ?? 0;
  }

  async removeAllMembers(em: EntityManager, connectorId: string, groupId: string): Promise<number> {
    const result = await this.run(em, `DELETE FROM scim_group_members WHERE group_id = $1 AND connector_id = $2`, [groupId, connectorId]);
    return result.rowCount ?? 0;
  }

  /** The ids of a group's members that are users. */
  async userMemberIds(em: EntityManager, groupId: string): Promise<string[]> {
    const { rows } = await this.run<{ id: string }>(em, `SELECT member_id::text AS id FROM scim_group_members WHERE group_id = $1 AND member_type = 'User'`, [groupId]);
    return rows.map((r) => r.id);
  }

  /** How many members a group has, counting no further than `upTo`. */
  async countMembers(em: EntityManager, groupId: string, upTo: number): Promise<number> {
    const {
      rows: [row],
    } = await this.run<{ n: number }>(
      em,
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM scim_group_members WHERE group_id = $1 LIMIT $2) m`,
      [groupId, upTo],
    );
    return row.n;
  }

  /** Members with a display value, for the groups being returned. */
  async membersOf(groupIds: string[], em: EntityManager = this.manager): Promise<MemberRow[]> {
    if (groupIds.length === 0) return [];
    const { rows } = await this.run<MemberRow>(
      em,
      `SELECT m.group_id, m.member_id, m.member_type,
              coalesce(m.display, u.display_name, u.user_name, g.display_name) AS display
       FROM scim_group_members m
       LEFT JOIN scim_users u ON m.member_type = 'User' AND u.id = m.member_id
       LEFT JOIN scim_groups g ON m.member_type = 'Group' AND g.id = m.member_id
       WHERE m.group_id = ANY($1::uuid[])
       ORDER BY m.group_id, m.created_at, m.member_id`,
      [groupIds],
    );
    return rows;
  }
}

/** Ids that cannot be uuids name nothing; keeping them out lets Postgres use the uuid indexes. */
function splitUuids(ids: string[]): { valid: string[]; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const id of ids) (isUuid(id) ? valid : invalid).push(id);
  return { valid, invalid };
}
