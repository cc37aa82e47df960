"""The store's schema, as an ordered list of migrations (see db.py)."""

from __future__ import annotations

# Each migration moves the schema from version i to i+1. Append, never edit.
MIGRATIONS: list[str] = [
    # 1: articles, stories, membership, rejections, full-text search
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        path TEXT, url TEXT, source TEXT, title TEXT,
        published TEXT, published_from TEXT,
        text TEXT NOT NULL, raw TEXT,
        duplicate_of TEXT,
        data TEXT NOT NULL,              -- the article's dossier JSON
        added TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_source ON articles(source);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        topic TEXT,
        size INTEGER NOT NULL DEFAULT 0,
        first_date TEXT, last_date TEXT,
        outlets TEXT NOT NULL DEFAULT '[]',
        data TEXT NOT NULL,              -- the story's dossier JSON
        updated TEXT NOT NULL DEFAULT (datetime('now'))
    );
    CREATE INDEX stories_last ON stories(last_date);
    CREATE TABLE story_articles (
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (story_id, article_id)
    );
    CREATE INDEX story_articles_article ON story_articles(article_id);
    CREATE TABLE timerefs (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        data TEXT NOT NULL
    );
    CREATE TABLE rejected (
        path TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL DEFAULT (datetime('now')),
        PRIMARY KEY (path, reason)
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(id UNINDEXED, title, text);
    CREATE VIRTUAL TABLE stories_fts USING fts5(id UNINDEXED, title, body);
    """,
    # 2: a key-value table for stage state (the online clusterer, batch progress)
    """
    CREATE TABLE state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 3: the online story clusterer's state (crosswire.run.ingest): centroids, document
    # frequencies and each article's clustering vector, updated with each article's commit
    """
    CREATE TABLE cluster_centroids (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,              -- story | topic
        data TEXT NOT NULL
    );
    CREATE TABLE cluster_df (
        kind TEXT NOT NULL,              -- words | names
        term TEXT NOT NULL,
        df INTEGER NOT NULL,
        PRIMARY KEY (kind, term)
    );
    CREATE TABLE article_vectors (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id TEXT,
        seq INTEGER NOT NULL,
        data BLOB NOT NULL
    );
    """,
    # 4: story search keyed by the stories' rowid (matches cost no content reads: the web app's
    # search), covering indexes for the story list's sort orders, and an index for article copies
    """
    CREATE VIRTUAL TABLE story_search USING fts5(title, body);
    INSERT INTO story_search(rowid, title, body)
        SELECT s.rowid, s.title, coalesce((SELECT group_concat(coalesce(a.title, '') || ' ' || a.text, ' ')
                                           FROM story_articles sa JOIN articles a ON a.id = sa.article_id
                                           WHERE sa.story_id = s.id), '')
        FROM stories s;
    CREATE INDEX stories_recent ON stories(last_date DESC, size DESC, id);
    CREATE INDEX stories_size ON stories(size DESC, last_date DESC, id);
    CREATE INDEX articles_duplicate ON articles(duplicate_of);
    """,
    # 5: covering index for the story list's "oldest first" order (unknown dates last)
    """
    CREATE INDEX stories_oldest ON stories(first_date IS NULL, first_date, id);
    """,
    # 6: story facets for the web app's filters: each story's outlets and entity names/aliases
    # (lower case), so filtering does not parse every story's JSON
    """
    CREATE TABLE story_facets (
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (kind, value, story_id)
    ) WITHOUT ROWID;
    CREATE INDEX story_facets_story ON story_facets(story_id);
    CREATE INDEX stories_dates ON stories(last_date, first_date);
    INSERT OR IGNORE INTO story_facets(story_id, kind, value)
        SELECT s.id, 'outlet', lower(o.value) FROM stories s, json_each(s.outlets) o;
    INSERT OR IGNORE INTO story_facets(story_id, kind, value)
        SELECT s.id, 'entity', lower(json_extract(e.value, '$.name')) FROM stories s, json_each(s.data, '$.entities') e
        WHERE json_extract(e.value, '$.name') IS NOT NULL;
    INSERT OR IGNORE INTO story_facets(story_id, kind, value)
        SELECT s.id, 'entity', lower(al.value) FROM stories s, json_each(s.data, '$.entities') e, json_each(e.value, '$.aliases') al;
    """,
    # 7: following live sources (crosswire follow): the sources, every fetch with its outcome and
    # reason, the HTTP validators of bodies fully ingested (conditional GET), and which source led
    # to which article URL (a page already ingested is not fetched again)
    """
    CREATE TABLE follow_sources (
        url TEXT PRIMARY KEY,
        kind TEXT,                       -- feed | sitemap | page, as last seen
        name TEXT,                       -- the outlet name it gave (feed title, site name)
        added TEXT NOT NULL,
        last_fetch TEXT,
        last_outcome TEXT,
        last_status INTEGER,
        last_reason TEXT,
        last_ok TEXT
    );
    CREATE TABLE fetches (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        source TEXT,                     -- the followed source the fetch was made for
        url TEXT NOT NULL,
        final_url TEXT,
        status INTEGER,                  -- the HTTP status, NULL when no answer came
        outcome TEXT NOT NULL,           -- ok | not-modified | refused | disallowed | too-large | timeout | http-error | error
        reason TEXT NOT NULL,
        bytes INTEGER NOT NULL DEFAULT 0,
        ms INTEGER
    );
    CREATE INDEX fetches_source ON fetches(source, id);
    CREATE TABLE http_validators (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        at TEXT NOT NULL
    );
    CREATE TABLE follow_items (
        source TEXT NOT NULL,
        url TEXT NOT NULL,
        article_id TEXT,                 -- NULL: fetched and read, but no article in it
        at TEXT NOT NULL,
        PRIMARY KEY (source, url)
    );
    CREATE INDEX follow_items_url ON follow_items(url);
    """,
    # 8: each story's history: its latest compact state, and one row of changes per re-analysis
    # that changed something (crosswire.run.history), for "what changed since" and the Atom feed
    """
    CREATE TABLE story_state (
        story_id TEXT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE story_changes (
        story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (story_id, version)
    );
    CREATE INDEX story_changes_at ON story_changes(at);
    """,
    # 9: the clusterer's state read lazily (`ingest` loads what one article needs, not the whole store):
    # each centroid's head (everything but its terms) and its embedding sum apart from the terms,
    # article assignments by story, whether the clusterer counted an article (a copy joins its original's
    # story uncounted; rows from before are inferred), and the copy detector's LSH band keys per article
    """
    ALTER TABLE cluster_centroids ADD COLUMN closed INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE cluster_centroids ADD COLUMN head TEXT;
    ALTER TABLE cluster_centroids ADD COLUMN vec BLOB;
    UPDATE cluster_centroids SET closed = coalesce(json_extract(data, '$.closed'), 0),
        head = json_remove(data, '$.words', '$.names', '$.vec');
    CREATE INDEX cluster_centroids_open ON cluster_centroids(closed);
    CREATE INDEX article_vectors_story ON article_vectors(story_id);
    ALTER TABLE article_vectors ADD COLUMN clustered INTEGER NOT NULL DEFAULT 1;
    UPDATE article_vectors SET clustered = 0 WHERE EXISTS (
        SELECT 1 FROM articles a JOIN article_vectors o ON o.article_id = a.duplicate_of
        WHERE a.id = article_vectors.article_id AND o.story_id = article_vectors.story_id AND o.seq <= article_vectors.seq);
    CREATE TABLE copy_bands (
        key INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (key, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX copy_bands_article ON copy_bands(article_id);
    ALTER TABLE articles ADD COLUMN banded INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX articles_unbanded ON articles(id) WHERE banded = 0;
    """,
    # 10: the model cache (crosswire.store.cache): sentence vectors and compressed spaCy parses by a
    # hash of their text and the model that made them, so re-runs and ingest never recompute them
    """
    CREATE TABLE embeddings (
        model TEXT NOT NULL,
        key BLOB NOT NULL,               -- BLAKE2b-128 of the text (crosswire.nlp.text_key)
        vector BLOB NOT NULL,            -- float32 x 384
        PRIMARY KEY (model, key)
    );
    CREATE TABLE parses (
        model TEXT NOT NULL,
        key BLOB NOT NULL,
        doc BLOB NOT NULL,               -- zlib(spaCy Doc.to_bytes without tensor)
        PRIMARY KEY (model, key)
    );
    """,
]
