import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { ConnectorsModule } from '../connectors/connectors.module';
import { AuditModule } from '../audit/audit.module';
import { MappingModule } from '../mapping/mapping.module';
import { ScimModule } from '../scim/scim.module';
import { LdapController } from './ldap.controller';
import { LdapScheduler } from './ldap-scheduler';
import { LdapService } from './ldap.service';

/** LDAP connectors: their server settings, the test search for one user, and the sync (`/api/v1/connectors/{id}/ldap`). */
@Module({
  imports: [AdminAuthModule, AuditModule, ConnectorsModule, MappingModule, ScimModule],
  controllers: [LdapController],
  providers: [LdapService, LdapScheduler],
})
export class LdapModule {}
