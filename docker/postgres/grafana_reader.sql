-- The read-only role of Grafana's "Assistant DB (usage)" datasource: counts and costs per user id,
-- nothing a user wrote (no bodies, no emails, no tool arguments). Column grants, so a new column
-- is never readable by accident. Idempotent; deploy.sh runs it after every migration:
--   psql -v ON_ERROR_STOP=1 -v reader_role=grafana_reader -v reader_password=... -f grafana_reader.sql
-- (psql does not substitute variables inside $$ blocks, hence the session settings.)
SELECT set_config('assistant.reader_role', :'reader_role', false),
       set_config('assistant.reader_password', :'reader_password', false) \gset
DO $$
DECLARE
  reader text := current_setting('assistant.reader_role');
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = reader) THEN
    EXECUTE format('CREATE ROLE %I LOGIN', reader);
  END IF;
  EXECUTE format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE CONNECTION LIMIT 5 PASSWORD %L',
                 reader, current_setting('assistant.reader_password'));
END
$$;
SELECT set_config('assistant.reader_password', '', false) \gset
GRANT USAGE ON SCHEMA public TO :"reader_role";
GRANT SELECT (user_id, direction, segments, price_estimate, created_at) ON sms_usage TO :"reader_role";
GRANT SELECT (user_id, turn_id, provider, kind, tokens_in, tokens_out, latency_ms, created_at)
  ON agent_steps TO :"reader_role";
