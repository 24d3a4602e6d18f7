import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthModule } from './auth/auth.module.js';
import { JwtAuthGuard } from './auth/guards/jwt-auth.guard.js';
import { RolesGuard } from './auth/guards/roles.guard.js';
import { UsersModule } from './users/users.module.js';
import { AdminModule } from './admin/admin.module.js';
import { AuthGoogleModule } from './auth-google/auth-google.module.js';
import { AllExceptionsFilter } from './common/http/all-exceptions.filter.js';
import { RejectNulPipe } from './common/http/reject-nul.pipe.js';
import { createValidationPipe } from './common/http/validation.pipe.js';
import { CanonicalIdentifiersPipe } from './common/identifiers/canonical-identifiers.pipe.js';
import { configurations } from './config/configuration.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { RateLimitsModule } from './rate-limits/rate-limits.module.js';
import { WellKnownModule } from './signing-keys/signing-keys.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: configurations, cache: true }),
    DatabaseModule,
    RateLimitsModule,
    AuthModule,
    UsersModule,
    AdminModule,
    AuthGoogleModule,
    HealthModule,
    WellKnownModule,
  ],
  providers: [
    { provide: APP_PIPE, useClass: RejectNulPipe },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_PIPE, useClass: CanonicalIdentifiersPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
})
export class AppModule {}
