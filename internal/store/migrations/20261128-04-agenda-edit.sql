-- An event's revision, the iCal SEQUENCE (RFC 5545 §3.8.7.4): bumped by
-- each edit, so that calendar apps replace their copy of a rescheduled
-- event.

alter table agenda_events add column revision integer not null default 0;
