"""The RMRB converter, the fixed split, pkuseg pruning, and a smoke run of `newsgraph train core`."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.errors import InputError
from newsgraph.training.rmrb import parse_line, read_rmrb, split_of

from .conftest import RMRB, RMRB_FIXTURE

FIXTURE = RMRB_FIXTURE


def test_parse_line_keeps_words_tags_and_bracketed_compounds():
    line = "19980101-01-001-006/m  通过/p  [中央/n  人民/n  广播/vn  电台/n]nt  、/w  １９９８年/t  ９０％/m  "
    sentence = parse_line(line)
    assert sentence.sent_id == "19980101-01-001-006"
    assert sentence.words == ["通过", "中央", "人民", "广播", "电台", "、", "1998年", "90%"]
    assert sentence.tags == ["p", "n", "n", "vn", "n", "w", "t", "m"]
    assert sentence.compounds == [(1, 5, "nt")]
    assert sentence.text == "通过中央人民广播电台、1998年90%"


def test_parse_line_follows_the_normaliser_when_it_drops_characters():
    # A zero-width space is dropped by the normaliser: the word made only of it disappears,
    # and the compound after it is re-indexed.
    sentence = parse_line("x-1/m  在/p  \u200b/w  [青岛/ns  市/n]ns  ")
    assert sentence.words == ["在", "青岛", "市"]
    assert sentence.compounds == [(1, 3, "ns")]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("x-1/m  青岛", "not word/TAG"),
        ("x-1/m  青岛/ns]ns", "closes no bracket"),
        ("x-1/m  [青岛/ns  市/n", "'[' before '青岛' is never closed"),
        ("x-1/m  [青岛/ns  [市/n]ns", "inside another"),
        ("青岛/ns  市/n", "does not start with a sentence id"),
    ],
)
def test_bad_lines_name_file_and_line(line, problem):
    with pytest.raises(InputError) as caught:
        parse_line(line, "RMRB.txt", 7)
    assert str(caught.value).startswith("RMRB.txt:7: ")
    assert problem in str(caught.value)


def test_blank_line_is_no_sentence():
    assert parse_line("   \n") is None


def test_split_is_fixed_by_sentence_id():
    # pinned: a change of the rule (or a salted hash) would move sentences between splits
    assert [split_of(f"19980101-01-001-{n:03d}") for n in (12, 13, 14, 15)] == ["train", "dev", "train", "test"]
    assert [split_of(f"19980101-01-002-{n:03d}") for n in (3, 18)] == ["test", "dev"]
    ids = [f"19980101-01-{a:03d}-{b:03d}" for a in range(1, 201) for b in range(1, 51)]
    splits = [split_of(i) for i in ids]
    assert 0.04 < splits.count("test") / len(ids) < 0.06
    assert 0.04 < splits.count("dev") / len(ids) < 0.06


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=4).filter(
                lambda w: w.strip() == w and " " not in w and "/" not in w and w[0] != "["
            ),
            st.sampled_from(["n", "v", "w", "m"]),
        ),
        max_size=8,
    )
)
def test_parse_line_never_crashes_and_words_rebuild_the_normalised_text(pairs):
    from newsgraph.normalize import normalize

    tokens = [w for w, _ in pairs if w.split() == [w]]
    line = "id/m  " + "  ".join(f"{w}/{t}" for (w, t) in pairs if w in tokens)
    try:
        sentence = parse_line(line)
    except InputError:
        return
    assert sentence is not None
    assert sentence.text == normalize("".join(tokens)).text
    assert all(sentence.words)


def test_fixture_reads_whole():
    sentences = list(read_rmrb(FIXTURE))
    assert len(sentences) == 150
    assert all(len(s.words) == len(s.tags) for s in sentences)


def test_smoke_training_builds_a_loadable_pipeline(tmp_path, seed_text):
    """The whole `train core` path on 150 lines: convert, pkuseg, prune, tagger, assemble, score."""
    from newsgraph.pipeline import load_pipeline
    from newsgraph.training.core import CoreSettings, train_core

    out = tmp_path / "model"
    settings_ = CoreSettings(FIXTURE, out, tmp_path / "work", pkuseg_iterations=2, tagger_steps=30)
    lines: list[str] = []
    scores = train_core(settings_, report=lines.append)
    assert [line.split(",")[0] for line in lines if line.startswith(("converting", "training"))] == [
        f"converting {FIXTURE}",
        "training pkuseg",
        "training the tagger",
    ]
    assert 0.0 < scores.seg["f"] <= 1.0
    assert scores.per_tag and scores.sentences > 0
    nlp = load_pipeline(out)
    assert nlp.pipe_names == ["tok2vec", "tagger", "newsgraph_quantities", "newsgraph_dates"]
    doc = nlp(seed_text[:2000])
    assert doc.text == seed_text[:2000]
    assert all(t.tag_ for t in doc if not t.is_space)

    # a second run resumes: every step is done with the same inputs, only assembly and scoring run
    lines.clear()
    again = train_core(settings_, report=lines.append)
    assert again.seg == scores.seg
    assert not [line for line in lines if line.startswith(("converting", "training"))]

    # new tagger settings redo the tagger, not the steps before it
    lines.clear()
    train_core(replace(settings_, tagger_steps=20), report=lines.append)
    assert [line.split(",")[0] for line in lines if line.startswith(("converting", "training"))] == [
        "training the tagger"
    ]


def test_a_step_killed_half_way_is_redone(tmp_path, monkeypatch):
    """A killed tagger run leaves model-best behind; the next run must not take it as done."""
    import newsgraph.training.core as core

    settings_ = core.CoreSettings(FIXTURE, tmp_path / "model", tmp_path / "work", pkuseg_iterations=1, tagger_steps=10)
    core.train_core(settings_, report=lambda line: None)

    def killed(data, out, max_steps):
        raise KeyboardInterrupt

    monkeypatch.setattr(core, "train_tagger", killed)
    with pytest.raises(KeyboardInterrupt):
        core.train_core(replace(settings_, tagger_steps=500), report=lambda line: None)
    assert (tmp_path / "work" / "tagger" / "model-best").exists()
    monkeypatch.undo()
    lines: list[str] = []
    core.train_core(settings_, report=lines.append)  # the first settings again
    assert any(line.startswith("training the tagger") for line in lines)
    assert not any(line.startswith("training pkuseg") for line in lines)


def test_pruning_drops_small_weights_and_keeps_the_model_usable(tmp_path):
    import numpy as np
    import spacy_pkuseg

    from newsgraph.training.rmrb import convert
    from newsgraph.training.segmenter import prune_pkuseg, train_pkuseg

    convert(FIXTURE, tmp_path / "data")
    full = train_pkuseg(tmp_path / "data" / "train.txt", tmp_path / "data" / "dev.txt", tmp_path / "full", 2)
    before, after = prune_pkuseg(full, tmp_path / "pruned", 0.05)
    assert 0 < after < before
    with np.load(tmp_path / "pruned" / "weights.npz") as npz:
        n_tag, n_feature = npz["sizes"]
        assert n_feature == after and len(npz["w"]) == n_tag * (n_feature + n_tag)
    words = spacy_pkuseg.pkuseg(str(tmp_path / "pruned"), user_dict=None).cut("街道党工委开展燃气安全检查。")
    assert "".join(words) == "街道党工委开展燃气安全检查。"


@pytest.mark.skipif(not RMRB.exists(), reason="../shared/corpora is not beside the project")
def test_real_corpus_first_lines_parse():
    with RMRB.open(encoding="utf-8") as handle:
        lines = [next(handle) for _ in range(200)]
    sentences = [parse_line(line, str(RMRB), n) for n, line in enumerate(lines, 1)]
    assert sentences[0].sent_id == "19980101-01-001-001"
    assert all(s is None or len(s.words) == len(s.tags) for s in sentences)
    assert any(s and s.compounds for s in sentences)


def test_train_core_command_runs_and_names_a_missing_corpus(tmp_path):
    from typer.testing import CliRunner

    from newsgraph.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["train", "core", "--rmrb", str(FIXTURE), "--work", str(tmp_path / "w")])
    assert result.exit_code == 1
    assert "would replace the shipped model: pass --out" in result.stderr
    missing = tmp_path / "RMRB.txt"
    out = tmp_path / "model"
    args = ["--rmrb", str(missing), "--work", str(tmp_path / "w"), "--out", str(out)]
    result = runner.invoke(app, ["train", "core", *args])
    assert result.exit_code == 1
    assert f"{missing}: corpus file not found" in result.stderr
    args = ["--rmrb", str(FIXTURE), "--out", str(out), "--work", str(tmp_path / "w")]
    result = runner.invoke(app, ["train", "core", *args, "--pkuseg-iterations", "1", "--tagger-steps", "10"])
    assert result.exit_code == 0, result.output
    assert (out / "meta.json").exists() and (out / "tokenizer").exists()
    assert "saved" in result.stderr


def test_pkuseg_training_is_reproducible(tmp_path):
    import numpy as np

    from newsgraph.training.rmrb import convert
    from newsgraph.training.segmenter import train_pkuseg

    convert(FIXTURE, tmp_path / "data")
    runs = [train_pkuseg(tmp_path / "data" / "train.txt", tmp_path / "data" / "dev.txt", tmp_path / k, 2) for k in "ab"]
    weights = [np.load(run / "weights.npz")["w"] for run in runs]
    assert np.array_equal(weights[0], weights[1])
    assert np.abs(weights[0]).max() > 0
