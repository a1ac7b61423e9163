-- Accounts: members of a family, their API tokens, and the data-protection key ring (shared by
-- every instance, so cookies and antiforgery tokens work whichever instance answers).
create table users (
    id               bigint generated always as identity primary key,
    family_id        bigint      not null references families (id) on delete cascade,
    email            text        not null check (char_length(email) between 3 and 254),
    display_name     text        not null check (char_length(display_name) between 1 and 100),
    password_hash    text        not null,
    role             text        not null check (role in ('owner', 'member', 'operator')),
    -- Changing the stamp invalidates every session cookie issued before (sign out everywhere).
    security_stamp   text        not null,
    failed_attempts  int         not null default 0,
    locked_until     timestamptz,
    created_at       timestamptz not null default now(),
    last_sign_in_at  timestamptz
);

create unique index users_email on users (lower(email));
create index users_family on users (family_id);

create table api_tokens (
    id            bigint generated always as identity primary key,
    user_id       bigint      not null references users (id) on delete cascade,
    name          text        not null check (char_length(name) between 1 and 100),
    -- SHA-256 of the token; the token itself is shown once and never stored.
    token_hash    bytea       not null unique,
    display_hint  text        not null,
    created_at    timestamptz not null default now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

create index api_tokens_user on api_tokens (user_id);

create table data_protection_keys (
    id          bigint generated always as identity primary key,
    -- The key element, encrypted with a key derived from SECRET_KEY.
    xml         text        not null,
    created_at  timestamptz not null default now()
);
