import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { AuditModule } from '../audit/audit.module';
import { ConnectorsModule } from '../connectors/connectors.module';
import { GroupSyncModule } from '../group-sync/group-sync.module';
import { MappingController } from './mapping.controller';
import { MappingService } from './mapping.service';
import { ReprojectionService } from './reprojection.service';

/** Per-connector attribute mapping: stored, validated, previewed (libs/mapping-core evaluates). */
@Module({
  controllers: [MappingController],
  exports: [MappingService, ReprojectionService],
  imports: [AdminAuthModule, AuditModule, ConnectorsModule, GroupSyncModule],
  providers: [MappingService, ReprojectionService],
})
export class MappingModule {}
