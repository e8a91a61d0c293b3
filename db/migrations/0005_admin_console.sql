CREATE TABLE "admin_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "admin_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone NOT NULL,
	"user_id" integer,
	"email" text,
	"role" text,
	"action" text NOT NULL,
	"target" text,
	"outcome" text NOT NULL,
	"details" jsonb NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "admin_sessions" (
	"token_hash" "bytea" PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "admin_users" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "admin_users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "admin_users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "signer_certificates" (
	"kid" text PRIMARY KEY NOT NULL,
	"trusted_ca_id" integer,
	"fingerprint" text NOT NULL,
	"subject" text NOT NULL,
	"issuer" text NOT NULL,
	"serial_number" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"chain" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trusted_cas" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "trusted_cas_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"fingerprint" text NOT NULL,
	"subject" text NOT NULL,
	"issuer" text NOT NULL,
	"serial_number" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"der" "bytea" NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	"added_by" text NOT NULL,
	"removed_at" timestamp with time zone,
	"removed_by" text
);
--> statement-breakpoint
ALTER TABLE "admin_log" ADD CONSTRAINT "admin_log_user_id_admin_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."admin_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "admin_sessions" ADD CONSTRAINT "admin_sessions_user_id_admin_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."admin_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signer_certificates" ADD CONSTRAINT "signer_certificates_kid_signers_kid_fk" FOREIGN KEY ("kid") REFERENCES "public"."signers"("kid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signer_certificates" ADD CONSTRAINT "signer_certificates_trusted_ca_id_trusted_cas_id_fk" FOREIGN KEY ("trusted_ca_id") REFERENCES "public"."trusted_cas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_log_at_idx" ON "admin_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "admin_log_email_idx" ON "admin_log" USING btree ("action","email","at");--> statement-breakpoint
CREATE INDEX "admin_log_ip_idx" ON "admin_log" USING btree ("action","ip","at");--> statement-breakpoint
CREATE INDEX "admin_sessions_user_idx" ON "admin_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trusted_cas_active_fingerprint_idx" ON "trusted_cas" USING btree ("fingerprint") WHERE "trusted_cas"."removed_at" is null;--> statement-breakpoint
-- Admin console (issue 6). The admin log is append-only, like the ledger itself; a signer's
-- certificate never changes; a trusted certification centre is never deleted, only distrusted once.
CREATE TRIGGER admin_log_append_only BEFORE UPDATE OR DELETE ON admin_log FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
CREATE TRIGGER admin_log_no_truncate BEFORE TRUNCATE ON admin_log FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
CREATE TRIGGER signer_certificates_append_only BEFORE UPDATE OR DELETE ON signer_certificates FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
CREATE TRIGGER signer_certificates_no_truncate BEFORE TRUNCATE ON signer_certificates FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
CREATE FUNCTION sealbook_trusted_ca_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.removed_at IS NULL AND NEW.removed_at IS NOT NULL AND NEW.removed_by IS NOT NULL
     AND NEW.id = OLD.id AND NEW.fingerprint = OLD.fingerprint AND NEW.der = OLD.der
     AND NEW.subject = OLD.subject AND NEW.issuer = OLD.issuer AND NEW.serial_number = OLD.serial_number
     AND NEW.not_before = OLD.not_before AND NEW.not_after = OLD.not_after
     AND NEW.added_at = OLD.added_at AND NEW.added_by = OLD.added_by THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'sealbook: trusted certification centre % may only be distrusted, once', OLD.id
    USING ERRCODE = 'restrict_violation';
END;
$$;--> statement-breakpoint
CREATE TRIGGER trusted_cas_guarded_update BEFORE UPDATE ON trusted_cas FOR EACH ROW EXECUTE FUNCTION sealbook_trusted_ca_update();--> statement-breakpoint
CREATE TRIGGER trusted_cas_no_delete BEFORE DELETE ON trusted_cas FOR EACH ROW EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
CREATE TRIGGER trusted_cas_no_truncate BEFORE TRUNCATE ON trusted_cas FOR EACH STATEMENT EXECUTE FUNCTION sealbook_reject_change();--> statement-breakpoint
-- A key registered from a certificate is revoked in advance at the end of its certificate's validity,
-- so that the public directory states when it stops being valid. An admin may still revoke it
-- earlier: a revocation that has not taken effect yet may be brought forward, never pushed back
-- or removed. Everything else about a signer stays as migration 0001 set it.
CREATE OR REPLACE FUNCTION sealbook_signer_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kid = OLD.kid AND NEW.alg = OLD.alg AND NEW.public_jwk = OLD.public_jwk
     AND NEW.valid_from = OLD.valid_from AND NEW.created_at = OLD.created_at
     AND (OLD.revoked_at IS NULL
          OR (NEW.revoked_at = OLD.revoked_at AND NEW.revocation_reason IS NOT DISTINCT FROM OLD.revocation_reason)
          OR (OLD.revoked_at > now() AND NEW.revoked_at < OLD.revoked_at)) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'sealbook: signer % may change only its label, organization, or be revoked once (a revocation still ahead may only be brought forward)', OLD.kid
    USING ERRCODE = 'restrict_violation';
END;
$$;
