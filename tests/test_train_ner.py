"""`newsgraph train ner` end to end on tiny hand-written corpora (tests/fixtures/ner), and the
`evaluate --dev` command: the whole path runs without ../shared/corpora."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.paths import CORE_MODEL
from newsgraph.pipeline import load_pipeline
from newsgraph.training.ner import NerSettings, train_ner

from .conftest import RMRB_FIXTURE

FIXTURES = Path(__file__).parent / "fixtures" / "ner"
runner = CliRunner()


def corpora_folder(root: Path) -> Path:
    """The fixtures laid out as ../shared/corpora is."""
    (root / "msra_ner" / "dev").mkdir(parents=True)
    shutil.copy(FIXTURES / "msra" / "train.txt", root / "msra_ner" / "train.txt")
    shutil.copy(FIXTURES / "msra" / "dev" / "sentences.txt", root / "msra_ner" / "dev" / "sentences.txt")
    (root / "cluener2020").mkdir()
    shutil.copy(FIXTURES / "cluener" / "train.json", root / "cluener2020" / "train.json")
    (root / "resume_ner").mkdir()
    for split in ("train", "dev"):
        shutil.copy(FIXTURES / "resume.char.bmes", root / "resume_ner" / f"{split}.char.bmes")
    return root


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("train-ner")
    settings = NerSettings(
        corpora=corpora_folder(tmp / "corpora"),
        core=CORE_MODEL,
        out=tmp / "model",
        work=tmp / "work",
        rmrb=RMRB_FIXTURE,
        max_steps=3,
        vectors=False,  # floret is a training extra; the vectors step is tested in test_vectors.py
    )
    lines: list[str] = []
    scores = train_ner(settings, report=lines.append)
    return settings, scores, lines


def test_train_ner_writes_a_pipeline_that_loads(trained):
    settings, scores, _ = trained
    nlp = load_pipeline(settings.out)
    names = nlp.pipe_names
    assert names.index("tagger") < names.index("ner") < names.index("newsgraph_entity_rules")
    assert set(nlp.get_pipe("ner").labels) <= {"PERSON", "PLACE", "ORG", "TITLE"}
    meta = json.loads((settings.out / "meta.json").read_text(encoding="utf-8"))
    assert set(meta["performance"]["ner"]) == {"msra", "cluener", "resume", "seed"}
    assert meta["performance"]["ner"]["msra"]["model"]["gold_spans"] > 0
    assert scores["seed"]["ALL"]["support"] == 70


def test_conversion_report_counts_the_fixtures(trained):
    settings, _, lines = trained
    report = json.loads((settings.work / "convert.json").read_text(encoding="utf-8"))
    assert report["sentences"]["dev_msra"] == 3  # whole line, two lines joined, a piece of a line
    assert report["read"]["msra"]["dropped"]["msra dev sentence not found in train.txt"] == 2
    assert report["alignment"]["msra"]["aligned"] + report["alignment"]["msra"]["repaired"] > 0
    assert any(line.startswith("converting") for line in lines)
    assert (settings.work / "split_words.json").is_file()


def test_split_words_travel_with_the_tokenizer(trained):
    settings, _, _ = trained
    learnt = json.loads((settings.work / "split_words.json").read_text(encoding="utf-8"))
    nlp = load_pipeline(settings.out)
    from newsgraph.patterns import fixed_split_words

    assert nlp.tokenizer.split_rules == {**fixed_split_words(), **{w: tuple(c) for w, c in learnt.items()}}


def test_a_second_run_skips_finished_steps(trained):
    settings, _, _ = trained
    lines: list[str] = []
    train_ner(settings, report=lines.append)
    assert not any(line.startswith(("converting", "training")) for line in lines), lines


def test_evaluate_dev_seed_prints_per_label_scores(trained):
    settings, _, _ = trained
    result = runner.invoke(app, ["evaluate", "--dev", "seed", "--model", str(settings.out), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["seed"]["ALL"]["support"] == 70
    assert "DATE" in scores["seed"]["labels"]


def test_evaluate_dev_corpus_scores_model_and_pipeline(trained):
    settings, _, _ = trained
    args = ["evaluate", "--dev", "msra", "--model", str(settings.out), "--work", str(settings.work)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "msra, the model alone" in result.stdout
    assert "msra, the whole pipeline" in result.stdout


def test_evaluate_unknown_dev_set_is_named():
    result = runner.invoke(app, ["evaluate", "--dev", "ontonotes"])
    assert result.exit_code == 1
    assert "unknown dev set 'ontonotes'" in result.output


def test_evaluate_without_files_or_dev_says_what_to_give():
    result = runner.invoke(app, ["evaluate"])
    assert result.exit_code == 1
    assert "give GOLD and PRED" in result.output


def test_evaluate_dev_without_converted_sets_names_the_fix(tmp_path):
    result = runner.invoke(app, ["evaluate", "--dev", "msra", "--model", str(CORE_MODEL), "--work", str(tmp_path)])
    assert result.exit_code == 1
    assert "newsgraph train ner" in result.output


def test_missing_corpus_is_an_error_naming_it(tmp_path):
    settings = NerSettings(
        corpora=tmp_path / "nowhere", core=CORE_MODEL, out=tmp_path / "m", work=tmp_path / "w", vectors=False
    )
    with pytest.raises(Exception) as caught:
        train_ner(settings, report=lambda _line: None)
    assert "corpus file not found" in str(caught.value)
    assert "nowhere" in str(caught.value)
