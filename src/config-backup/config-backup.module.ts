import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { AuditModule } from '../audit/audit.module';
import { ConnectorsModule } from '../connectors/connectors.module';
import { GroupSyncModule } from '../group-sync/group-sync.module';
import { MappingModule } from '../mapping/mapping.module';
import { ConfigBackupController } from './config-backup.controller';
import { ConfigBackupService } from './config-backup.service';

/** Configuration backup and restore as one JSON document (`/api/v1/config`). */
@Module({
  imports: [AdminAuthModule, AuditModule, ConnectorsModule, GroupSyncModule, MappingModule],
  controllers: [ConfigBackupController],
  providers: [ConfigBackupService],
})
export class ConfigBackupModule {}
