import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { AuditModule } from '../audit/audit.module';
import { DirectoryModule } from '../directory/directory.module';
import { ConnectorsController } from './connectors.controller';
import { ConnectorsRepository } from './connectors.repository';
import { ConnectorsService } from './connectors.service';

@Module({
  controllers: [ConnectorsController],
  exports: [ConnectorsService],
  imports: [AdminAuthModule, AuditModule, DirectoryModule],
  providers: [ConnectorsRepository, ConnectorsService],
})
export class ConnectorsModule {}
