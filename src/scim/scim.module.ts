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
import { Scim1GroupsController, Scim1RootController, Scim1UsersController } from './scim1.controller';

/** Each scim2 connector's SCIM 2.0 endpoint at /scim/v2/{connectorId}, each scim1 connector's SCIM 1.1 one at /scim/v1/{connectorId}. */
@Module({
  imports: [AuditModule, ConnectorsModule, GroupSyncModule, MappingModule],
  controllers: [ScimRootController, ScimUsersController, ScimGroupsController, Scim1RootController, Scim1UsersController, Scim1GroupsController],
  providers: [ScimAuthGuard, ScimBulkService, ScimResourcesService, ScimResourceStore],
  // The LDAP sync writes its entries as its connector's records through the same service.
  exports: [ScimResourcesService],
})
export class ScimModule {}
