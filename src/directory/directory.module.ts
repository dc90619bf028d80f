import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { AuditModule } from '../audit/audit.module';
import { DirectoriesController } from './directories.controller';
import { DirectoriesRepository } from './directories.repository';
import { DirectoriesService } from './directories.service';
import { DirectoryUsersController } from './directory-users.controller';
import { DirectoryUsersService } from './directory-users.service';

@Module({
  controllers: [DirectoriesController, DirectoryUsersController],
  exports: [DirectoriesRepository, DirectoriesService],
  imports: [AdminAuthModule, AuditModule],
  providers: [DirectoriesRepository, DirectoriesService, DirectoryUsersService],
})
export class DirectoryModule {}
