import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateAuditEvents1763720000000 implements MigrationInterface {
    name = 'CreateAuditEvents1763720000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "type" character varying(40) NOT NULL, "actor_id" uuid, "subject_id" uuid, "ip" character varying(64), "details" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_audit_events_type" ON "audit_events"  ("type", "created_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_audit_events_subject" ON "audit_events"  ("subject_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_audit_events_created" ON "audit_events"  ("created_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_created"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_subject"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_type"`);
        await queryRunner.query(`DROP TABLE "audit_events"`);
    }

}
