import { MigrationInterface, QueryRunner } from "typeorm";

export class AddTokenRevocations1763750000000 implements MigrationInterface {
    name = 'AddTokenRevocations1763750000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "token_revocations" ("user_id" uuid NOT NULL, "kind" character varying(8) NOT NULL, "token_id" character varying(64) NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f44c8ea62b5e09aa6c61428e87a" PRIMARY KEY ("user_id", "kind", "token_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_token_revocations_expires" ON "token_revocations"  ("expires_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_token_revocations_expires"`);
        await queryRunner.query(`DROP TABLE "token_revocations"`);
    }

}
