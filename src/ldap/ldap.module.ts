import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { ConnectorsModule } from '../connectors/connectors.module';
import { MappingModule } from '../mapping/mapping.module';
import { LdapController } from './ldap.controller';
import { LdapService } from './ldap.service';

/** LDAP connectors: their server settings and the test search for one user (`/api/v1/connectors/{id}/ldap`). */
@Module({
  imports: [AdminAuthModule, ConnectorsModule, MappingModule],
  controllers: [LdapController],
  providers: [LdapService],
})
export class LdapModule {}
