import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { AuditModule } from '../audit/audit.module';
import { ConnectorsModule } from '../connectors/connectors.module';
import { GroupSettingsService } from './group-settings.service';
import { GroupSyncController, MembershipWhyController } from './group-sync.controller';
import { HoldsService } from './holds.service';
import { LifecycleService } from './lifecycle.service';
import { MembershipSync } from './membership-sync.service';
import { WhyService } from './why.service';

/** Group sync strategies, membership provenance, lifecycle and the brake (libs/group-rules decides). */
@Module({
  controllers: [GroupSyncController, MembershipWhyController],
  exports: [LifecycleService, MembershipSync, GroupSettingsService],
  imports: [AdminAuthModule, AuditModule, ConnectorsModule],
  providers: [GroupSettingsService, HoldsService, LifecycleService, MembershipSync, WhyService],
})
export class GroupSyncModule {}
