"""Quotes and who said them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from etl.records import ArticleRecord, EntityRecord, QuoteRecord

if TYPE_CHECKING:
    from spacy.tokens import Doc


def extract_quotes(
    doc: Doc, article: ArticleRecord, entities: tuple[EntityRecord, ...]
) -> tuple[QuoteRecord, ...]:
    """Find quotes in the article body and attribute them to speakers."""
    return ()
