import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

@Module({
  controllers: [AuditController],
  exports: [AuditService],
  imports: [AdminAuthModule],
  providers: [AuditService],
})
export class AuditModule {}
