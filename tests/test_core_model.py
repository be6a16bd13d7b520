"""The shipped core model (models/zh_core): words, tags, the user dictionary, hard input, bad folders."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.lang.zh import _get_pkuseg_trie_data

from newsgraph.errors import InputError
from newsgraph.paths import CORE_MODEL
from newsgraph.patterns import segmenter_words
from newsgraph.pipeline import load_pipeline
from newsgraph.tokenizer import NewsgraphChineseTokenizer

from .conftest import RMRB


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(CORE_MODEL)


def words_and_tags(nlp, text):
    return [(t.text, t.tag_) for t in nlp(text)]


def test_default_model_is_the_core_pipeline(nlp):
    assert nlp.pipe_names == ["tok2vec", "tagger", "newsgraph_quantities", "newsgraph_dates"]
    assert isinstance(nlp.tokenizer, NewsgraphChineseTokenizer)
    assert nlp.tokenizer.segmenter == "pkuseg"
    assert nlp.meta["performance"]["seg"]["f"] >= 0.96
    assert nlp.meta["performance"]["pos_acc"] >= 0.95


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "街道召开安全生产会议。",
            [("街道", "n"), ("召开", "v"), ("安全", "a"), ("生产", "vn"), ("会议", "n"), ("。", "w")],
        ),
        # PKU 1998 writes 区政府 as one word (6 times, never 区 政府)
        ("记者从区政府获悉", [("记者", "n"), ("从", "p"), ("区政府", "n"), ("获悉", "v")]),
        ("共检查企业3家", [("共", "d"), ("检查", "v"), ("企业", "n"), ("3", "m"), ("家", "q")]),
        (
            "他们认真地学习了文件。",
            [("他们", "r"), ("认真", "a"), ("地", "u"), ("学习", "v"), ("了", "u"), ("文件", "n"), ("。", "w")],
        ),
    ],
)
def test_words_and_tags_of_plain_news_sentences(nlp, text, expected):
    assert words_and_tags(nlp, text) == expected


def test_shipped_merge_words_are_the_gazetteer_and_domain_terms(nlp):
    assert nlp.tokenizer.merge_lexicon == set(segmenter_words())
    assert not _get_pkuseg_trie_data(nlp.tokenizer.pkuseg_seg.preprocesser.trie)  # no forced cuts


def test_gazetteer_words_stay_whole_on_the_seed_page(seed_text):
    from newsgraph.normalize import normalize

    text = normalize(seed_text).text  # as the pipeline reads it: OCR spaces inside words are gone
    with_words = load_pipeline(CORE_MODEL)
    without = load_pipeline(CORE_MODEL)
    without.tokenizer.set_merge_words(())
    tokens = [t.text for t in with_words.tokenizer(text)]
    for word in ("薛家岛街道", "月亮湾路社区", "液化气罐"):
        assert tokens.count(word) == text.count(word) > 0, word
    # without them the model cuts some (the PKU standard splits 薛家岛/街道)
    plain = [t.text for t in without.tokenizer(text)]
    assert plain.count("薛家岛街道") < text.count("薛家岛街道")
    assert len(plain) > len(tokens)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # a gazetteer place before a title: the model's boundaries win, nothing is torn off the title
        ("青岛市委书记", ["青岛", "市委", "书记"]),
        ("黄岛区长", ["黄岛", "区长"]),
        ("山东省长", ["山东", "省长"]),
        # where the model's boundaries agree, the place is one word
        ("薛家岛街道党工委", ["薛家岛街道", "党工委"]),
        ("暂扣液化气罐103个", ["暂扣", "液化气罐", "103", "个"]),
        # a long entry is cut out where one of its ends holds (the model: 查/扣液/化石/油气)
        ("现场查扣液化石油气9瓶", ["现场", "查", "扣", "液化石油气", "9", "瓶"]),
        # a short one is not: 城管办 stays inside 城管办公室
        ("城管办公室", ["城管", "办公室"]),
    ],
)
def test_gazetteer_words_merge_on_the_models_boundaries(nlp, text, words):
    assert [t.text for t in nlp.tokenizer(text)] == words


def test_merge_takes_the_longest_entry_on_the_models_boundaries():
    from newsgraph.tokenizer import entry_prefixes, merge_words

    lexicon = frozenset({"薛家岛", "薛家岛街道", "液化气罐"})
    prefixes = entry_prefixes(lexicon)
    assert merge_words(["薛家岛", "街道", "党工委"], lexicon, prefixes) == ["薛家岛街道", "党工委"]
    assert merge_words(["薛家岛", "街", "办"], lexicon, prefixes) == ["薛家岛", "街", "办"]
    assert merge_words(["薛家", "岛街", "道"], lexicon, prefixes) == ["薛家岛街道"]  # inner cuts do not matter
    assert merge_words(["薛家", "岛街", "道党", "工委"], lexicon, prefixes) == ["薛家", "岛街", "道党", "工委"]
    assert merge_words(["暂扣", "液化气", "罐"], lexicon, prefixes) == ["暂扣", "液化气罐"]
    assert merge_words(["液化气"], lexicon, prefixes) == ["液化气"]
    assert merge_words([], lexicon, prefixes) == []


def test_text_without_chinese_and_control_characters_tokenise(nlp):
    for text in ("Hello world, 2023-06-25: 90% ok!", "\x00\x01街道\x7f社区\u200b检查\ufeff", "   ", ""):
        assert nlp(text).text == text


@pytest.mark.slow
def test_a_one_megabyte_line_tokenises(nlp):
    sentence = "薛家岛街道联合整治小组暂扣液化气罐103个，"
    text = sentence * (1_000_000 // len(sentence.encode("utf-8")) + 1)
    doc = nlp.tokenizer(text)
    assert doc.text == text
    assert len(doc) > len(text) // 4


@pytest.fixture(scope="module")
def small_pieces():
    """The core tokenizer feeding pkuseg pieces of at most 7 characters, so that every text is cut."""
    nlp = load_pipeline(CORE_MODEL)
    nlp.tokenizer.max_chunk = 7
    return nlp


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_tokenises_back_to_itself(nlp, small_pieces, text):
    assert nlp.tokenizer(text).text == text
    assert small_pieces.tokenizer(text).text == text


@pytest.mark.skipif(not RMRB.exists(), reason="../shared/corpora is not beside the project")
def test_shipped_model_scores_on_held_out_sentences(nlp):
    """Re-score the shipped model on the first 300 test-split sentences, read from the corpus itself."""
    from newsgraph.training.rmrb import parse_line, split_of
    from newsgraph.training.scores import score_core

    sentences = []
    with RMRB.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if line.strip() and split_of(line.split()[0].removesuffix("/m")) == "test":
                sentences.append(parse_line(line, str(RMRB), n))
            if len(sentences) == 300:
                break
    scores = score_core(nlp, sentences)
    assert scores.seg["f"] > 0.955
    assert scores.pos_acc > 0.945


def test_missing_model_names_the_folder_and_the_fix(tmp_path, monkeypatch):
    import newsgraph.pipeline

    with pytest.raises(InputError) as caught:
        load_pipeline(tmp_path / "zh_core")
    expected = "model not found: check the folder or config given with --model"
    assert str(caught.value) == f"{tmp_path / 'zh_core'}: {expected}"
    monkeypatch.setattr(newsgraph.pipeline, "DEFAULT_PIPELINE", tmp_path / "zh_core")
    with pytest.raises(InputError) as caught:
        load_pipeline()
    expected = "model not found: rebuild it with `newsgraph train core`"
    assert str(caught.value).startswith(f"{tmp_path / 'zh_core'}: {expected}")


@pytest.mark.parametrize(
    "damaged",
    [
        "tokenizer/pkuseg_model/weights.npz",
        "tokenizer/pkuseg_model/features.msgpack",
        "tokenizer/merge_words.json",
        "vocab/strings.json",
        "tok2vec/model",
        "config.cfg",
    ],
)
def test_corrupt_model_names_the_folder_and_the_fix(tmp_path, damaged):
    broken = tmp_path / "zh_core"
    shutil.copytree(CORE_MODEL, broken)
    target = broken / damaged
    target.write_bytes(target.read_bytes()[: len(target.read_bytes()) // 2])
    with pytest.raises(InputError) as caught:
        load_pipeline(broken)
    message = str(caught.value)
    assert message.startswith(f"{broken}: cannot load model")
    assert message.endswith("check the folder or config given with --model")


def test_a_folder_missing_its_vocab_fails_at_load_not_at_first_use(tmp_path):
    broken = tmp_path / "zh_core"
    shutil.copytree(CORE_MODEL, broken)
    shutil.rmtree(broken / "vocab")
    with pytest.raises(InputError, match="cannot load model"):
        load_pipeline(broken)


def test_a_long_article_runs_in_pieces_and_comes_back_whole(nlp):
    from newsgraph.annotate import annotate_docs
    from newsgraph.normalize import normalize
    from newsgraph.records import ArticleInput

    sentence = "薛家岛街道召开安全生产会议，检查企业3家。"
    text = sentence * 40
    article = ArticleInput(id="long/1", text=normalize(text), source={"path": "long.jsonl"})
    _, whole = next(annotate_docs(nlp, [article], max_piece_chars=10_000))
    _, pieces = next(annotate_docs(nlp, [article], max_piece_chars=100))
    assert pieces.text == whole.text == text
    assert pieces._.article_id == "long/1"
    # cut at sentence ends, the pieces get the words of the whole, and its tags but near a cut
    assert [(t.idx, t.text) for t in pieces] == [(t.idx, t.text) for t in whole]
    same_tags = sum(a.tag_ == b.tag_ for a, b in zip(pieces, whole, strict=True))
    assert same_tags / len(whole) > 0.9
    assert len(pieces) > 400


def test_batches_are_bounded_in_items_and_characters():
    from newsgraph.annotate import _batches

    items = [("a" * n, i) for i, n in enumerate([5, 5, 5, 20, 1, 1, 1])]
    sizes = [[len(text) for text, _ in batch] for batch in _batches(items, batch_size=2, batch_chars=12)]
    assert sizes == [[5, 5], [5], [20], [1, 1], [1]]
