import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RosterConfig } from '../config/configuration';
import { generateToken, hashToken, tokenMatches } from '../common/tokens';
import { InstanceSetting } from '../database/instance-setting.entity';

const SETTING_KEY = 'admin_token_sha256';

/**
 * The admin credential: ADMIN_TOKEN when the operator sets it; otherwise a token generated at first
 * start, printed once to the console and kept only as a hash.
 */
@Injectable()
export class AdminTokenService implements OnModuleInit {
  private readonly logger = new Logger('AdminToken');
  private expectedHash: string;

  constructor(
    @Inject(ConfigService) private readonly config: ConfigService<RosterConfig, true>,
    @InjectRepository(InstanceSetting) private readonly settings: Repository<InstanceSetting>,
  ) {}

  async onModuleInit(): Promise<void> {
    const configured = this.config.get('app', { infer: true }).adminToken;
    if (configured) {
      this.expectedHash = hashToken(configured);
      return;
    }
    const stored = await this.settings.findOneBy({ key: SETTING_KEY });
    if (stored && typeof stored.value === 'string') {
      this.expectedHash = stored.value;
      return;
    }
    const token = generateToken('rsa');
    const hash = hashToken(token);
    // Another instance may have generated one at the same moment: the first insert wins.
    await this.settings.createQueryBuilder().insert().values({ key: SETTING_KEY, value: hash }).orIgnore().execute();
    const winner = await this.settings.findOneByOrFail({ key: SETTING_KEY });
    this.expectedHash = winner.value as string;
    if (this.expectedHash === hash) {
      printOnce(token);
      this.logger.warn({ msg: 'Generated an admin token; it was printed once on stderr and only its hash is kept' });
    }
  }

  verify(token: string): boolean {
    return tokenMatches(token, this.expectedHash);
  }
}

function printOnce(token: string): void {
  // Deliberately not a log line: logs are shipped and kept; this is shown to the operator once.
  process.stderr.write(
    [
      '',
      '==================================================================',
      ' Roster generated an admin token. It is shown only this once:',
      '',
      `   ${token}`,
      '',
      ' Use it as "Authorization: Bearer <token>" on /api/v1.',
      ' To choose your own instead, set ADMIN_TOKEN.',
      '==================================================================',
      '',
    ].join('\n'),
  );
}
