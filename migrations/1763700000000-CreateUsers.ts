import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateUsers1763700000000 implements MigrationInterface {
    name = 'CreateUsers1763700000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(30), "email" character varying(254), "phone" character varying(16), "first_name" character varying(100), "last_name" character varying(100), "is_verified" boolean NOT NULL DEFAULT false, "is_active" boolean NOT NULL DEFAULT true, "roles" text array NOT NULL DEFAULT '{user}', "profile_picture" character varying(2048), "date_joined" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_login" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_users_lowercase" CHECK ("username" = lower("username") AND "email" = lower("email")), CONSTRAINT "CHK_users_identifier" CHECK ("email" IS NOT NULL OR "phone" IS NOT NULL), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_phone" ON "users"  ("phone") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_email" ON "users"  ("email") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_username" ON "users"  ("username") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."UQ_users_username"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_users_email"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_users_phone"`);
        await queryRunner.query(`DROP TABLE "users"`);
    }

}
