"""Hostile input and hostile output paths: each case of the hardening issue, reproduced.

Outputs never replace what is not a file; one bad line (nested 3,000 deep, say) costs only
itself in every command that reads lines; `--resume` trusts no manifest it cannot check;
and the smaller cases: dates, byte-order marks, dangling links, ids in error lists.
"""

from __future__ import annotations

import json
import os
import socket
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.batch import CHUNK_ARTICLES, WorkFiles, run_batch
from newsgraph.cli import _progress_lines, app
from newsgraph.errors import InputError
from newsgraph.inputs import article_date, read_inputs
from newsgraph.output import AtomicWriter

from .conftest import GOLD, SEED_PAGE
from .test_batch import interrupt_after

runner = CliRunner()
DEEP = "[" * 3000 + "]" * 3000
SENTENCES = ["6月25日，薛家岛街道组织12名志愿者开展燃气安全检查。", "汉江路社区“瓶改电”率已达90%左右。"]


def articles_file(path: Path, n: int, first: int = 0) -> Path:
    lines = [
        json.dumps({"id": f"a{i}", "text": SENTENCES[i % 2]}, ensure_ascii=False) for i in range(first, first + n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- outputs


def test_an_output_symlink_is_followed_and_its_target_replaced(tmp_path):
    target = tmp_path / "real" / "records.jsonl"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    assert runner.invoke(app, ["annotate", str(SEED_PAGE), "-o", str(link)]).exit_code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert [json.loads(line)["id"] for line in target.read_text(encoding="utf-8").splitlines()][:1] == ["page-000/1"]
    assert not list(tmp_path.glob(".*part")) and not list(target.parent.glob(".*part"))


@pytest.mark.parametrize("kind", ["device", "fifo", "socket"])
def test_an_output_that_is_no_regular_file_is_refused_and_left_as_it_is(tmp_path, kind):
    if kind == "device":
        path = Path("/dev/full")
    elif kind == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
    else:
        path = tmp_path / "sock"
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
    before = path.stat().st_mode
    for command in (["annotate", str(SEED_PAGE)], ["resolve", str(GOLD)]):
        result = runner.invoke(app, [*command, "-o", str(path)])
        assert result.exit_code == 1
        assert result.stderr.startswith(f"error: {path}: output path is a ")
        assert "- for standard output" in result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert path.stat().st_mode == before and not stat.S_ISREG(path.stat().st_mode)


def test_a_link_to_a_device_is_refused(tmp_path):
    link = tmp_path / "full.jsonl"
    link.symlink_to("/dev/full")
    result = runner.invoke(app, ["resolve", str(GOLD), "-o", str(link)])
    assert result.exit_code == 1 and "the link's target /dev/full" in result.stderr
    assert link.is_symlink()


def test_dash_writes_the_records_to_standard_output(tmp_path):
    result = runner.invoke(app, ["annotate", str(SEED_PAGE), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [f"page-000/{i}" for i in range(1, 7)]
    assert not Path("-").exists()
    resolved = runner.invoke(app, ["resolve", str(GOLD), "-o", "-"])
    assert resolved.exit_code == 0 and len(resolved.stdout.splitlines()) == 6
    refused = runner.invoke(app, ["annotate", str(SEED_PAGE), "-o", "-", "--resume"])
    assert refused.exit_code == 1 and "nothing to resume" in refused.stderr


def test_new_files_take_the_users_umask_and_replaced_files_keep_their_mode(tmp_path):
    old = os.umask(0o027)
    try:
        with AtomicWriter(tmp_path / "new.jsonl") as writer:
            writer.write_line("{}")
            writer.commit()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.jsonl").stat().st_mode) == 0o640
    kept = tmp_path / "kept.jsonl"
    kept.write_text("x\n")
    kept.chmod(0o604)
    with AtomicWriter(kept) as writer:
        writer.write_line("{}")
        writer.commit()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604 and kept.read_text() == "{}\n"


# ---------------------------------------------------------------- one bad line costs itself


def test_a_line_nested_3000_deep_is_one_error_in_every_reader_of_articles(tmp_path):
    source = tmp_path / "arts.jsonl"
    good = json.dumps({"id": "ok", "text": SENTENCES[0]}, ensure_ascii=False)
    source.write_text(f"{good}\n{DEEP}\n" + json.dumps({"id": "x", "text": [[[[1]]]] * 5}) + "\n", encoding="utf-8")
    listed = runner.invoke(app, ["articles", str(source)])
    assert listed.exit_code == 0
    assert [json.loads(line)["id"] for line in listed.stdout.splitlines()] == ["ok"]
    assert f"{source}:2: not valid here: nested deeper than" in listed.stderr
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["annotate", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["ok"]
    errors = [json.loads(line) for line in (tmp_path / "out.errors.jsonl").read_text().splitlines()]
    assert [(e["line"], e["id"]) for e in errors] == [(2, None), (3, "x")]  # the id, where the line gave one


@pytest.mark.parametrize(
    "command",
    [
        ["resolve", "-o", "{out}"],
        ["places"],
        ["export", "--format", "label-studio", "-o", "{out}"],
        ["export", "--format", "ttl", "-o", "{out}"],
        ["kg", "load", "--store", "{store}"],
    ],
)
def test_a_bad_record_line_costs_only_itself(tmp_path, command):
    records = tmp_path / "records.jsonl"
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    records.write_text("\n".join([lines[0], DEEP, '{"id": 3', lines[1]]) + "\n", encoding="utf-8")
    args = [a.format(out=tmp_path / "out.file", store=tmp_path / "store") for a in command]
    argv = [*args[:2], str(records), *args[2:]] if args[0] == "kg" else [args[0], str(records), *args[1:]]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert f"{records}:2: not valid here: nested deeper than" in result.stderr
    assert f"{records}:3: not valid JSON" in result.stderr
    assert "2 input(s) failed, the rest were written" in result.stderr


@pytest.mark.parametrize("command", [["export", "--format", "ttl", "-o", "{out}"], ["kg", "load", "--store", "{out}"]])
def test_raw_articles_are_no_records_to_export_or_load(tmp_path, command):
    articles = tmp_path / "arts.jsonl"
    articles_file(articles, 2)
    args = [a.format(out=tmp_path / "out") for a in command]
    argv = [*args[:2], str(articles), *args[2:]] if args[0] == "kg" else [args[0], str(articles), *args[1:]]
    result = runner.invoke(app, argv)
    assert result.exit_code == 1
    assert f"{articles}:1: an article, not a record" in result.stderr and "newsgraph annotate" in result.stderr
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- resume trusts no manifest


def interrupted_run(tmp_path: Path, n: int = 2 * CHUNK_ARTICLES + 3) -> tuple[Path, Path, WorkFiles]:
    source = articles_file(tmp_path / "arts.jsonl", n)
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_batch(list(read_inputs([source])), out, on_progress=interrupt_after(2))
    return source, out, WorkFiles(out)


def resume(source: Path, out: Path):
    return run_batch(list(read_inputs([source])), out, resume=True)


def manifest_lines(files: WorkFiles) -> list[str]:
    return files.manifest.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        (lambda lines: [*lines[:-1], lines[-1].replace('"bytes": ', '"bytes": 9999')], "the part file has"),
        (lambda lines: [*lines, '{"ids": ["a0"], "bytes": 0}'], "names 'a0' twice"),
        (lambda lines: [*lines, '{"ids": ["zz"], "bytes": 0}'], "names 'zz', which is not in this run's input"),
        (lambda lines: [*lines, '{"ids": "a70", "bytes": "12"}'], '"bytes": integer'),
        (lambda lines: [*lines, "\x00\x01\x02 random bytes", lines[-1]], "not valid JSON"),
        (lambda lines: [*lines[:1], "[" * 200 + "]" * 200, *lines[1:]], "nested deeper than"),
        (lambda lines: [lines[0].replace('"digest": "', '"digest": "0'), *lines[1:]], "other inputs or options"),
        (lambda lines: lines[1:], "not a manifest of this version"),
    ],
)
def test_a_manifest_that_cannot_be_trusted_is_one_error_that_says_how_to_start_over(tmp_path, tamper, problem):
    source, out, files = interrupted_run(tmp_path)
    part_before = files.part.read_bytes()
    files.manifest.write_text("\n".join(tamper(manifest_lines(files))) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="to start over, delete") as caught:
        resume(source, out)
    assert problem in str(caught.value)
    assert files.part.read_bytes() == part_before and b"\x00" not in part_before  # nothing padded, nothing lost
    result = runner.invoke(app, ["annotate", str(source), "-o", str(out), "--resume"])
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output
    files.part.unlink()
    files.manifest.unlink()
    assert resume(source, out).written == 2 * CHUNK_ARTICLES + 3


def test_resume_with_other_input_is_refused_and_mixes_in_nothing(tmp_path):
    source, out, _files = interrupted_run(tmp_path)
    other = articles_file(tmp_path / "other.jsonl", 2 * CHUNK_ARTICLES + 3, first=1000)
    result = runner.invoke(app, ["annotate", str(other), "-o", str(out), "--resume"])
    assert result.exit_code == 1 and "the interrupted run had other inputs or options" in result.stderr
    assert not out.exists()
    assert resume(source, out).resumed == 2 * CHUNK_ARTICLES  # the right input still resumes
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert ids == [f"a{i}" for i in range(2 * CHUNK_ARTICLES + 3)]


def test_a_part_file_that_lost_records_is_caught(tmp_path):
    source, out, files = interrupted_run(tmp_path)
    records = files.part.read_text(encoding="utf-8").splitlines()
    files.part.write_text("\n".join(records[1:] + records[:1]) + "\n", encoding="utf-8")  # same size, wrong order
    with pytest.raises(InputError, match="does not hold the records the manifest lists"):
        resume(source, out)


def test_a_kill_while_writing_the_manifest_header_starts_afresh(tmp_path):
    source = articles_file(tmp_path / "arts.jsonl", 3)
    out = tmp_path / "out.jsonl"
    files = WorkFiles(out)
    files.part.write_bytes(b"")
    files.manifest.write_text('{"format": "newsgr', encoding="utf-8")
    assert resume(source, out).written == 3


# ---------------------------------------------------------------- smaller cases


@pytest.mark.parametrize(
    ("given", "iso"),
    [
        ("2019-02-01", "2019-02-01"),
        ("20190201", "2019-02-01"),
        (20190201, "2019-02-01"),
        ("2019/2/1", "2019-02-01"),
        ("2019.02.01", "2019-02-01"),
        ("2019年2月1日", "2019-02-01"),
        ("2019-02-01T08:30:00+08:00", "2019-02-01"),
        ("2019-02-01 08:30", "2019-02-01"),
        (None, None),
        ("", None),
    ],
)
def test_article_dates_become_iso_days(given, iso):
    assert article_date(given) == iso


@pytest.mark.parametrize("given", ["not-a-date", "2019-02-30", "2019-13-01", "201902", "2019-02-01x", True, [2019]])
def test_a_date_that_is_none_is_an_error_naming_the_line(tmp_path, given):
    source = tmp_path / "arts.jsonl"
    source.write_text(json.dumps({"id": "d1", "date": given, "text": SENTENCES[0]}, ensure_ascii=False) + "\n")
    (error,) = read_inputs([source])
    assert isinstance(error, InputError) and error.line == 1 and error.id == "d1"
    assert str(error).startswith(f'{source}:1: "date": ')


def test_a_record_gets_its_normalised_date(tmp_path):
    source = tmp_path / "arts.jsonl"
    source.write_text(json.dumps({"id": "d1", "date": "20190201", "text": SENTENCES[0]}, ensure_ascii=False) + "\n")
    listed = runner.invoke(app, ["articles", str(source)])
    assert json.loads(listed.stdout)["date"] == "2019-02-01"


def test_utf16_with_a_byte_order_mark_gets_a_hint(tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes("社区议事会解民忧\n本报讯 近日，社区召开议事会。\n".encode("utf-16"))
    (error,) = read_inputs([page])
    assert "UTF-16 byte-order mark" in str(error) and "--encoding utf-16" in str(error)


def test_a_dangling_symlink_is_an_error_not_a_silent_skip(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    articles_file(folder / "good.jsonl", 1)
    (folder / "gone.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    errors = [item for item in read_inputs([folder]) if isinstance(item, InputError)]
    assert [str(e) for e in errors] == [f"{folder / 'gone.jsonl'}: a symbolic link to {tmp_path / 'nowhere.jsonl'}, "
                                        "which does not exist"]
    (alone,) = read_inputs([folder / "gone.jsonl"])
    assert "symbolic link" in str(alone)


def test_annotate_does_not_read_its_own_error_list_from_an_input_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    articles_file(folder / "good.jsonl", 2)
    (folder / "bad.jsonl").write_text("{broken\n")
    out = folder / "out.jsonl"
    for _ in range(2):  # the second run finds out.errors.jsonl in the folder it reads
        result = runner.invoke(app, ["annotate", str(folder), "-o", str(out)])
        assert result.exit_code == 0, result.output
        errors = [json.loads(line) for line in (folder / "out.errors.jsonl").read_text().splitlines()]
        assert [e["input"] for e in errors] == [str(folder / "bad.jsonl")]


def test_progress_off_a_terminal_is_a_plain_line(capsys):
    advance = _progress_lines(1000, every=0.0)
    advance(3, 250)
    line = capsys.readouterr().err
    assert line.startswith("annotate: 3 articles, 250 of 1,000 chars (25%)") and "chars/s" in line
    quiet = _progress_lines(1000)
    quiet(1, 10)
    assert capsys.readouterr().err == ""


def test_every_export_follows_the_output_rules(tmp_path):
    for fmt in ("nt", "label-studio"):
        to_stdout = runner.invoke(app, ["export", str(GOLD), "--format", fmt, "-o", "-"])
        assert to_stdout.exit_code == 0 and to_stdout.stdout.strip(), to_stdout.output
        assert not Path("-").exists() and not Path("-.config.xml").exists()
        refused = runner.invoke(app, ["export", str(GOLD), "--format", fmt, "-o", "/dev/full"])
        assert refused.exit_code == 1 and "output path is a device" in refused.stderr
    target = tmp_path / "graph.nt"
    link = tmp_path / "link.nt"
    link.symlink_to(target)
    assert runner.invoke(app, ["export", str(GOLD), "--format", "nt", "-o", str(link)]).exit_code == 0
    assert link.is_symlink() and target.stat().st_size > 0


def test_a_neo4j_folder_is_written_whole_and_not_into_another_batch(tmp_path):
    folder = tmp_path / "neo4j"
    assert runner.invoke(app, ["export", str(GOLD), "--format", "neo4j", "-o", str(folder)]).exit_code == 0
    files = sorted(p.name for p in folder.iterdir())
    again = runner.invoke(app, ["export", str(GOLD), "--format", "neo4j", "-o", str(folder)])
    assert again.exit_code == 1 and "is not empty" in again.stderr and "--force" in again.stderr
    forced = runner.invoke(app, ["export", str(GOLD), "--format", "neo4j", "-o", str(folder), "--force"])
    assert forced.exit_code == 0 and sorted(p.name for p in folder.iterdir()) == files
    (folder / "notes.txt").write_text("mine")
    kept = runner.invoke(app, ["export", str(GOLD), "--format", "neo4j", "-o", str(folder), "--force"])
    assert kept.exit_code == 1 and "never writes: --force will not delete it" in kept.stderr
    assert (folder / "notes.txt").read_text() == "mine"
    assert not list(tmp_path.glob(".neo4j.*"))


def test_work_files_are_never_followed_through_a_link(tmp_path):
    source = articles_file(tmp_path / "arts.jsonl", 3)
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    out = tmp_path / "o.jsonl"
    (tmp_path / ".o.jsonl.part").symlink_to(victim)
    result = runner.invoke(app, ["annotate", str(source), "-o", str(out), "--resume"])
    assert result.exit_code == 1 and "is a symbolic link: a run's work files are never followed" in result.stderr
    assert victim.read_text() == "precious\n" and not out.exists()


def test_a_second_run_into_the_same_output_waits_for_none_and_writes_nothing(tmp_path):
    import fcntl

    source = articles_file(tmp_path / "arts.jsonl", 3)
    out = tmp_path / "o.jsonl"
    files = WorkFiles(out)
    with files.lock.open("a") as held:  # as a first run holds it
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        result = runner.invoke(app, ["annotate", str(source), "-o", str(out), "--resume"])
    assert result.exit_code == 1 and "another run is writing it now" in result.stderr
    assert not out.exists() and not files.part.exists()
    assert runner.invoke(app, ["annotate", str(source), "-o", str(out)]).exit_code == 0


def test_a_resumed_part_file_holds_only_valid_records(tmp_path):
    source, out, files = interrupted_run(tmp_path)
    lines = files.part.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    lines[0] = json.dumps({"id": first["id"]})  # the manifest's id, but no record
    files.part.write_text("\n".join(lines) + "\n", encoding="utf-8")
    size = files.part.stat().st_size
    manifest = manifest_lines(files)
    fixed = [manifest[0]]
    total = 0
    for line in manifest[1:]:
        entry = json.loads(line)
        chunk = lines[len(fixed) - 1 : len(fixed) - 1 + len(entry["ids"])]
        total += sum(len(row.encode()) + 1 for row in chunk)
        fixed.append(json.dumps({"ids": entry["ids"], "bytes": min(total, size)}))
    files.manifest.write_text("\n".join(fixed) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1 is no record"):
        resume(source, out)


def test_a_big_integer_is_one_error_and_numbers_a_record_cannot_hold_are_refused(tmp_path):
    source = tmp_path / "big.jsonl"
    source.write_text('{"id": "a", "text": "北京", "n": ' + "1" * 5000 + "}\n", encoding="utf-8")
    listed = runner.invoke(app, ["articles", str(source)])
    assert listed.exit_code == 1 and f"{source}:1: not valid here" in listed.stderr and "Traceback" not in listed.output
    record = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[0])
    record["quantities"][0]["value"] = 10**400
    bad = tmp_path / "q.jsonl"
    bad.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    for fmt in ("ttl", "neo4j", "spacy"):
        result = runner.invoke(app, ["export", str(bad), "--format", fmt, "-o", str(tmp_path / f"x.{fmt}")])
        assert result.exit_code == 1 and "beyond ±10^15" in result.stderr and "Traceback" not in result.output


def test_control_characters_of_an_id_never_reach_the_terminal(tmp_path):
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps({"id": "x\u001b[2K\rerror: none\nall good", "text": 5}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["annotate", str(source), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 1 and "\x1b" not in result.stderr and "\\x1b[2K\\x0derror: none" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2  # the error, then "no record written"


def test_resolve_leaves_a_good_output_when_every_line_is_bad(tmp_path):
    keep = tmp_path / "keep.jsonl"
    keep.write_text(GOLD.read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(DEEP + "\n", encoding="utf-8")
    result = runner.invoke(app, ["resolve", str(bad), "-o", str(keep)])
    assert result.exit_code == 1 and keep.read_text(encoding="utf-8") == GOLD.read_text(encoding="utf-8")


def test_force_replaces_only_an_earlier_export_of_the_same_kind(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "page1.txt").write_text("页面\n", encoding="utf-8")
    for fmt in ("brat", "neo4j"):
        result = runner.invoke(app, ["export", str(GOLD), "--format", fmt, "-o", str(pages), "--force"])
        assert result.exit_code == 1 and "--force will not delete it" in result.stderr
        assert (pages / "page1.txt").read_text(encoding="utf-8") == "页面\n"
        to_stdout = runner.invoke(app, ["export", str(GOLD), "--format", fmt, "-o", "-"])
        assert to_stdout.exit_code == 1 and "is a folder, not a stream" in to_stdout.stderr
    assert not Path("-").exists()
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    assert runner.invoke(app, ["export", str(GOLD), "--format", "brat", "-o", str(link)]).exit_code == 0
    assert link.is_symlink() and (real / "annotation.conf").is_file()
    forced = runner.invoke(app, ["export", str(GOLD), "--format", "brat", "-o", str(link), "--force"])
    assert forced.exit_code == 0 and link.is_symlink() and (real / "annotation.conf").is_file()


def test_an_output_name_too_long_for_work_files_is_refused_before_work(tmp_path):
    result = runner.invoke(app, ["annotate", str(SEED_PAGE), "-o", str(tmp_path / ("长" * 80 + ".jsonl"))])
    assert result.exit_code == 1 and "file name too long" in result.stderr


def test_devices_and_fifos_given_as_inputs_are_refused(tmp_path):
    zero = tmp_path / "z.txt"
    zero.symlink_to("/dev/zero")
    fifo = tmp_path / "x.jsonl"
    os.mkfifo(fifo)
    for path in (zero, fifo):
        (error,) = read_inputs([path])
        assert isinstance(error, InputError) and "not a regular file" in str(error)


def test_kg_refuses_a_folder_that_is_no_store(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "letter.txt").write_text("mine")
    loaded = runner.invoke(app, ["kg", "load", str(GOLD), "--store", str(docs)])
    assert loaded.exit_code == 1 and "is no graph store" in loaded.stderr
    assert sorted(p.name for p in docs.iterdir()) == ["letter.txt"]
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "CURRENT").write_text("not rocksdb\n")
    queried = runner.invoke(app, ["kg", "query", "--store", str(junk), "SELECT * WHERE { ?s ?p ?o }"])
    assert queried.exit_code == 1 and "cannot open the graph store" in queried.stderr
    assert "Traceback" not in queried.output


def test_a_label_studio_export_that_is_a_fifo_is_refused_unread(tmp_path):
    fifo = tmp_path / "export.json"
    os.mkfifo(fifo)
    args = ["import-corrections", str(fifo), "--format", "label-studio", "-o", str(tmp_path / "gold.jsonl")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "a FIFO (named pipe), not a file" in result.stderr
