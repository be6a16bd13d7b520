"""The vectors step (newsgraph/training/vectors.py) on a tiny raw-text corpus."""

from __future__ import annotations

import json

import pytest
import spacy

from newsgraph.errors import InputError
from newsgraph.training.vectors import RAW_ARTICLES, VectorSettings, train_vectors, write_text

SENTENCES = [
    "薛家岛街道召开燃气安全专题会议。",
    "珠海街道城管办联合安全监管中心开展检查。",
    "月亮湾路社区与区立医院签订党建共建协议。",
    "汉江路社区维湾小区试点瓶改电。",
]


def raw_corpus(root, copies: int = 30):
    path = root / RAW_ARTICLES
    path.parent.mkdir(parents=True)
    lines = [json.dumps({"title": "标题", "subtitle": "", "text": s}, ensure_ascii=False) for s in SENTENCES * copies]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_text_is_our_words_one_line_each(tmp_path):
    out = tmp_path / "text.txt"
    chars = write_text(raw_corpus(tmp_path / "c", copies=1), ["额外 的句子"], list, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[1] == " ".join("薛家岛街道召开燃气安全专题会议。")  # `list` cuts into characters
    assert lines[-1] == "额 外 的 句 子"  # spaces are no words
    assert chars == sum(len(s) for s in SENTENCES) + 4 * len("标题") + len("额外 的句子")


def test_missing_or_bad_raw_text_is_named(tmp_path):
    with pytest.raises(InputError, match="raw text for the vectors not found"):
        write_text(tmp_path, [], list, tmp_path / "t.txt")
    root = raw_corpus(tmp_path / "c", copies=1)
    (root / RAW_ARTICLES).write_text('{"text": "好"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        write_text(root, [], list, tmp_path / "t.txt")
    assert caught.value.line == 2


def test_floret_vectors_give_every_word_a_vector(tmp_path):
    pytest.importorskip("floret")
    text = tmp_path / "text.txt"
    write_text(raw_corpus(tmp_path / "c"), [], list, text)
    out = train_vectors(text, tmp_path / "vectors", VectorSettings(dim=16, bucket=500, epochs=2, min_count=1))
    nlp = spacy.load(out)
    assert nlp.vocab.vectors.mode == "floret"
    assert nlp.vocab.vectors.shape == (500, 16)
    seen, unseen = nlp.vocab["街道"].vector, nlp.vocab["从未见过"].vector  # floret: subwords for unseen words
    assert seen.shape == unseen.shape == (16,)
    assert abs(unseen).sum() > 0
