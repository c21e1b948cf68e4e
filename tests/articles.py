"""Small articles written for the tests, and helpers that put them on disk.

Every text here was written for newsetl's tests; none is copied from a publisher.
"""

from __future__ import annotations

import json
from pathlib import Path

HARBOUR_STORY = """\
Port authority approves harbour expansion after long dispute

By Maria Jensen and Tom Okafor

COPENHAGEN (Reuters) – The city's port authority on Monday approved a plan to deepen the northern harbour, ending a three-year dispute with fishing cooperatives.

“We listened to every objection and changed the plan twice,” said Lars Holm, the authority's chairman.

The cooperatives said they would study the final text before deciding whether to appeal.

(Reporting by Maria Jensen in Copenhagen and Tom Okafor in Oslo; Editing by Ruth Mendel)
"""

PUTIN_STORY_A = """\
Kremlin says talks with Ankara will continue

MOSCOW (Reuters) – Russian President Vladimir Putin will speak with Turkey's leader by phone this week, the Kremlin said on Tuesday.

Putin has held several such calls this year, according to the Kremlin.
"""

PUTIN_STORY_B = """\
Grain deal talks stall again

ISTANBUL (Reuters) – Negotiators failed to agree on new shipping rules on Wednesday, officials said.

Putin said last month that Russia wanted guarantees for its own exports before any new deal.
"""


def write_text(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_jsonl(folder: Path, name: str, records: list[object]) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def small_story(index: int) -> str:
    """A distinct short wire story for volume tests."""
    return (
        f"Council vote number {index} passes\n\n"
        f"SPRINGFIELD (AP) — The town council approved measure {index} on Tuesday by a vote of 5-2.\n\n"
        f"Supporters said the measure would repave {index % 17 + 2} streets before winter.\n"
    )
