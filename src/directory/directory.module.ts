import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { AuditModule } from '../audit/audit.module';
import { DirectoriesController } from './directories.controller';
import { DirectoriesRepository } from './directories.repository';
import { DirectoriesService } from './directories.service';

@Module({
  controllers: [DirectoriesController],
  exports: [DirectoriesRepository, DirectoriesService],
  imports: [AdminAuthModule, AuditModule],
  providers: [DirectoriesRepository, DirectoriesService],
})
export class DirectoryModule {}
