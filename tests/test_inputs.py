"""Reading inputs: pages, article JSONL, folders, and every kind of bad input."""

from __future__ import annotations

import json

import pytest

from newsgraph.errors import InputError
from newsgraph.inputs import read_inputs
from newsgraph.records import ArticleInput, dumps, empty_record, source_span

from .conftest import SEED_PAGE

ARTICLE = {
    "id": "a1",
    "title": "区政协 调研养老服务",
    "text": "近日, 区政协组织委员 调研养老服务工作。\n共走访养老机构３家。",
}


def _split(items):
    good = [i for i in items if isinstance(i, ArticleInput)]
    bad = [i for i in items if isinstance(i, InputError)]
    return good, bad


def _write(path, content: bytes | str):
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def test_jsonl_article_keeps_id_title_and_maps_back(tmp_path):
    path = _write(tmp_path / "a.jsonl", json.dumps(ARTICLE, ensure_ascii=False) + "\n")
    (article,) = list(read_inputs([path]))
    assert article.id == "a1"
    assert article.headline == "区政协 调研养老服务"
    assert article.text.text == "区政协 调研养老服务\n近日，区政协组织委员调研养老服务工作。\n共走访养老机构3家。"
    record = empty_record(article)
    source = ARTICLE["title"] + "\n" + ARTICLE["text"]
    start = record["text"].index("养老机构3家")
    a, b = source_span(record, start, start + 6)
    assert source[a:b] == "养老机构３家"


def test_seed_page_record_spans_map_back_to_the_page(seed_text):
    records = [empty_record(a) for a in read_inputs([SEED_PAGE])]
    gas = records[5]
    start = gas["text"].index("存放超量燃气瓶")
    a, b = source_span(gas, start, start + len("存放超量燃气瓶"))
    assert seed_text[a:b].startswith("存放") and seed_text[a:b].endswith("超量燃气瓶")
    assert "今日天气" in seed_text[a:b]  # the furniture the OCR dropped in between
    assert gas["source"]["start"] < a < b <= gas["source"]["end"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("隐珠街道月亮湾路社区以高质量党建赋能基层治理\n本报讯 近日,社区召开议事会。".encode("gbk"), "GBK"),
        (b"\xff\xfe\xfd broken", "not utf-8 text"),
        ("今日天气: 晴 20℃~33℃\n新闻热线: 0532-87139933\n".encode(), "no article"),
    ],
)
def test_bad_page_is_one_clear_error_naming_the_file(tmp_path, content, problem):
    path = _write(tmp_path / "bad.txt", content)
    (error,) = list(read_inputs([path]))
    assert isinstance(error, InputError)
    assert str(error).startswith(f"{path}: ")
    assert problem.lower() in str(error).lower()
    assert "\n" not in str(error)


def test_gbk_page_reads_with_its_encoding(tmp_path):
    text = "社区议事会解民忧\n本报讯 近日,社区召开议事会,听取意见建议20余条。\n"
    path = _write(tmp_path / "gbk.txt", text.encode("gb18030"))
    (article,) = list(read_inputs([path], encoding="gb18030"))
    assert article.headline == "社区议事会解民忧"


def test_jsonl_bad_lines_are_named_and_good_lines_kept(tmp_path):
    lines = [
        json.dumps(ARTICLE, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "a3", "title": "无正文"}, ensure_ascii=False),
        json.dumps({"id": "a4", "text": 42}),
        json.dumps(["a list"]),
        "",
        json.dumps({"text": "近日,区政协组织委员调研。"}, ensure_ascii=False),
        json.dumps(ARTICLE, ensure_ascii=False),
    ]
    path = _write(tmp_path / "arts.jsonl", "\n".join(lines) + "\n")
    good, bad = _split(list(read_inputs([path])))
    assert [a.id for a in good] == ["a1", "arts/7"]  # a missing id is derived from file and line
    assert [(e.line, e.problem.split(" (")[0]) for e in bad] == [
        (2, "not valid JSON"),
        (3, 'no "text" field'),
        (4, '"text" must be a string, got int'),
        (5, "expected a JSON object, got list"),
        (8, "duplicate id 'a1'"),
    ]
    assert all(str(e).startswith(f"{path}:{e.line}: ") for e in bad)


def test_folder_reads_pages_and_article_files_and_reports_an_empty_folder(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "empty").mkdir()
    _write(tmp_path / "in" / "sub" / "page-000.txt", SEED_PAGE.read_bytes())
    _write(tmp_path / "in" / "arts.jsonl", json.dumps(ARTICLE, ensure_ascii=False) + "\n")
    _write(tmp_path / "in" / "notes.md", "# not an input")
    good, bad = _split(list(read_inputs([tmp_path / "in", tmp_path / "empty", tmp_path / "missing.txt"])))
    assert [a.id for a in good] == ["a1", *[f"sub/page-000/{i}" for i in range(1, 7)]]
    assert [e.problem for e in bad] == [
        "folder holds no page (.txt) or article file (.jsonl)",
        "no such file or folder",
    ]


def test_unknown_suffix_is_refused(tmp_path):
    path = _write(tmp_path / "page.pdf", b"%PDF-1.4")
    (error,) = list(read_inputs([path]))
    assert "not a page (.txt) or article file (.jsonl)" in str(error)


def test_same_page_twice_is_not_read_twice(tmp_path):
    good, bad = _split(list(read_inputs([SEED_PAGE, SEED_PAGE])))
    assert len(good) == 6
    assert len(bad) == 6 and all("duplicate id" in e.problem for e in bad)


def test_line_separators_do_not_tear_records(tmp_path):
    arts = tmp_path / "a.jsonl"
    arts.write_text('{"id": "ls", "text": "以民生需求为\\u2028导向。\u2028第二句。"}\n', encoding="utf-8")
    (article,) = list(read_inputs([arts]))
    assert article.text.text == "以民生需求为导向。第二句。"
    line = dumps({**empty_record(article), "id": "x\u2028y"})
    assert "\u2028" not in line and json.loads(line)["id"] == "x\u2028y"


def test_an_unpaired_surrogate_anywhere_in_a_line_is_a_one_line_error(tmp_path):
    """No UTF-8 output could hold it; a pair (an emoji) is one character and fine."""
    arts = tmp_path / "a.jsonl"
    arts.write_text(
        '{"id": "\\udc00", "text": "近日,区政协组织委员调研。"}\n{"id": "b", "text": "近日\\ud800调研。"}\n'
        '{"id": "c", "text": "近日调研\\ud83d\\ude00。"}\n',
        encoding="utf-8",
    )
    first, second, paired = list(read_inputs([arts]))
    problem = "not valid here: a string holds an unpaired surrogate (\\ud800…), which is no text"
    assert (str(first), str(second)) == (f"{arts}:1: {problem}", f"{arts}:2: {problem}")
    assert paired.text.text == "近日调研😀。"


def test_jsonl_with_a_byte_order_mark(tmp_path):
    arts = tmp_path / "a.jsonl"
    arts.write_bytes(b"\xef\xbb\xbf" + json.dumps(ARTICLE, ensure_ascii=False).encode() + b"\r\n")
    (article,) = list(read_inputs([arts]))
    assert article.id == "a1"


def test_utf16_page_with_its_encoding(tmp_path):
    page = tmp_path / "p.txt"
    page.write_bytes("社区议事会解民忧\n本报讯 近日,社区召开议事会。\n".encode("utf-16"))
    (article,) = list(read_inputs([page], encoding="utf-16"))
    assert article.headline == "社区议事会解民忧"
