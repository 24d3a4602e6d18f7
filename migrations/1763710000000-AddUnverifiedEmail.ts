import { MigrationInterface, QueryRunner } from "typeorm";

export class AddUnverifiedEmail1763710000000 implements MigrationInterface {
    name = 'AddUnverifiedEmail1763710000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "users" ADD "unverified_email" character varying(254)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "unverified_email"`);
    }

}
