"""Platforms, software and products the model calls people ("Twitter", "Mercurial").

People are not something one posts *on*, runs, downloads or has an
*account* with. A one-word name the model typed as a person is an
organisation (or the product the model called another mention of it) when
any of its mentions reads that way: after "via", "using" or a verb of posting
and "on" ("posted on Twitter", "via Signal"), or before a word
of accounts, users and releases ("Twitter users", "Mercurial repository");
"on" only after a verb of posting ("relied on Smith" is a person).
Every mention of that name follows (the evidence is strong, so the vote keeps it).
"""

from __future__ import annotations

from etl.records import EntityType
from etl.transform.nlp.entities.state import State

PLATFORM_BEFORE = frozenset({"via", "using"})
"""Words before a platform, hardly ever before a person's name."""
POSTED_ON = frozenset(
    {
        *("posted", "posting", "posts", "wrote", "writing", "said", "shared", "announced", "published"),
        *("tweeted", "streamed", "live", "uploaded", "blocked", "banned", "suspended", "active", "trending"),
    }
)
"""Verbs before "on" + platform ("posted on Twitter"); "relied on Smith" is no platform."""
PLATFORM_AFTER = frozenset(
    {
        *("account", "accounts", "user", "users", "feed", "feeds", "post", "posts", "page", "pages"),
        *("app", "apps", "handle", "followers", "profile", "channel", "platform", "website", "site"),
        *("repository", "repositories", "release", "releases", "download", "downloads", "plugin"),
        *("server", "servers", "software", "update", "updates", "version", "timeline", "livestream"),
    }
)
"""Nouns after a name that make it a platform, service or piece of software."""


def tag_platforms(state: State) -> None:
    """Relabel one-word "people" used as platforms or software, every mention of them."""
    doc = state.tokens
    people = {s.key(doc) for s in state.spans if s.label == "PERSON" and s.end - s.start == 1}
    platforms: dict[str, EntityType] = {}
    for span in state.spans:
        key = span.key(doc)
        if span.end - span.start != 1 or key not in people or not doc[span.start].is_title:
            continue
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        verb = doc[span.start - 2].lower_ if span.start > 1 else ""
        after = doc[span.end].lower_ if span.end < len(doc) else ""
        if before in PLATFORM_BEFORE or (before == "on" and verb in POSTED_ON) or after in PLATFORM_AFTER:
            label: EntityType = span.label if span.label in ("ORG", "OTHER") else "ORG"
            platforms.setdefault(key, label)
    for span in state.spans:
        key = span.key(doc)
        if span.label in ("PERSON", None) and span.end - span.start == 1 and key in platforms:
            span.label, span.strong = platforms[key], True
