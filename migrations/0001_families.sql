-- Every record belongs to a family. Until accounts arrive the instance has exactly one
-- family, created here; the accounts migration attaches members to it.
create table families (
    id          bigint generated always as identity primary key,
    name        text        not null,
    time_zone   text        not null default 'Europe/Kyiv',
    created_at  timestamptz not null default now()
);

insert into families (name) values ('Сімейка');
