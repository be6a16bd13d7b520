"""The public NER corpus readers: MSRA, CLUENER and the character-per-line BMES / BIO files."""

from __future__ import annotations

import itertools
import json
import zlib
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.errors import InputError
from newsgraph.training.ner_corpora import (
    BIO_TAGS,
    RESUME_LABELS,
    ReadStats,
    _decode_tags,
    make_example,
    parse_msra_line,
    read_char_tagged,
    read_cluener,
    read_msra,
)

NER = Path(__file__).parent / "fixtures" / "ner"
MSRA_TRAIN = NER / "msra" / "train.txt"
MSRA_DEV = NER / "msra" / "dev" / "sentences.txt"
CLUENER = NER / "cluener" / "train.json"


def surfaces(ex):
    return [(ex.text[s:e], label) for s, e, label in ex.spans]


# --- MSRA -----------------------------------------------------------------------------


def test_parse_msra_line_spans_and_labels():
    text, spans = parse_msra_line("王小明/nr 在/o 青岛/ns 的/o 海尔集团/nt 工作/O 。/o\n", "t.txt", 1)
    assert text == "王小明在青岛的海尔集团工作。"
    assert spans == [(0, 3, "PERSON"), (4, 6, "PLACE"), (7, 11, "ORG")]
    assert parse_msra_line("   \n", "t.txt", 1) == ("", [])
    assert parse_msra_line("１/２/o 公里/o", "t.txt", 1) == ("１/２公里", [])  # the last slash splits


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("北京/ns 欢迎 你/o", "is not word/tag"),
        ("/ns 欢迎/o", "is not word/tag"),
        ("北京/ns 欢迎/v", "unknown tag 'v'"),
    ],
)
def test_parse_msra_line_bad_token_names_file_and_line(line, problem):
    with pytest.raises(InputError) as info:
        parse_msra_line(line, "msra/train.txt", 42)
    assert info.value.line == 42
    assert str(info.value).startswith("msra/train.txt:42: ")
    assert problem in str(info.value)


def test_read_msra_bad_line_counts_blank_lines(tmp_path):
    train = tmp_path / "train.txt"
    train.write_text("北京/ns 欢迎/o 你/o\n\n上海/ns 是/o 城市\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"train\.txt:3: token '城市'"):
        read_msra(train, MSRA_DEV)


def test_read_msra_recovers_dev_tags():
    split = read_msra(MSRA_TRAIN, MSRA_DEV)
    dev = {ex.ex_id: ex for ex in split.dev}
    assert sorted(dev) == ["msra-dev-1", "msra-dev-2", "msra-dev-3"]
    # (a) a whole train line
    assert dev["msra-dev-1"].text == "李鹏出席了会议。"
    assert dev["msra-dev-1"].spans == [(0, 2, "PERSON")]
    # (b) two train lines joined: the second line's spans move by the first line's length
    assert dev["msra-dev-2"].text == "新华社记者报道。国务院发布通知。"
    assert dev["msra-dev-2"].spans == [(0, 3, "ORG"), (8, 11, "ORG")]
    # (c) a piece inside a line: spans re-based on the piece
    assert dev["msra-dev-3"].text == "在青岛工作"
    assert dev["msra-dev-3"].spans == [(1, 3, "PLACE")]
    assert all(ex.corpus == "msra" and ex.missing == [] for ex in split.dev)


def test_read_msra_drops_unknown_and_entity_cutting_dev_sentences_and_counts():
    split = read_msra(MSRA_TRAIN, MSRA_DEV)
    # (d) 今天下雨了。 is nowhere in train; 小明在青岛 would cut 王小明 in two
    assert split.stats.dropped["msra dev sentence not found in train.txt"] == 2
    assert split.stats.sentences["dev (whole line)"] == 1
    assert split.stats.sentences["dev (lines joined)"] == 1
    assert split.stats.sentences["dev (inside a line)"] == 1
    # lines 4 and 12 (same text), 2, 5 and 7 of train.txt (non-blank lines) fed the dev set
    assert split.stats.dropped["msra train line left out: a dev sentence comes from it"] == 5
    assert split.stats.sentences["train"] + split.stats.sentences["tune"] == 7


def test_read_msra_leaves_every_dev_source_out_of_train_and_tune():
    split = read_msra(MSRA_TRAIN, MSRA_DEV)
    kept = split.train + split.tune
    assert sorted(int(ex.ex_id.rsplit("-", 1)[1]) for ex in kept) == [1, 3, 6, 8, 9, 10, 11]
    texts = {ex.text for ex in kept}
    for source in ("李鹏出席了会议。", "新华社记者报道。", "国务院发布通知。", "王小明在青岛工作。"):
        assert source not in texts
    assert not any("青岛" in t for t in texts)
    spans = Counter(label for ex in split.train for *_, label in ex.spans)
    assert split.stats.spans == spans
    assert spans == Counter(PERSON=2, PLACE=6, ORG=2)


def test_read_msra_normalises_full_width_digits_on_the_same_characters():
    split = read_msra(MSRA_TRAIN, MSRA_DEV)
    (ex,) = [ex for ex in split.train + split.tune if ex.ex_id == "msra-train-9"]
    assert ex.text == "他来到天津港口，看到1000多艘船。"
    assert surfaces(ex) == [("天津", "PLACE")]


# --- CLUENER ----------------------------------------------------------------------------


def test_read_cluener_label_mapping_and_missing():
    train, tune, dev, stats = read_cluener(CLUENER)
    every = {ex.ex_id: ex for ex in train + tune + dev}
    assert len(every) == 12
    assert surfaces(every["cluener-0"]) == [("浙商银行", "ORG"), ("叶老桂", "PERSON"), ("博士", "TITLE")]
    assert surfaces(every["cluener-2"]) == [("青岛市人民政府", "ORG"), ("副市长", "TITLE"), ("王建国", "PERSON")]
    assert surfaces(every["cluener-5"]) == [("泰山景区", "PLACE")]
    assert surfaces(every["cluener-8"]) == [("中国足球协会", "ORG")]
    assert surfaces(every["cluener-11"]) == [("总统", "TITLE"), ("拜登", "PERSON"), ("日本东京", "PLACE")]
    # book, game and movie are unknown (missing), never entities and never O
    for ex_id, gap in (("cluener-1", "CSOL"), ("cluener-3", "《平凡的世界》"), ("cluener-4", "《流浪地球》")):
        ex = every[ex_id]
        assert [ex.text[s:e] for s, e in ex.missing] == [gap]
        assert all(ex.text[s:e] != gap for s, e, _ in ex.spans)
    assert surfaces(every["cluener-4"]) == [("北京", "PLACE")]
    assert every["cluener-10"].text == "腾讯公司2023年营收增长。"
    assert surfaces(every["cluener-10"]) == [("腾讯公司", "ORG")]
    assert stats.dropped == Counter()


def test_read_cluener_fixed_dev_split_by_crc32_of_the_index():
    train, tune, dev, stats = read_cluener(CLUENER)
    expected = [i for i in range(12) if zlib.crc32(str(i).encode()) % 10 == 0]
    assert expected == [6]
    assert [ex.ex_id for ex in dev] == ["cluener-6"]
    assert "cluener-6" not in {ex.ex_id for ex in train + tune}
    assert stats.sentences == Counter(train=len(train), tune=len(tune), dev=1)
    assert sum(stats.spans.values()) == sum(len(ex.spans) for ex in train)


def test_read_cluener_split_is_about_ten_percent(tmp_path):
    path = tmp_path / "train.json"
    path.write_text("\n".join(json.dumps({"text": f"第{i}句", "label": {}}) for i in range(400)), encoding="utf-8")
    train, tune, dev, _ = read_cluener(path)
    assert {ex.ex_id for ex in dev} == {f"cluener-{i}" for i in range(400) if zlib.crc32(str(i).encode()) % 10 == 0}
    assert 20 <= len(dev) <= 60
    assert len(train) + len(tune) + len(dev) == 400


def test_read_cluener_bad_json_names_the_line(tmp_path):
    path = tmp_path / "train.json"
    path.write_text('{"text": "北京", "label": {}}\n{\n  "text": "上海",\n  "label": {,\n}\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_cluener(path)
    assert info.value.line == 2
    assert str(info.value).startswith(f"{path}:2: not JSON")


def test_read_cluener_unknown_label_and_bad_offsets(tmp_path):
    path = tmp_path / "train.json"
    path.write_text(json.dumps({"text": "北京晴", "label": {"weather": {"晴": [[2, 2]]}}}, ensure_ascii=False))
    with pytest.raises(InputError, match="object 1: unknown label 'weather'"):
        read_cluener(path)
    path.write_text(json.dumps({"text": "北京晴", "label": {"address": {"北京": [[1, 2]]}}}, ensure_ascii=False))
    *_, stats = read_cluener(path)
    assert stats.dropped == Counter({"cluener address offsets do not match their surface": 1})


# --- character-per-line BMES / BIO -----------------------------------------------------------


def test_read_char_tagged_bmes_resume():
    examples, stats = read_char_tagged(NER / "resume.char.bmes", "resume", RESUME_LABELS)
    assert [ex.text for ex in examples] == ["高勇，男，中国国籍，汉族。", "任北京大学教授，硕士。", "李在沪工作"]
    # RACE and EDU are not ours: no span. The lone `-ORG` line is skipped and counted.
    assert surfaces(examples[0]) == [("高勇", "PERSON"), ("中国国籍", "PLACE")]
    assert surfaces(examples[1]) == [("北京大学", "ORG"), ("教授", "TITLE")]
    assert surfaces(examples[2]) == [("李", "PERSON"), ("沪", "PLACE")]  # S- tags, last sentence without a blank line
    assert stats.dropped == Counter({"line with a tag and no character (skipped)": 1})
    assert stats.spans == Counter(PERSON=2, PLACE=2, ORG=1, TITLE=1)
    assert stats.sentences == Counter({"resume.char": 3})
    assert len({ex.ex_id for ex in examples}) == 3


def test_read_char_tagged_bio_weibo_style():
    examples, stats = read_char_tagged(NER / "weibo.bio", "weibo", BIO_TAGS)
    assert [ex.text for ex in examples] == ["张三在北京工作", "去了京城，见到美国人"]  # the position digit goes
    assert surfaces(examples[0]) == [("张三", "PERSON"), ("北京", "PLACE")]
    # I-LOC with no B-LOC is read as a start and counted; GPE is unmapped: no span
    assert surfaces(examples[1]) == [("京城", "PLACE")]
    assert stats.dropped == Counter({"I- tag with no B- (read as a start)": 1})


def test_read_char_tagged_bad_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.bmes"
    path.write_text("北 B-LOC\n京 E-LOC\n\n上 B-LOC 多余\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_char_tagged(path, "resume", RESUME_LABELS)
    assert info.value.line == 4
    assert str(info.value).startswith(f"{path}:4: expected `char TAG`")


def test_decode_tags_bmes_and_bio_boundaries():
    stats = ReadStats()
    tags = ["B-PER", "I-PER", "B-PER", "O", "B-LOC", "I-ORG", "S-LOC", "M-LOC", "E-LOC", "E-PER"]
    assert list(_decode_tags(tags, BIO_TAGS, stats)) == [
        (0, 2, "PERSON"),
        (2, 3, "PERSON"),
        (4, 5, "PLACE"),
        (5, 6, "ORG"),
        (6, 7, "PLACE"),
        (7, 9, "PLACE"),
        (9, 10, "PERSON"),  # E- right after a closed span: a one-character span of its own
    ]
    assert stats.dropped == Counter({f"{p}- tag with no B- (read as a start)": 1 for p in ("I", "M", "E")})


# --- make_example -------------------------------------------------------------------------


def test_make_example_keeps_spans_on_the_same_characters():
    raw = "１０００ 名 游客 来到 青岛 ，\u200b见到 王小明"
    place, person = raw.index("青岛"), raw.index("王小明")
    ex = make_example("msra", "x", raw, [(place, place + 2, "PLACE"), (person, person + 3, "PERSON")])
    assert ex.text == "1000名游客来到青岛，见到王小明"
    assert surfaces(ex) == [("青岛", "PLACE"), ("王小明", "PERSON")]


def test_make_example_trims_spaces_and_drops_emptied_spans():
    raw = "CEO Tom Smith said\u200b."
    spans = [(3, 13, "PERSON"), (4, 14, "PERSON"), (18, 19, "ORG")]  # " Tom Smith", "Tom Smith ", the zero-width space
    ex = make_example("cluener", "x", raw, spans, missing=[(0, 3), (18, 19)])
    assert ex.text == "CEO Tom Smith said."
    assert ex.spans == [(4, 13, "PERSON")]
    assert ex.missing == [(0, 3)]


# --- properties -----------------------------------------------------------------------------

_TOKENS = st.text(alphabet="京王/ a1\u3000", max_size=6)
_TAGS = st.sampled_from(["o", "nr", "ns", "nt", "NS", "O", "v", ""])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(st.tuples(_TOKENS, _TAGS).map("/".join), max_size=8).map(" ".join)))
def test_parse_msra_line_returns_spans_inside_the_text_or_raises_input_error(line):
    try:
        text, spans = parse_msra_line(line, "p.txt", 3)
    except InputError as error:
        assert error.line == 3
        return
    assert text == "".join(token.rpartition("/")[0] for token in line.split())
    assert all(0 <= s < e <= len(text) for s, e, _ in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


_BIO = st.sampled_from(
    ["O", "B-PER", "I-PER", "M-PER", "E-PER", "S-PER", "B-LOC", "I-LOC", "E-ORG", "S-X", "B", "I-", "-"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_BIO, st.text(max_size=5)), max_size=30))
def test_decode_tags_spans_in_range_and_not_overlapping(tags):
    spans = list(_decode_tags(tags, {**BIO_TAGS, "X": "TITLE", "": "ORG"}, ReadStats()))
    assert all(0 <= s < e <= len(tags) for s, e, _ in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
