import { MigrationInterface, QueryRunner } from "typeorm";

export class AddGoogleSub1763730000000 implements MigrationInterface {
    name = 'AddGoogleSub1763730000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "users" ADD "google_sub" character varying(255)`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_google_sub" ON "users"  ("google_sub") `);
        // Written by hand: TypeORM matches checks by name and does not see a changed expression.
        await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "CHK_users_identifier"`);
        await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "CHK_users_identifier" CHECK ("email" IS NOT NULL OR "phone" IS NOT NULL OR "google_sub" IS NOT NULL)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "CHK_users_identifier"`);
        await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "CHK_users_identifier" CHECK ("email" IS NOT NULL OR "phone" IS NOT NULL)`);
        await queryRunner.query(`DROP INDEX "public"."UQ_users_google_sub"`);
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "google_sub"`);
    }

}
