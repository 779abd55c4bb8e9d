-- The audit log cannot be rewritten, even by a bug in Maillon.
create function audit_log_no_update() returns trigger language plpgsql as $$
begin
	raise exception 'audit_log is append-only';
end;
$$;

create trigger audit_log_no_update before update on audit_log
for each row execute function audit_log_no_update();
