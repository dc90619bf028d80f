import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ConnectorsModule } from '../connectors/connectors.module';
import { GroupSyncModule } from '../group-sync/group-sync.module';
import { MappingModule } from '../mapping/mapping.module';
import { ScimResourceStore } from '../directory/scim-resource.store';
import { ScimAuthGuard } from './scim-auth.guard';
import { ScimBulkService } from './scim-bulk.service';
import { ScimGroupsController, ScimUsersController } from './scim-resources.controller';
import { ScimResourcesService } from './scim-resources.service';
import { ScimRootController } from './scim-root.controller';

/** Each scim2 connector's SCIM 2.0 endpoint at /scim/v2/{connectorId}. */
@Module({
  imports: [AuditModule, ConnectorsModule, GroupSyncModule, MappingModule],
  controllers: [ScimRootController, ScimUsersController, ScimGroupsController],
  providers: [ScimAuthGuard, ScimBulkService, ScimResourcesService, ScimResourceStore],
})
export class ScimModule {}
