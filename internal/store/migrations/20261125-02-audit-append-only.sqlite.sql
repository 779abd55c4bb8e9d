-- The audit log cannot be rewritten, even by a bug in Maillon.
create trigger audit_log_no_update before update on audit_log
begin
	select raise(abort, 'audit_log is append-only');
end;
