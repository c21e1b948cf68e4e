"""Quotes and who said them: the entry point is :func:`.extract.extract_quotes`.

Modules: :mod:`.marks` (quoted passages), :mod:`.cues` (reporting verbs around
a quote), :mod:`.subjects` (a verb's subject in the parse), :mod:`.verbless` (speakers
named without a verb, pronoun focus), :mod:`.speakers` (speaker records linked to entities),
:mod:`.indirect` (reported speech), :mod:`.lexicon` (word lists).
"""

from etl.transform.nlp.quotes.extract import extract_quotes

__all__ = ["extract_quotes"]
