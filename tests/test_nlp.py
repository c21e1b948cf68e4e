"""Model loading and streaming annotation."""

from __future__ import annotations

import pytest

pytest.importorskip("spacy")
pytestmark = pytest.mark.nlp

from etl.errors import EtlError  # noqa: E402
from etl.records import ArticleRecord  # noqa: E402
from etl.transform.nlp.annotate import annotate_articles  # noqa: E402
from etl.transform.nlp.model import REQUIRED_COMPONENTS, load_pipeline  # noqa: E402
from etl.transform.text import join_paragraphs  # noqa: E402


def article(n: int, text: str) -> ArticleRecord:
    body, spans = join_paragraphs([text])
    return ArticleRecord(
        source_uri=f"a{n}", document_key=f"a{n}", content_sha256=str(n), body=body, paragraphs=spans
    )


def test_model_is_loaded_once_with_every_component():
    nlp = load_pipeline()
    assert load_pipeline() is nlp
    for component in REQUIRED_COMPONENTS:
        assert component in nlp.pipe_names
    # Only "senter" is off (the parser splits sentences); nothing quotes need is disabled.
    assert set(nlp.disabled) <= {"senter"}


def test_missing_model_is_a_clear_error():
    with pytest.raises(EtlError, match="not installed"):
        load_pipeline("newsetl_no_such_model")


def test_annotation_streams_in_order_and_passes_over_long_bodies():
    nlp = load_pipeline()
    texts = [f"Maria Lopez visited Madrid on day {i}." for i in range(5)]
    texts[2] = "x " * 40  # over the (lowered) limit below
    articles = [article(i, t) for i, t in enumerate(texts)]
    saved = nlp.max_length
    nlp.max_length = 60
    try:
        out = list(annotate_articles(iter(articles), nlp, batch_size=2))
    finally:
        nlp.max_length = saved
    assert [a.source_uri for a in out] == [f"a{i}" for i in range(5)]
    assert out[2].entities == () and out[2].body == articles[2].body
    for annotated in out[:2] + out[3:]:
        names = {e.name: e for e in annotated.entities}
        assert names["Maria Lopez"].type == "PERSON"
        assert names["Madrid"].country_code == "ES"


def test_run_report_and_stats_count_articles_not_in_english(tmp_path):
    from etl.config import Settings
    from etl.db.stats import database_stats
    from etl.pipeline import run_pipeline

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "en.txt").write_text(
        "Council backs new bridge\n\nThe city council in Springfield voted on Tuesday to build a new bridge "
        "over the river, the mayor said. Work starts in the spring and lasts two years.\n",
        encoding="utf-8",
    )
    (corpus / "de.txt").write_text(
        "Stadtrat beschließt neue Brücke\n\nDer Stadtrat in Berlin hat am Dienstag beschlossen, eine neue "
        "Brücke über den Fluss zu bauen, sagte die Bürgermeisterin. Die Arbeiten beginnen im Frühjahr.\n",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'nlp.db'}"
    report = run_pipeline(Settings(paths=(corpus,), database_url=url))
    assert report.new == 2 and report.not_english == 1
    assert report.as_dict()["not_english"] == 1
    assert database_stats(url)["articles_not_english"] == 1
    from click.testing import CliRunner

    from etl.cli import cli

    shown = CliRunner().invoke(cli, ["stats", "--db", url])
    assert shown.exit_code == 0 and "1 not in English: no entities or quotes" in shown.output
    again = CliRunner().invoke(cli, ["-q", "run", "--reprocess", "--db", url, str(corpus)])
    assert "1 article(s) not in English: no entities or quotes" in again.output
