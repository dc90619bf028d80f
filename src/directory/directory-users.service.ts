// Reading a directory's users for admins: what the connectors' mappings made of their records, and
// which connector and rule each field came from.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { containsPattern, pageSql } from '../common/page-query';
import { isUuid } from '../common/uuid';
import { DirectoriesService } from './directories.service';
import { DirectoryUserDto, DirectoryUserPageDto, ListDirectoryUsersQuery } from './directory-users.dto';

const SELECT = `
  SELECT u.id, u.user_name AS username, u.email, u.display_name AS "displayName", u.given_name AS "firstName",
         u.family_name AS "lastName", u.active, u.external_id AS "externalId", u.phone, u.title, u.department,
         u.manager, u.employee_number AS "employeeNumber", u.attributes AS custom, u.created_at AS "createdAt",
         u.updated_at AS "updatedAt",
         coalesce((SELECT jsonb_agg(jsonb_build_object('connectorId', s.connector_id, 'connectorName', c.name, 'sourceRef', s.source_ref,
                                                       'provenance', s.provenance, 'updatedAt', s.updated_at) ORDER BY c.name, s.source_ref)
                   FROM user_sources s JOIN connectors c ON c.id = s.connector_id WHERE s.user_id = u.id), '[]') AS sources
  FROM users u`;

@Injectable()
export class DirectoryUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directories: DirectoriesService,
  ) {}

  async list(directoryId: string, query: ListDirectoryUsersQuery): Promise<DirectoryUserPageDto> {
    await this.directories.get(directoryId);
    const params: unknown[] = [directoryId];
    const where = ['u.directory_id = $1'];
    if (query.q) {
      params.push(containsPattern(query.q));
      where.push(`(lower(u.user_name) LIKE $${params.length} OR lower(u.email) LIKE $${params.length} OR lower(u.display_name) LIKE $${params.length})`);
    }
    if (query.active !== undefined) {
      params.push(query.active);
      where.push(`u.active = $${params.length}`);
    }
    const condition = where.join(' AND ');
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM users u WHERE ${condition}`, params);
    const users: DirectoryUserDto[] = await this.dataSource.query(
      `SELECT page.* FROM (${SELECT} WHERE ${condition} ORDER BY lower(u.user_name), u.id ${pageSql(query)}) page`,
      params,
    );
    return { total, users };
  }

  async get(directoryId: string, userId: string): Promise<DirectoryUserDto> {
    await this.directories.get(directoryId);
    const [user]: DirectoryUserDto[] = isUuid(userId) ? await this.dataSource.query(`${SELECT} WHERE u.directory_id = $1 AND u.id = $2`, [directoryId, userId]) : [];
    if (!user) throw DomainError.notFound('User', userId);
    return user;
  }
}
