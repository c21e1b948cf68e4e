"""Named entities of an article: the model's spans repaired by rule passes, one record per thing.

The passes and their order are declared in :mod:`.passes`; the curated word
lists they read are in ``data/`` (:mod:`.lexicons`).
"""

from etl.transform.nlp.entities.passes import PASSES, extract_entities

__all__ = ["PASSES", "extract_entities"]
