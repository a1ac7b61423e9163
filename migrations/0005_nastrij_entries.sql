-- Nastrij: mood entries. Private to their author: every query filters by family and author.
create table nastrij_entries (
    id            bigint generated always as identity primary key,
    family_id     bigint      not null references families (id) on delete cascade,
    author_id     bigint      not null references users (id) on delete cascade,
    mood          text        not null
                              check (mood in ('happy', 'calm', 'excited', 'neutral', 'tired', 'sad', 'anxious', 'angry')),
    intensity     smallint    not null check (intensity between 1 and 10),
    context       text        check (char_length(context) <= 500),
    triggers      text[]      not null default '{}',
    notes         text        check (char_length(notes) <= 5000),
    tags          text[]      not null default '{}',
    felt_at       timestamptz not null default now(),
    source_trace  text        check (char_length(source_trace) <= 500),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);

create index nastrij_entries_author_felt on nastrij_entries (family_id, author_id, felt_at desc, id desc);
