import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { SigningKey } from './entities/signing-key.entity.js';
import { KeyRing } from './key-ring.js';
import { SigningKeysRepository } from './signing-keys.repository.js';
import { SigningKeysService } from './signing-keys.service.js';
import { TokenSigner } from './token-signer.js';
import { TokenVerifier } from './token-verifier.js';
import { WellKnownController } from './well-known.controller.js';

/** Token signing keys: the key store, its rotation and revocation, signing and verifying. */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKey]), AuditModule],
  providers: [SigningKeysRepository, SigningKeysService, KeyRing, TokenSigner, TokenVerifier],
  exports: [SigningKeysService, KeyRing, TokenSigner, TokenVerifier],
})
export class SigningKeysModule {}

/**
 * The discovery routes, for the HTTP app only; the HTTP app is also the one that makes sure its configured
 * algorithm has keys at start-up (the command line and the worker only read them).
 */
@Module({
  imports: [SigningKeysModule],
  controllers: [WellKnownController],
})
export class WellKnownModule {
  constructor(ring: KeyRing) {
    ring.ensureKeysAtStart();
  }
}
