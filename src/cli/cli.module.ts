import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuditModule } from '../audit/audit.module.js';
import { SessionsModule } from '../auth/sessions.module.js';
import { configurations } from '../config/configuration.js';
import { DatabaseModule } from '../database/database.module.js';
import { RedisModule } from '../redis/redis.module.js';
import { UsersModule } from '../users/users.module.js';
import { AdminCreateCommand } from './admin-create.command.js';
import { KeysListCommand, KeysRevokeCommand, KeysRotateCommand } from './keys.commands.js';
import { TokenIssueCommand } from './token-issue.command.js';
import { UsersDeactivateCommand, UsersListCommand } from './users.commands.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: configurations, cache: true }),
    DatabaseModule,
    UsersModule,
    SessionsModule,
    AuditModule,
    RedisModule,
  ],
  providers: [AdminCreateCommand, TokenIssueCommand, UsersListCommand, UsersDeactivateCommand, KeysListCommand, KeysRotateCommand, KeysRevokeCommand],
})
export class CliModule {}
