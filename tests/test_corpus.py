"""The in-domain corpus (newsgraph/corpus.py): selection index, standoff annotations joined to
their source, the guideline's checks, agreement and scoring.

The articles here are short ones written for these tests in the style of district news (not
copied from any source); the tests against People's Daily itself skip where ../shared is absent.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from newsgraph.corpus import (
    INDEX,
    SOURCE,
    Divisions,
    agreement,
    changes,
    from_standoff,
    guideline_problems,
    load_annotations,
    load_sources,
    read_index,
    spec_record,
    split_of,
    stats,
    text_sha1,
    to_standoff,
)
from newsgraph.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = [
    {
        "id": "own-1",
        "date": "20240612",
        "title": "滨河街道开展防汛演练",
        "text": "6月12日，滨河街道组织辖区3个社区开展防汛应急演练。\n街道党工委书记李明到现场指导。",
    },
    {
        "id": "own-2",
        "date": "20240613",
        "title": "东湖社区召开议事会",
        "text": "近日，东湖社区召开居民议事会，20余名居民代表参加。",
    },
]
SPEC_1 = {
    "id": "own-1",
    "entities": [
        ["PLACE", "滨河街道"],
        ["DATE", "6月12日"],
        ["PLACE", "滨河街道"],
        ["QUANTITY", "3个"],
        ["TITLE", "街道党工委书记"],
        ["PERSON", "李明"],
    ],
    "quantities": [
        {"mention": "3个", "value": 3, "unit": "个", "approx": None, "comparator": None, "low": None, "high": None,
         "object": "社区"}
    ],
    "officials": [{"person": "李明", "titles": [{"mention": "街道党工委书记", "org": "滨河街道党工委"}]}],
    "events": [
        {"key": "e1", "type": "drill", "trigger": "演练", "report": ["6月12日", "防汛应急演练。"], "date": "6月12日",
         "places": ["滨河街道#2"], "participants": ["滨河街道#2"], "quantities": ["3个"]}
    ],
    "relations": [],
}  # fmt: skip


@pytest.fixture
def source(tmp_path) -> Path:
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    return path


def annotations_file(folder: Path, records: list[dict]) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "annotations.jsonl"
    path.write_text("".join(json.dumps(to_standoff(r), ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_splits_are_fixed_by_the_id_alone():
    assert [split_of(f"rmrb-{i}") for i in range(5)] == [split_of(f"rmrb-{i}") for i in range(5)]
    shares = [split_of(f"id-{i}") for i in range(3000)]
    assert 0.66 < shares.count("train") / 3000 < 0.74 and 0.12 < shares.count("dev") / 3000 < 0.18


def test_a_record_is_kept_as_standoff_and_joined_back_whole(tmp_path, source):
    record = spec_record(SPEC_1, source)
    standoff = to_standoff(record)
    assert "text" not in standoff and standoff["sha1"] == text_sha1(record["text"])
    assert [m["text"] for m in standoff["entities"]][:3] == ["滨河街道", "6月12日", "滨河街道"]  # surfaces kept
    (loaded,) = load_annotations(annotations_file(tmp_path, [record]), source)
    assert loaded == record
    article = load_sources(["own-1"], source)["own-1"]
    assert from_standoff(standoff, article) == record
    assert record["date"] == "2024-06-12" and record["text"].startswith("滨河街道开展防汛演练\n6月12日")


def test_bad_annotations_are_one_error_each_and_the_others_load(tmp_path, source):
    good = spec_record(SPEC_1, source)
    other = {**good, "id": "own-2", "entities": [], "quantities": [], "officials": [], "events": [], "relations": []}
    lines = [to_standoff(good)]
    lines.append({**to_standoff(other), "sha1": "0" * 40})  # the source changed under the annotation
    lines.append({**to_standoff(good), "id": "gone-9"})  # not in the source
    past = to_standoff(good)
    past["entities"] = [{**past["entities"][0], "start": 500, "end": 504}]
    past["quantities"], past["officials"], past["events"] = [], [], []
    lines.append(past)
    path = tmp_path / "annotations.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines) + "{broken\n", encoding="utf-8")
    errors: list[InputError] = []
    records = load_annotations(path, source, errors)
    assert [r["id"] for r in records] == ["own-1"]
    problems = sorted(str(e) for e in errors)
    assert any(f"{path}:2: article 'own-2': the source's text has another sha1" in p for p in problems)
    assert any("article 'gone-9' is not in the source" in p for p in problems)
    assert any(f"{path}:4: article 'own-1': entities[0]: offsets 500-504 are not a span" in p for p in problems)
    assert any(f"{path}:5: not valid JSON" in p for p in problems)
    with pytest.raises(InputError):
        load_annotations(path, source)  # without an error list, the first bad line stops it


def test_the_checker_finds_what_the_guideline_forbids(source):
    record = spec_record(SPEC_1, source)
    assert guideline_problems(record, None) == []
    text = record["text"]
    bad = json.loads(json.dumps(record))
    start = text.index("街道党工委书记")
    bad["entities"][4] = {**bad["entities"][4], "start": start - 1, "text": text[start - 1 : start + 7]}  # 河街道…
    bad["entities"].append({"id": "m7", "label": "QUANTITY", "start": text.index("3个"), "end": text.index("3个") + 2,
                            "text": "3个", "entity_id": None, "event_id": None})  # fmt: skip
    bad["events"][0]["participants"] = ["m6"]  # 李明 is outside the report
    problems = guideline_problems(bad, None)
    assert any("overlap" in p for p in problems)
    assert any("m7 QUANTITY '3个': no attributes" in p for p in problems)
    assert any("role '李明' lies outside the report" in p for p in problems)
    edged = json.loads(json.dumps(record))
    edged["entities"][0] = {**edged["entities"][0], "end": 5, "text": text[:5]}  # 滨河街道开
    edged["entities"][0]["text"] = text[:4] + "，"
    assert guideline_problems(edged, None)  # the text at the offsets is not the mention's


def test_chains_of_divisions_are_found_and_single_names_are_not():
    places = Divisions(frozenset({"江苏", "江苏省", "南京", "南京市", "江宁区", "江宁"}), frozenset({"横溪街道"}))
    assert places.chain("江苏南京江宁区横溪街道石塘社区") == ["江苏", "南京", "江宁区", "横溪街道", "石塘社区"]
    assert places.chain("南京市江宁区") == ["南京市", "江宁区"]
    for single in ("南京路社区", "江宁区", "横溪街道", "南京"):
        assert places.chain(single) is None


def test_agreement_of_two_annotators(tmp_path, source):
    record = spec_record(SPEC_1, source)
    first = annotations_file(tmp_path / "a", [record])
    same = agreement(first, annotations_file(tmp_path / "b", [record]), source)
    assert same["entities_f1"] == 1.0 and same["events_f1"] == 1.0 and same["articles"] == ["own-1"]
    other = json.loads(json.dumps(SPEC_1))
    other["entities"] = [e for e in other["entities"] if e[1] != "李明"]
    other["officials"] = [{"person": None, "titles": [{"mention": "街道党工委书记", "org": "滨河街道党工委"}]}]
    differ = agreement(first, annotations_file(tmp_path / "c", [spec_record(other, source)]), source)
    assert differ["entities_f1"] == round(2 * 5 / (6 + 5), 4) and differ["entities_f1_by_label"]["PERSON"] == 0.0
    assert list(differ["by_split"]) == [split_of("own-1")]  # one split here: its figures are the whole's
    assert differ["by_split"][split_of("own-1")]["entities_f1"] == differ["entities_f1"]


def test_changes_name_what_adjudication_did_to_an_annotators_version(tmp_path, source):
    gold = spec_record(SPEC_1, source)
    annotator = json.loads(json.dumps(SPEC_1))
    annotator["entities"][0] = ["ORG", "滨河街道"]  # relabelled in the gold
    annotator["entities"][1] = ["DATE", "6月"]  # re-spanned to 6月12日
    annotator["entities"] = [e for e in annotator["entities"] if e[1] != "李明"]  # added in the gold
    annotator["entities"].insert(3, ["ORG", "辖区"])  # removed in the gold
    annotator["officials"] = [{"person": None, "titles": [{"mention": "街道党工委书记", "org": "滨河街道党工委"}]}]
    annotator["quantities"][0]["object"] = "社区"
    annotator["events"][0].update(type="meeting", date=None, report=["6月", "防汛应急演练。"])
    annotator["relations"] = []
    mine = annotations_file(tmp_path / "a", [spec_record(annotator, source)])
    figures = changes(mine, annotations_file(tmp_path / "g", [gold]), source)
    assert figures["articles"] == 1
    assert figures["entities"]["PLACE"] == {"kept": 1, "relabelled": 1}
    assert figures["entities"]["DATE"] == {"respanned": 1}
    assert figures["entities"]["PERSON"] == {"added": 1}
    assert figures["entities"]["ORG"] == {"removed": 1}
    assert figures["events"] == {"added": 0, "kept": 0, "removed": 0, "retyped": 1}
    assert figures["event_type_changes"] == {"meeting → drill": 1}


def test_stats_count_each_split_and_all(tmp_path, source):
    path = annotations_file(tmp_path, [spec_record(SPEC_1, source)])
    table = stats(path, source)
    row = {"articles": 1, "chars": len("滨河街道开展防汛演练\n" + ARTICLES[0]["text"]), "mentions": 6, "events": 1}
    assert table[split_of("own-1")] == row and table["all"] == row


needs_source = pytest.mark.skipif(not SOURCE.exists(), reason="../shared/corpora is absent on this machine")


@needs_source
def test_the_index_holds_400_articles_whose_text_the_source_still_has():
    index = read_index(INDEX)
    splits = [e.split for e in index.values()]
    assert len(index) >= 400 and splits.count("dev") >= 60 and splits.count("test") >= 60
    articles = load_sources(index)
    assert all(text_sha1(articles[i].text.text) == e.sha1 for i, e in index.items())
    assert all(len(articles[i].text.text) == e.chars for i, e in index.items())


@needs_source
def test_no_run_of_25_characters_of_a_source_article_is_in_any_tracked_file():
    """People's Daily holds the copyright: its text never enters the repository."""
    index = read_index(INDEX)
    windows = set()
    for article in load_sources(index).values():
        text = article.text.text
        windows.update(text[i : i + 25] for i in range(0, max(len(text) - 24, 0)))
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in tracked:
        path = ROOT / name
        if path.suffix in (".spacy", ".bin", ".npy", ".png") or not path.is_file() or path.stat().st_size > 20_000_000:
            continue
        try:
            content = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        found = next((content[i : i + 25] for i in range(len(content) - 24) if content[i : i + 25] in windows), None)
        assert found is None, f"{name} holds source text: {found!r}"


def test_a_record_as_a_spec_gives_the_record_back():
    """The pipeline's output goes to whoever corrects a train article as a spec; nothing moves."""
    from newsgraph.corpus import record_spec
    from newsgraph.evaluate import load_records
    from newsgraph.gold import build_record
    from newsgraph.inputs import read_inputs

    from .conftest import GOLD, SEED_PAGE

    articles = {a.id: a for a in read_inputs([SEED_PAGE])}
    for record in load_records(GOLD).values():
        article = articles[record["id"]]
        article.source["path"] = record["source"]["path"]
        back = build_record(article, record_spec(record))
        for key in ("entities", "quantities", "officials", "events", "relations"):
            assert back[key] == record[key], key
    text = "社区开展检查。社区检查后，街道再检查。"  # an earlier copy of a surface that is no mention
    record = {
        "id": "x", "text": text,
        "entities": [{"id": "m1", "label": "PLACE", "start": 7, "end": 9, "text": "社区", "entity_id": None,
                      "event_id": None}],
        "events": [{"id": "e1", "type": "inspection", "trigger": "检查", "trigger_start": 17, "trigger_end": 19,
                    "start": 7, "end": 20, "date": None, "places": ["m1"], "participants": [], "quantities": []}],
    }  # fmt: skip
    spec = record_spec(record)
    assert spec["entities"] == [["PLACE", "社区", 7]] and spec["events"][0]["trigger_at"] == 17


@needs_source
def test_the_divisions_lexicon_names_no_bare_level_word():
    """A street that the lexicon lists as just 街道 must not make 抚顺街道 a chain of 抚顺 + 街道."""
    from newsgraph.corpus import divisions

    places = divisions()
    assert places.chain("抚顺街道") is None and places.chain("南京路社区") is None
    assert places.chain("苏州工业园区") is None  # one division's own name
    assert places.chain("哈尔滨市道里区") == ["哈尔滨市", "道里区"]
    assert places.chain("天津西青区") == ["天津", "西青区"]


def test_long_strings_of_the_text_are_kept_as_hashes_and_found_again(tmp_path):
    name = "滨河市东湖区城市管理综合行政执法局第三中队联合执法工作组"  # 27 characters, written for this test
    article = {"id": "own-3", "title": "联合执法", "text": f"近日，{name}开展检查。"}
    source = tmp_path / "articles.jsonl"
    source.write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    spec = {"id": "own-3", "entities": [["DATE", "近日"], ["ORG", name]], "events": [],
            "officials": [{"person": None, "titles": []}]}  # fmt: skip
    record = spec_record(spec, source)
    standoff = to_standoff(record)
    assert name not in json.dumps(standoff, ensure_ascii=False)
    assert standoff["entities"][1]["text"] == {"text_sha1": text_sha1(name), "chars": len(name)}
    (loaded,) = load_annotations(annotations_file(tmp_path / "a", [record]), source)
    assert loaded["entities"][1]["text"] == name and loaded == record
