-- Kazkar: stories, memories, legends and facts.

-- array_to_string is only STABLE in general, but for text[] it cannot change its answer, so
-- this wrapper may be IMMUTABLE and feed a generated column.
create function kazkar_search_document(title text, content text, location text, tags text[], participants text[])
returns tsvector
language sql
immutable
parallel safe
as $$
    select setweight(to_tsvector('simple', coalesce(title, '')), 'A')
        || setweight(to_tsvector('simple', array_to_string(tags || participants, ' ')), 'B')
        || setweight(to_tsvector('simple', coalesce(location, '')), 'C')
        || setweight(to_tsvector('simple', coalesce(content, '')), 'D')
$$;

create table kazkar_stories (
    id            bigint generated always as identity primary key,
    family_id     bigint      not null references families (id) on delete cascade,
    author_id     bigint,
    title         text        not null check (char_length(title) between 1 and 200),
    content       text        not null check (char_length(content) between 1 and 50000),
    story_type    text        not null default 'story'
                              check (story_type in ('story', 'memory', 'legend', 'fact')),
    participants  text[]      not null default '{}',
    location      text        check (char_length(location) <= 200),
    tags          text[]      not null default '{}',
    happened_on   date,
    source_trace  text        check (char_length(source_trace) <= 500),
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    search        tsvector generated always as
                  (kazkar_search_document(title, content, location, tags, participants)) stored
);

create index kazkar_stories_family_created on kazkar_stories (family_id, created_at desc, id desc);
create index kazkar_stories_search on kazkar_stories using gin (search);
create index kazkar_stories_tags on kazkar_stories using gin (tags);
create index kazkar_stories_participants on kazkar_stories using gin (participants);
-- Import upserts by source: one story per source within a family.
create unique index kazkar_stories_source on kazkar_stories (family_id, source_trace)
    where source_trace is not null;
