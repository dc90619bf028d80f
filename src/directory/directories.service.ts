import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { isUniqueViolation } from '../common/pg-errors';
import { AdminContext } from '../common/request-context';
import { DirectoriesRepository } from './directories.repository';
import { CreateDirectoryDto, UpdateDirectoryDto } from './directory.dto';
import { Directory } from './directory.entity';

@Injectable()
export class DirectoriesService {
  constructor(
    private readonly directories: DirectoriesRepository,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<Directory[]> {
    return this.directories.list();
  }

  async get(id: string): Promise<Directory> {
    return (await this.directories.findById(id)) ?? notFound(id);
  }

  async create(ctx: AdminContext, dto: CreateDirectoryDto): Promise<Directory> {
    return this.uniqueName(dto.name, () =>
      this.directories.transaction(async (em) => {
        const directory = await this.directories.insert({ name: dto.name.trim(), description: dto.description ?? null }, em);
        await this.audit.record({ ...auditBase(ctx, directory), action: 'directory.created', details: { name: directory.name } }, em);
        return directory;
      }),
    );
  }

  async update(ctx: AdminContext, id: string, dto: UpdateDirectoryDto): Promise<Directory> {
    if (dto.isDefault === false) {
      throw DomainError.invalid('A directory stops being the default only when another one becomes it', [
        { field: 'isDefault', problems: ['isDefault accepts only true'] },
      ]);
    }
    return this.uniqueName(dto.name, () =>
      this.directories.transaction(async (em) => {
        if (!(await this.directories.findByIdForUpdate(id, em))) notFound(id);
        const changes = { ...dto, ...(dto.name !== undefined ? { name: dto.name.trim() } : {}) };
        const directory = await this.directories.update(id, changes, em);
        await this.audit.record({ ...auditBase(ctx, directory), action: 'directory.updated', details: { changes } }, em);
        return directory;
      }),
    );
  }

  async delete(ctx: AdminContext, id: string): Promise<void> {
    await this.directories.transaction(async (em) => {
      const total = await this.directories.lockAll(em);
      const directory = (await this.directories.findById(id, em)) ?? notFound(id);
      if (total <= 1) throw DomainError.conflict('The last directory cannot be deleted');
      if (directory.isDefault) throw DomainError.conflict('The default directory cannot be deleted; make another directory the default first');
      const connectors = await this.directories.countConnectors(id, em);
      if (connectors > 0) throw DomainError.conflict(`Directory ${id} is the target of ${connectors} connector(s); move or delete them first`);
      await this.directories.delete(id, em);
      await this.audit.record({ ...auditBase(ctx, directory), action: 'directory.deleted', details: { name: directory.name } }, em);
    });
  }

  private async uniqueName<T>(name: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error, 'uq_directories_name')) throw DomainError.conflict(`A directory named "${name}" already exists`);
      throw error;
    }
  }
}

function notFound(id: string): never {
  throw DomainError.notFound('Directory', id);
}

function auditBase(ctx: AdminContext, directory: Directory) {
  return { actor: ctx.actor, requestId: ctx.requestId, directoryId: directory.id, targetType: 'directory', targetId: directory.id };
}
