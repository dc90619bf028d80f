import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InstanceSetting } from '../database/instance-setting.entity';
import { AdminGuard } from './admin.guard';
import { AdminTokenService } from './admin-token.service';

@Module({
  imports: [TypeOrmModule.forFeature([InstanceSetting])],
  providers: [AdminGuard, AdminTokenService],
  exports: [AdminGuard, AdminTokenService],
})
export class AdminAuthModule {}
