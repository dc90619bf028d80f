import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { AuditModule } from '../audit/audit.module';
import { ConnectorsModule } from '../connectors/connectors.module';
import { LifecycleService } from './lifecycle.service';
import { MembershipSync } from './membership-sync.service';

/** Group sync strategies, membership provenance, lifecycle and the brake (libs/group-rules decides). */
@Module({
  exports: [LifecycleService, MembershipSync],
  imports: [AdminAuthModule, AuditModule, ConnectorsModule],
  providers: [LifecycleService, MembershipSync],
})
export class GroupSyncModule {}
