import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { AuditModule } from '../audit/audit.module';
import { DirectoriesController } from './directories.controller';
import { DirectoriesRepository } from './directories.repository';
import { DirectoriesService } from './directories.service';
import { DirectoryGroupsController } from './directory-groups.controller';
import { DirectoryGroupsService } from './directory-groups.service';
import { DirectoryUsersController } from './directory-users.controller';
import { DirectoryUsersService } from './directory-users.service';

@Module({
  controllers: [DirectoriesController, DirectoryGroupsController, DirectoryUsersController],
  exports: [DirectoriesRepository, DirectoriesService],
  imports: [AdminAuthModule, AuditModule],
  providers: [DirectoriesRepository, DirectoriesService, DirectoryGroupsService, DirectoryUsersService],
})
export class DirectoryModule {}
