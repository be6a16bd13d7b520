"""Annotation at scale (newsgraph/batch.py): processes, per-item errors, resuming a killed run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language

from newsgraph.batch import CHUNK_ARTICLES, WorkFiles, check_space, run_batch
from newsgraph.errors import InputError
from newsgraph.inputs import read_inputs
from newsgraph.pipeline import load_pipeline

SEED_PAGE = Path(__file__).resolve().parent.parent / "corpus" / "pages" / "page-000.txt"
SENTENCES = [
    "6月25日，薛家岛街道组织12名志愿者开展燃气安全检查。",
    "珠海街道城管办联合市场监管所检查餐饮商户36家，暂扣液化气罐103个。",
    "近日，隐珠街道月亮湾路社区召开党建共建会议，与6家单位签订协议。",
    "汉江路社区“瓶改电”率已达90%左右。",
]


def articles_file(folder: Path, n: int, name: str = "arts.jsonl") -> Path:
    """`n` short articles (more than one chunk), each with its own id."""
    path = folder / name
    lines = [json.dumps({"id": f"a{i}", "text": SENTENCES[i % len(SENTENCES)]}, ensure_ascii=False) for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def items(*paths: Path):
    return list(read_inputs(list(paths)))


def interrupt_after(chunks: int):
    """A progress callback that presses Ctrl-C after `chunks` chunks."""
    seen = {"chunks": 0}

    def progress(articles: int, chars: int) -> None:
        seen["chunks"] += 1
        if seen["chunks"] == chunks:
            raise KeyboardInterrupt

    return progress


def test_a_killed_run_resumes_with_nothing_lost_or_written_twice(tmp_path):
    source = articles_file(tmp_path, 2 * CHUNK_ARTICLES + 5)
    whole = tmp_path / "whole.jsonl"
    run_batch(items(source), whole)
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(items(source), out, on_progress=interrupt_after(1))
    files = WorkFiles(out)
    assert not out.exists() and files.part.exists() and files.manifest.exists()
    with files.part.open("a", encoding="utf-8") as part:
        part.write('{"id": "a40", "half a rec')  # killed in the middle of the next chunk
    with pytest.raises(InputError, match="--resume"):
        run_batch(items(source), out)  # an interrupted run is never overwritten silently
    result = run_batch(items(source), out, resume=True)
    assert result.resumed == CHUNK_ARTICLES
    assert result.written == CHUNK_ARTICLES + 5
    assert out.read_bytes() == whole.read_bytes()
    assert not files.part.exists() and not files.manifest.exists()


def test_a_run_killed_while_it_wrote_the_output_leaves_no_temporary_file_behind(tmp_path):
    source = articles_file(tmp_path, 3)
    out = tmp_path / "out.jsonl"
    # what a SIGKILL in the final write leaves: the writer's temporaries of OUT and its error list
    orphans = [tmp_path / ".out.jsonl.k1ll3d_x.part", tmp_path / ".out.errors.jsonl.abc12345.part"]
    for orphan in orphans:
        orphan.write_text('{"id": "a0", "half', encoding="utf-8")
    other = tmp_path / ".other.jsonl.abc12345.part"  # another output's: not this run's to remove
    other.write_text("", encoding="utf-8")
    result = run_batch(items(source), out)
    assert result.written == 3 and out.exists()
    assert not any(orphan.exists() for orphan in orphans) and other.exists()


def test_a_manifest_killed_mid_line_counts_only_its_whole_lines(tmp_path):
    source = articles_file(tmp_path, CHUNK_ARTICLES + 3)
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(items(source), out, on_progress=interrupt_after(1))
    files = WorkFiles(out)
    with files.manifest.open("a") as manifest:
        manifest.write('{"ids": ["a32", "a3')
    result = run_batch(items(source), out, resume=True)
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == [f"a{i}" for i in range(CHUNK_ARTICLES + 3)]
    assert result.resumed == CHUNK_ARTICLES


@pytest.mark.slow
def test_two_processes_write_the_same_bytes_as_one(tmp_path):
    source = articles_file(tmp_path, CHUNK_ARTICLES + 7)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_batch(items(SEED_PAGE, source), one, n_process=1)
    run_batch(items(SEED_PAGE, source), two, n_process=2)
    assert one.read_bytes() == two.read_bytes()
    assert len(one.read_text(encoding="utf-8").splitlines()) == 6 + CHUNK_ARTICLES + 7


BROKEN = {"now": True}  # a transient failure (out of memory, say) that a later run does not meet


@Language.component("test_fails_on_boom")
def fails_on_boom(doc):
    if "爆炸测试" in doc.text and BROKEN["now"]:
        raise RuntimeError("a component broke on this article")
    return doc


def test_an_article_the_pipeline_fails_on_costs_only_itself(tmp_path):
    model = tmp_path / "model"
    nlp = load_pipeline()
    nlp.add_pipe("test_fails_on_boom")
    nlp.to_disk(model)
    source = tmp_path / "arts.jsonl"
    texts = ["社区开展巡查3次。", "爆炸测试：这篇文章让组件出错。", "街道召开会议2场。"]
    source.write_text(
        "".join(json.dumps({"id": f"b{i}", "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = run_batch(items(source), out, model=model)
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["b0", "b2"]
    listed = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert listed == [
        {
            "input": str(source),
            "line": 2,
            "id": "b1",
            "reason": "annotation failed: RuntimeError: a component broke on this article",
        }
    ]
    assert [e.id for e in result.errors] == ["b1"]


def test_a_full_disk_is_reported_before_work(tmp_path):
    with pytest.raises(InputError, match="not enough disk space"):
        check_space(tmp_path / "out.jsonl", 10**18)


def test_only_bad_inputs_leave_no_records_and_no_work_files(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out.jsonl"
    result = run_batch(items(bad), out)
    assert result.written == 0 and [e.reason for e in result.errors] == ["empty file"]
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "out.errors.jsonl"]


@pytest.mark.slow
def test_a_dask_cluster_of_two_worker_processes_writes_the_local_runs_bytes(tmp_path):
    distributed = pytest.importorskip("distributed")
    source = articles_file(tmp_path, CHUNK_ARTICLES + 9)
    local = tmp_path / "local.jsonl"
    run_batch(items(SEED_PAGE, source), local)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        out = tmp_path / "cluster.jsonl"
        result = run_batch(items(SEED_PAGE, source), out, scheduler=cluster.scheduler_address)
        assert out.read_bytes() == local.read_bytes()
        assert result.written == 6 + CHUNK_ARTICLES + 9
        with distributed.Client(cluster) as client:  # each worker loaded the model once, and kept it
            loaded = client.run(lambda: __import__("newsgraph.batch").batch._NLP_FROM)
        assert len(loaded) == 2 and set(loaded.values()) == {(None,)}


def test_an_unreachable_scheduler_is_named_before_work(tmp_path):
    pytest.importorskip("distributed")
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        run_batch(items(SEED_PAGE), tmp_path / "out.jsonl", scheduler="tcp://127.0.0.1:9")


def test_one_bad_file_among_many_good_ones_costs_that_file_only(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(120):
        line = json.dumps({"id": f"f{i}", "text": SENTENCES[i % len(SENTENCES)]}, ensure_ascii=False)
        (folder / f"f{i:03d}.jsonl").write_text(line + "\n", encoding="utf-8")
    (folder / "f050.jsonl").write_bytes(b"\xff\xfe not text")
    out = tmp_path / "out.jsonl"
    result = run_batch(items(folder), out)
    assert result.written == 119 and [e.input for e in result.errors] == [str(folder / "f050.jsonl")]
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == [f"f{i}" for i in range(120) if i != 50]


def test_resume_on_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from newsgraph.cli import app

    runner = CliRunner()
    source = articles_file(tmp_path, CHUNK_ARTICLES + 4)
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(items(source), out, on_progress=interrupt_after(1))
    again = runner.invoke(app, ["annotate", str(source), "-o", str(out)])
    assert again.exit_code == 1 and "pass --resume to continue it" in again.stderr
    resumed = runner.invoke(app, ["annotate", str(source), "-o", str(out), "--resume"])
    assert resumed.exit_code == 0, resumed.output
    assert f"{CHUNK_ARTICLES + 4} record(s) → {out} ({CHUNK_ARTICLES} from the interrupted run)" in resumed.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == CHUNK_ARTICLES + 4


def test_a_resumed_run_keeps_input_order_when_a_failed_article_succeeds_later(tmp_path):
    model = tmp_path / "model"
    nlp = load_pipeline()
    nlp.add_pipe("test_fails_on_boom")
    nlp.to_disk(model)
    texts = [SENTENCES[i % len(SENTENCES)] for i in range(CHUNK_ARTICLES + 3)]
    texts[1] = "爆炸测试：" + texts[1]
    source = tmp_path / "arts.jsonl"
    source.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(items(source), out, model=model, on_progress=interrupt_after(1))
    BROKEN["now"] = False
    try:
        result = run_batch(items(source), out, model=model, resume=True)  # the article that failed now succeeds
    finally:
        BROKEN["now"] = True
    assert result.errors == [] and result.resumed == CHUNK_ARTICLES - 1
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == [f"a{i}" for i in range(CHUNK_ARTICLES + 3)]


def test_a_manifest_left_after_the_output_was_put_in_place_is_cleared(tmp_path):
    source = articles_file(tmp_path, 3)
    out = tmp_path / "out.jsonl"
    run_batch(items(source), out)
    WorkFiles(out).manifest.write_text('{"ids": ["a0"], "bytes": 10}\n')  # killed just after the rename
    for resume in (False, True):
        result = run_batch(items(source), out, resume=resume)
        assert result.written == 3 and not WorkFiles(out).manifest.exists()
