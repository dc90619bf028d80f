import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AdminAuthModule } from './admin-auth/admin-auth.module';
import { AuditModule } from './audit/audit.module';
import { ConfigBackupModule } from './config-backup/config-backup.module';
import { appConfig } from './config/app.config';
import { databaseConfig } from './config/database.config';
import { ConnectorsModule } from './connectors/connectors.module';
import { DatabaseModule } from './database/database.module';
import { DirectoryModule } from './directory/directory.module';
import { GroupSyncModule } from './group-sync/group-sync.module';
import { HealthModule } from './health/health.module';
import { LdapModule } from './ldap/ldap.module';
import { MappingModule } from './mapping/mapping.module';
import { MetricsModule } from './metrics/metrics.module';
import { ScimModule } from './scim/scim.module';

@Module({
  imports: [
    AdminAuthModule,
    AuditModule,
    ConfigBackupModule,
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig, databaseConfig] }),
    ConnectorsModule,
    DatabaseModule,
    DirectoryModule,
    GroupSyncModule,
    HealthModule,
    LdapModule,
    MappingModule,
    MetricsModule,
    ScimModule,
  ],
})
export class AppModule {}
