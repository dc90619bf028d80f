// A directory's groups and memberships for admins: browsing with the source of every grant, and the
// grants an admin makes. Decisions: memberships hold one row per grant, so a member is a user with any
// row, and an admin adds or removes only the admin row (the other sources' rows are theirs to withdraw);
// the wire names a grant's reference by what it is (idpGroup, rule, ldapGroup), like
// @roster/group-rules' Source; a page's rows are chosen first and their counts and grants computed for
// them only; a group or user of another directory is 404, like one that does not exist. A grant holds
// key-share locks on its group and user, and a group deletion the group's row lock, so neither can
// slip between the other's checks and its write.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { isUniqueViolation } from '../common/pg-errors';
import { AdminContext } from '../common/request-context';
import { containsPattern, pageSql } from '../common/page-query';
import { isUuid } from '../common/uuid';
import { DirectoriesService } from './directories.service';
import {
  CreateDirectoryGroupDto,
  DirectoryGroupDetailDto,
  DirectoryGroupDto,
  DirectoryGroupPageDto,
  GrantDto,
  GrantKind,
  GroupMemberDto,
  GroupMemberPageDto,
  ListDirectoryGroupsQuery,
  ListGroupMembersQuery,
  MembershipDto,
  UserGroupDto,
  UserGroupPageDto,
} from './directory-groups.dto';
import { MembershipSource } from './membership.entity';

const GROUP = `g.id, g.display_name AS "displayName", g.external_id AS "externalId", g.description, g.created_at AS "createdAt", g.updated_at AS "updatedAt"`;
const MEMBER_COUNT = `(SELECT count(DISTINCT m.user_id)::int FROM memberships m WHERE m.group_id = g.id) AS "memberCount"`;
const ORDER_GROUPS = 'ORDER BY lower(g.display_name), g.id';
const ORDER_USERS = 'ORDER BY lower(u.user_name), u.id';

interface GrantRow {
  kind: MembershipSource;
  connectorId: string | null;
  connectorName: string | null;
  ref: string;
  grantedAt: string;
}

type WithGrantRows<T extends { grants: GrantDto[] }> = Omit<T, 'grants'> & { grants: GrantRow[] };

/** The grants of one user in one group as a jsonb array of GrantRow, oldest first. */
function grantsSql(groupId: string, userId: string): string {
  return `coalesce((SELECT jsonb_agg(jsonb_build_object('kind', m.source_kind, 'connectorId', m.source_connector_id, 'connectorName', c.name,
                                                        'ref', m.source_ref, 'grantedAt', m.created_at) ORDER BY m.created_at, m.id)
                    FROM memberships m LEFT JOIN connectors c ON c.id = m.source_connector_id
                    WHERE m.group_id = ${groupId} AND m.user_id = ${userId}), '[]') AS grants`;
}

function apiKind(kind: MembershipSource): GrantKind {
  return kind === 'default_rule' ? 'default' : kind;
}

function toGrant(row: GrantRow): GrantDto {
  const base = { connectorId: row.connectorId, connectorName: row.connectorName, grantedAt: new Date(row.grantedAt) };
  switch (row.kind) {
    case 'connector':
      return { kind: 'connector', ...base, idpGroup: row.ref };
    case 'default_rule':
      return { kind: 'default', ...base, rule: row.ref };
    case 'ldap':
      return { kind: 'ldap', ...base, ldapGroup: row.ref };
    case 'admin':
      return { kind: 'admin', ...base };
  }
}

function withGrants<T extends { grants: GrantDto[] }>(row: WithGrantRows<T>): T {
  return { ...row, grants: row.grants.map(toGrant) } as T;
}

type RowLock = '' | 'FOR KEY SHARE' | 'FOR UPDATE';

@Injectable()
export class DirectoryGroupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directories: DirectoriesService,
    private readonly audit: AuditService,
  ) {}

  async list(directoryId: string, query: ListDirectoryGroupsQuery): Promise<DirectoryGroupPageDto> {
    await this.directories.get(directoryId);
    const params: unknown[] = [directoryId];
    let condition = 'g.directory_id = $1';
    if (query.q) {
      params.push(containsPattern(query.q));
      condition += ' AND lower(g.display_name) LIKE $2';
    }
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM groups g WHERE ${condition}`, params);
    const groups: DirectoryGroupDto[] = await this.dataSource.query(
      `SELECT ${GROUP}, ${MEMBER_COUNT} FROM (SELECT * FROM groups g WHERE ${condition} ${ORDER_GROUPS} ${pageSql(query)}) g ${ORDER_GROUPS}`,
      params,
    );
    return { total, groups };
  }

  async get(directoryId: string, groupId: string): Promise<DirectoryGroupDetailDto> {
    await this.directories.get(directoryId);
    const [group]: DirectoryGroupDto[] = isUuid(groupId)
      ? await this.dataSource.query(`SELECT ${GROUP}, ${MEMBER_COUNT} FROM groups g WHERE g.directory_id = $1 AND g.id = $2`, [directoryId, groupId])
      : [];
    if (!group) throw DomainError.notFound('Group', groupId);
    const sources: { kind: MembershipSource; connectorId: string | null; connectorName: string | null; grants: number }[] = await this.dataSource.query(
      `SELECT m.source_kind AS kind, m.source_connector_id AS "connectorId", c.name AS "connectorName", count(*)::int AS grants
       FROM memberships m LEFT JOIN connectors c ON c.id = m.source_connector_id
       WHERE m.group_id = $1 GROUP BY m.source_kind, m.source_connector_id, c.name ORDER BY m.source_kind, c.name, m.source_connector_id`,
      [groupId],
    );
    return { ...group, grantedBy: sources.map((s) => ({ ...s, kind: apiKind(s.kind) })) };
  }

  async members(directoryId: string, groupId: string, query: ListGroupMembersQuery): Promise<GroupMemberPageDto> {
    await this.directories.get(directoryId);
    await this.group(this.dataSource.manager, directoryId, groupId);
    const params: unknown[] = [groupId];
    let condition = 'EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = $1 AND m.user_id = u.id)';
    if (query.q) {
      params.push(containsPattern(query.q));
      condition += ' AND (lower(u.user_name) LIKE $2 OR lower(u.email) LIKE $2)';
    }
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM users u WHERE ${condition}`, params);
    const rows: WithGrantRows<GroupMemberDto>[] = await this.dataSource.query(
      `SELECT u.id AS "userId", u.user_name AS username, u.display_name AS "displayName", u.email, u.active, ${grantsSql('$1', 'u.id')}
       FROM (SELECT * FROM users u WHERE ${condition} ${ORDER_USERS} ${pageSql(query)}) u ${ORDER_USERS}`,
      params,
    );
    return { total, members: rows.map((row) => withGrants<GroupMemberDto>(row)) };
  }

  async userGroups(directoryId: string, userId: string, query: ListDirectoryGroupsQuery): Promise<UserGroupPageDto> {
    await this.directories.get(directoryId);
    await this.user(this.dataSource.manager, directoryId, userId);
    const params: unknown[] = [userId];
    let condition = 'EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $1 AND m.group_id = g.id)';
    if (query.q) {
      params.push(containsPattern(query.q));
      condition += ' AND lower(g.display_name) LIKE $2';
    }
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM groups g WHERE ${condition}`, params);
    const rows: WithGrantRows<UserGroupDto>[] = await this.dataSource.query(
      `SELECT ${GROUP}, ${grantsSql('g.id', '$1')} FROM (SELECT * FROM groups g WHERE ${condition} ${ORDER_GROUPS} ${pageSql(query)}) g ${ORDER_GROUPS}`,
      params,
    );
    return { total, groups: rows.map((row) => withGrants<UserGroupDto>(row)) };
  }

  async create(ctx: AdminContext, directoryId: string, dto: CreateDirectoryGroupDto): Promise<DirectoryGroupDto> {
    await this.directories.get(directoryId);
    const displayName = dto.displayName.trim();
    try {
      return await this.dataSource.transaction(async (em) => {
        const [group]: DirectoryGroupDto[] = await em.query(
          `INSERT INTO groups AS g (directory_id, display_name, external_id, description) VALUES ($1, $2, $3, $4) RETURNING ${GROUP}`,
          [directoryId, displayName, dto.externalId ?? null, dto.description ?? null],
        );
        await this.audit.record(
          { ...auditBase(ctx, directoryId, group.id), action: 'directory.group.created', details: { displayName, externalId: group.externalId } },
          em,
        );
        return { ...group, memberCount: 0 };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'uq_groups_directory_display_name')) throw DomainError.conflict(`A group named "${displayName}" already exists in this directory`);
      throw error;
    }
  }

  async delete(ctx: AdminContext, directoryId: string, groupId: string): Promise<void> {
    await this.directories.get(directoryId);
    await this.dataSource.transaction(async (em) => {
      const group = await this.group(em, directoryId, groupId, 'FOR UPDATE');
      const [{ grants, members }] = await em.query(
        `SELECT count(*)::int AS grants, count(DISTINCT user_id)::int AS members FROM memberships WHERE group_id = $1`,
        [groupId],
      );
      await em.query(`DELETE FROM groups WHERE id = $1`, [groupId]);
      await this.audit.record(
        { ...auditBase(ctx, directoryId, groupId), action: 'directory.group.deleted', details: { displayName: group.displayName, members, grants } },
        em,
      );
    });
  }

  /** Adds the admin grant; granting it again changes nothing (and records nothing). */
  async grant(ctx: AdminContext, directoryId: string, groupId: string, userId: string): Promise<MembershipDto> {
    await this.directories.get(directoryId);
    return this.dataSource.transaction(async (em) => {
      const group = await this.group(em, directoryId, groupId, 'FOR KEY SHARE');
      const user = await this.user(em, directoryId, userId, 'FOR KEY SHARE');
      const inserted: unknown[] = await em.query(
        `INSERT INTO memberships (directory_id, group_id, user_id, source_kind) VALUES ($1, $2, $3, 'admin') ON CONFLICT DO NOTHING RETURNING id`,
        [directoryId, groupId, userId],
      );
      if (inserted.length) {
        await this.audit.record(
          { ...auditBase(ctx, directoryId, groupId), action: 'directory.membership.granted', details: { displayName: group.displayName, userId, username: user.username } },
          em,
        );
      }
      return this.membership(em, groupId, userId);
    });
  }

  /** Removes the admin grant only: grants from other sources stay, and keep the user a member. */
  async revoke(ctx: AdminContext, directoryId: string, groupId: string, userId: string): Promise<MembershipDto> {
    await this.directories.get(directoryId);
    return this.dataSource.transaction(async (em) => {
      const group = await this.group(em, directoryId, groupId);
      const user = await this.user(em, directoryId, userId);
      const [{ removed }] = await em.query(
        `WITH gone AS (DELETE FROM memberships WHERE group_id = $1 AND user_id = $2 AND source_kind = 'admin' RETURNING 1) SELECT count(*)::int AS removed FROM gone`,
        [groupId, userId],
      );
      if (!removed) throw new DomainError('not_found', `User ${userId} has no admin grant in group ${groupId}`);
      const membership = await this.membership(em, groupId, userId);
      await this.audit.record(
        {
          ...auditBase(ctx, directoryId, groupId),
          action: 'directory.membership.revoked',
          details: { displayName: group.displayName, userId, username: user.username, stillMember: membership.member },
        },
        em,
      );
      return membership;
    });
  }

  private async membership(em: EntityManager, groupId: string, userId: string): Promise<MembershipDto> {
    const [{ grants }]: { grants: GrantRow[] }[] = await em.query(`SELECT ${grantsSql('$1', '$2')}`, [groupId, userId]);
    return { groupId, userId, member: grants.length > 0, grants: grants.map(toGrant) };
  }

  private async group(em: EntityManager, directoryId: string, groupId: string, lock: RowLock = ''): Promise<{ displayName: string }> {
    const [group] = isUuid(groupId)
      ? await em.query(`SELECT display_name AS "displayName" FROM groups WHERE directory_id = $1 AND id = $2 ${lock}`, [directoryId, groupId])
      : [];
    return group ?? notFound('Group', groupId);
  }

  private async user(em: EntityManager, directoryId: string, userId: string, lock: RowLock = ''): Promise<{ username: string }> {
    const [user] = isUuid(userId) ? await em.query(`SELECT user_name AS username FROM users WHERE directory_id = $1 AND id = $2 ${lock}`, [directoryId, userId]) : [];
    return user ?? notFound('User', userId);
  }
}

function notFound(what: string, id: string): never {
  throw DomainError.notFound(what, id);
}

function auditBase(ctx: AdminContext, directoryId: string, groupId: string) {
  return { actor: ctx.actor, requestId: ctx.requestId, directoryId, targetType: 'group', targetId: groupId };
}
