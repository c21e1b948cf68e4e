"""HTML article pages -> ArticleRecord.

:mod:`.reader` holds the reader (:func:`~etl.transform.formats.html.reader.parse_html_page`);
the other modules each do one part of it: :mod:`.page` indexes the tags,
:mod:`.metadata` reads structured metadata, :mod:`.byline` finds visible bylines,
:mod:`.titles`, :mod:`.dates` and :mod:`.authors` choose one value per field,
:mod:`.body` extracts the story text and :mod:`.wire_copy` applies the wire-copy
conventions to it.
"""
