// Shared by the app (TypeOrmModule) and ormconfig.ts (TypeORM CLI): one list of entities and migrations.
import { DataSourceOptions } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity';
import { Connector } from '../connectors/connector.entity';
import { Directory } from '../directory/directory.entity';
import { DirectoryGroup } from '../directory/directory-group.entity';
import { DirectoryUser } from '../directory/directory-user.entity';
import { Membership } from '../directory/membership.entity';
import { InstanceSetting } from './instance-setting.entity';
import { InitialSchema1763860000000 } from './migrations/1763860000000-initial-schema';
import { ScimResources1763870000000 } from './migrations/1763870000000-scim-resources';
import { ConnectorMappings1763880000000 } from './migrations/1763880000000-connector-mappings';
import { DirectoryProjection1763890000000 } from './migrations/1763890000000-directory-projection';
import { ProjectionJobs1763900000000 } from './migrations/1763900000000-projection-jobs';
import { GroupSync1763910000000 } from './migrations/1763910000000-group-sync';
import { LinkTriggers1763920000000 } from './migrations/1763920000000-link-triggers';

export const ENTITIES = [AuditEvent, Connector, Directory, DirectoryGroup, DirectoryUser, InstanceSetting, Membership];
export const MIGRATIONS = [InitialSchema1763860000000, ScimResources1763870000000, ConnectorMappings1763880000000, DirectoryProjection1763890000000, ProjectionJobs1763900000000, GroupSync1763910000000, LinkTriggers1763920000000];

export interface PoolOptions {
  /** Connections in the pg pool; the embedded database takes exactly one. */
  poolSize?: number;
  /**
   * Session settings sent at connect (not to the embedded database, which takes none). Roster's
   * queries are short and many run at once: a parallel plan (a count over a connector's users before
   * autovacuum has run) starts worker processes per query and slowed listings fourfold. JIT is off
   * for the same reason: after a bulk load, stale statistics make a 50 ms group-sync read look
   * expensive, and compiling it took 230 ms of the 290 ms it then ran (auto_explain, 100,000 members).
   * random_page_cost is the usual SSD value (1.1, not 4): right after a bulk load the planner thought a
   * connector had 1,533 users instead of 102,000 and sorted all of them for each page of a listing
   * (500 ms) rather than walking the (connector, created_at, id) index; with it, pages took half as long.
   */
  sessionSettings?: boolean;
}

export function dataSourceOptions(url: string, pool: PoolOptions = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    migrationsRun: false,
    synchronize: false,
    poolSize: pool.poolSize ?? 10,
    applicationName: 'roster',
    ...(pool.sessionSettings ? { extra: { options: '-c max_parallel_workers_per_gather=0 -c jit=off -c random_page_cost=1.1' } } : {}),
  };
}
