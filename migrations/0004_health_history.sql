-- The operator dashboard's memory: every change of status of a polled health endpoint (check_name
-- '') and of each of its checks. Uptime and timelines are computed from these rows; rows older
-- than the retention period (HEALTHCHECKS_RETENTION_DAYS) are purged by the collector.
create table health_status_changes (
    id           bigint generated always as identity primary key,
    endpoint     text        not null check (char_length(endpoint) between 1 and 100),
    check_name   text        not null default '' check (char_length(check_name) <= 200),
    status       text        not null check (status in ('healthy', 'degraded', 'unhealthy')),
    description  text        check (char_length(description) <= 2000),
    changed_at   timestamptz not null default now()
);

create index health_status_changes_key on health_status_changes (endpoint, check_name, changed_at desc, id desc);
create index health_status_changes_changed_at on health_status_changes (changed_at);
