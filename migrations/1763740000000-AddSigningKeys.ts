import { MigrationInterface, QueryRunner } from "typeorm";

export class AddSigningKeys1763740000000 implements MigrationInterface {
    name = 'AddSigningKeys1763740000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "signing_keys" ("kid" character varying(64) NOT NULL, "algorithm" character varying(8) NOT NULL, "state" character varying(8) NOT NULL, "public_jwk" jsonb, "private_sealed" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "activated_at" TIMESTAMP WITH TIME ZONE, "retired_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "verify_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_13362ac3e792c69417e1a53d355" PRIMARY KEY ("kid"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_signing_keys_signing_state" ON "signing_keys"  ("state") WHERE "state" IN ('next', 'active')`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."UQ_signing_keys_signing_state"`);
        await queryRunner.query(`DROP TABLE "signing_keys"`);
    }

}
