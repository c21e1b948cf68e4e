"""Article language: declared tags, text identification, and which one wins."""

from __future__ import annotations

import subprocess
import sys

import pytest

from etl.transform.language import (
    MIN_LETTERS,
    OVERRIDE_MIN_LETTERS,
    article_language,
    detect_language,
    normalize_language_tag,
)

ENGLISH = (
    "The city council voted on Tuesday to close the old bridge over the river for repairs. "
    "Drivers will have to take a detour through the industrial park until the work is finished next spring."
)
GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke über den Fluss für Reparaturen zu sperren. "
    "Autofahrer müssen bis zum Ende der Arbeiten im nächsten Frühjahr eine Umleitung durch das Gewerbegebiet nehmen."
)
FRENCH = (
    "Le conseil municipal a voté mardi la fermeture du vieux pont sur la rivière pour des travaux. "
    "Les automobilistes devront faire un détour par la zone industrielle jusqu'à la fin du chantier au printemps."
)
SPANISH = (
    "El ayuntamiento votó el martes cerrar el viejo puente sobre el río para hacer reparaciones. "
    "Los conductores tendrán que desviarse por el polígono industrial hasta que terminen las obras en primavera."
)
JAPANESE = (
    "市議会は火曜日、川に架かる古い橋を修理のために閉鎖することを決めました。"
    "工事が来年の春に終わるまで、運転手は工業団地を通る迂回路を使わなければなりません。"
)
CHINESE = "市议会星期二投票决定关闭河上的旧桥进行维修。在明年春天工程结束之前，司机们必须绕道经过工业园区。"
LONG_GERMAN = " ".join(
    [
        GERMAN,
        "Die Stadtverwaltung rechnet mit Kosten von rund zwei Millionen Euro, die zum Teil vom Land getragen werden.",
        "Anwohner hatten sich seit Jahren über Risse im Beton und über den Lärm der Lastwagen beschwert.",
        "Ein Gutachten aus dem vergangenen Herbst kam zu dem Schluss, dass die Tragfähigkeit nicht mehr ausreicht.",
        "Für Fußgänger und Radfahrer soll während der Bauzeit eine schmale Behelfsbrücke errichtet werden.",
    ]
)
LONG_JAPANESE = JAPANESE + (
    "市によると、修理費用は約三億円で、その一部は県が負担する予定です。"
    "近くに住む人たちは、何年も前から橋のひび割れやトラックの騒音について苦情を訴えていました。"
    "去年の秋に行われた調査では、橋が重い車両の重さに耐えられなくなっていることが分かりました。"
    "工事の間、歩行者と自転車のために川の上に仮の細い橋が作られることになっています。"
    "市長は記者会見で、住民の安全を第一に考えて決めたと説明し、理解と協力を求めました。"
    "地元の商店街からは、客が減るのではないかと心配する声も上がっています。"
    "橋の閉鎖は来月一日から始まり、詳しい迂回路の地図は市のホームページで公開されます。"
)
LONG_DANISH = (
    "Regeringen fremlagde i går et forslag om at hæve pensionsalderen, og oppositionen kritiserede straks planen. "
    "Ifølge finansministeren skal pengene bruges på sundhedsvæsenet og på flere lærere i folkeskolen, men "
    "fagforeningerne mener, at de ældre arbejdere bliver ramt hårdest. Forhandlingerne fortsætter i næste uge, "
    "og flere partier har allerede meldt ud, at de ikke vil stemme for forslaget i sin nuværende form."
)


def test_long_samples_are_long_enough() -> None:
    letters = sum(char.isalpha() for char in LONG_GERMAN)
    assert letters >= OVERRIDE_MIN_LETTERS
    assert sum(char.isalpha() for char in LONG_DANISH) >= OVERRIDE_MIN_LETTERS
    assert sum(char.isalpha() for char in LONG_JAPANESE) >= OVERRIDE_MIN_LETTERS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ENGLISH, "en"),
        (GERMAN, "de"),
        (FRENCH, "fr"),
        (SPANISH, "es"),
        (JAPANESE, "ja"),
        (CHINESE, "zh"),
        (ENGLISH.upper(), "en"),
        ("Der Stadtrat sperrt die alte Brücke über den Fluss.", "de"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "Berlin",
        "2024-05-14 17:03",
        "12 345 678 — 90 %",
        "x" * (MIN_LETTERS - 1),
        "https://example.com/2024/05/14/",
    ],
)
def test_detect_language_gives_none_on_short_or_empty_text(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", "en"),
        ("en-US", "en"),
        ("en_GB", "en"),
        ("EN", "en"),
        ("en-us ", "en"),
        ("de-DE", "de"),
        ("de_DE.UTF-8", "de"),
        ("zh-Hans-CN", "zh"),
        ("zh-TW", "zh"),
        ("cmn-Hans", "zh"),
        ("ja-JP", "ja"),
        ("pt_BR", "pt"),
        ("es-419", "es"),
        ("nb-NO", "nb"),
        ("fr-FR, en;q=0.8", "fr"),
        ("eng", "en"),
        ("deu", "de"),
        ("ger", "de"),
        ("english", "en"),
        ("English", "en"),
        ("German", "de"),
        ("Deutsch", "de"),
        ("français", "fr"),
        ("日本語", "ja"),
        ("iw", "he"),
    ],
)
def test_normalize_language_tag(tag: str, expected: str) -> None:
    assert normalize_language_tag(tag) == expected


@pytest.mark.parametrize(
    "tag",
    [
        None,
        "",
        "  ",
        "und",
        "mul",
        "zxx",
        "x-default",
        "xx",
        "{{ lang }}",
        "en-US-x-" + "a" * 20,
        "1234",
        "foo bar",
    ],
)
def test_normalize_language_tag_rejects_junk(tag: str | None) -> None:
    assert normalize_language_tag(tag) is None


def test_first_usable_declared_tag_wins() -> None:
    assert article_language([None, "und", "fr-FR", "en"], FRENCH) == "fr"
    assert article_language(["de_DE", "en"], GERMAN) == "de"


def test_declared_tag_wins_over_short_text() -> None:
    # A short text is not evidence enough to overrule the page.
    assert article_language(["en"], GERMAN) == "en"
    assert article_language(["fr"], "Breaking news") == "fr"


def test_detection_when_nothing_usable_is_declared() -> None:
    assert article_language([], JAPANESE) == "ja"
    assert article_language([None, "", "x-default"], SPANISH) == "es"
    assert article_language([], "Berlin") is None


def test_long_text_overrules_a_template_tag_in_another_language() -> None:
    # A site template says lang="en" on every page, this one German.
    assert article_language(["en-US"], LONG_GERMAN) == "de"
    assert article_language(["en"], LONG_JAPANESE) == "ja"


def test_long_text_agreeing_with_the_declared_tag_keeps_it() -> None:
    assert article_language(["de-AT"], LONG_GERMAN) == "de"


def test_close_neighbour_keeps_its_declared_tag() -> None:
    # Danish and Norwegian are written alike: the publisher's word stands.
    assert detect_language(LONG_DANISH) == "da"
    assert article_language(["no"], LONG_DANISH) == "no"
    assert article_language(["nb-NO"], LONG_DANISH) == "nb"


def test_importing_transform_does_not_load_the_detector() -> None:
    code = "import sys, etl.transform, etl.transform.language; sys.exit('py3langid' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
