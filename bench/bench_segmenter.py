"""Segmenter speed, memory and load time: our core model against pkuseg's "mixed" model and jieba.

    python bench/bench_segmenter.py --peer-python /tmp/peers/bin/python \
        --pkuseg-mixed /tmp/pkuseg-0.0.25/pkuseg/models/default

Input: the sample page's articles (normalised, as the pipeline sees them) repeated to at
least `--min-chars` characters, one call per article. Each tool runs in a fresh process of
its own, so that its peak memory (max RSS) is its own: load time, throughput and peak are
measured there. With `--gold`, each tool's word F1 on that file is scored after the timing.
The peers live in a venv of their own (`--peer-python`, with jieba, spacy-pkuseg and numpy
installed); see PEERS.md for getting the mixed model. Tools whose venv or model is not given
are skipped. Machines are noisy: compare figures of one run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "corpus" / "pages" / "page-000.txt"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(tool: str, model: str | None) -> Callable[[list[str]], list[list[str]]]:
    """The tool's cut function: texts → the words of each."""
    if tool in ("newsgraph-tokenizer", "newsgraph-core"):
        from newsgraph.pipeline import load_pipeline

        nlp = load_pipeline(Path(model) if model else None)
        if tool == "newsgraph-tokenizer":
            return lambda texts: [[t.text for t in nlp.tokenizer(text)] for text in texts]
        return lambda texts: [[t.text for t in doc] for doc in nlp.pipe(texts, batch_size=16)]
    if tool == "pkuseg-mixed":
        import spacy_pkuseg

        seg = spacy_pkuseg.pkuseg(model)
        return lambda texts: [seg.cut(text) for text in texts]
    if tool == "jieba":
        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()
        return lambda texts: [jieba.lcut(text) for text in texts]
    raise SystemExit(f"unknown tool {tool}")


def _spans(words: list[str]) -> set[tuple[int, int]]:
    """Word spans; kept here, not imported from newsgraph.training.scores, as the peers' venv lacks newsgraph."""
    spans, start = set(), 0
    for word in words:
        if word.strip():
            spans.add((start, start + len(word)))
        start += len(word)
    return spans


def seg_f1(cut: Callable[[list[str]], list[list[str]]], gold_file: str) -> float:
    """Word-span F1 of the tool on a pkuseg-format file (words separated by spaces)."""
    gold = [line.split() for line in Path(gold_file).read_text(encoding="utf-8").splitlines() if line.strip()]
    predicted = cut(["".join(words) for words in gold])
    tp = n_pred = n_gold = 0
    for words, pred in zip(gold, predicted, strict=True):
        g, p = _spans(words), _spans(pred)
        tp, n_pred, n_gold = tp + len(g & p), n_pred + len(p), n_gold + len(g)
    precision, recall = tp / n_pred, tp / n_gold
    return 2 * precision * recall / (precision + recall)


def worker(tool: str, model: str | None, texts_file: str, gold_file: str | None) -> None:
    texts = json.loads(Path(texts_file).read_text(encoding="utf-8"))
    base = _peak_mb()
    start = time.perf_counter()
    cut = _load(tool, model)
    cut(texts[:2])  # warm caches (jieba builds its prefix dict lazily)
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    tokens = sum(map(len, cut(texts)))
    run_s = time.perf_counter() - start
    peak_mb = _peak_mb()
    chars = sum(map(len, texts))
    f1 = round(seg_f1(cut, gold_file), 4) if gold_file else None
    print(
        json.dumps(
            {
                "tool": tool,
                "chars": chars,
                "tokens": tokens,
                "load_s": round(load_s, 2),
                "chars_per_s": round(chars / run_s),
                "peak_mb": round(peak_mb),
                "python_mb": round(base),
                "seg_f1": f1,
            }
        )
    )


def bench_texts(min_chars: int) -> list[str]:
    from newsgraph.inputs import page_articles
    from newsgraph.page import read_page

    articles = page_articles(read_page(PAGE.read_text(encoding="utf-8"), str(PAGE)), "page-000")
    texts = [a.text.text for a in articles]
    out: list[str] = []
    while sum(map(len, out)) < min_chars:
        out.extend(texts)
    return out


def models_size_mb() -> float:
    files = (p for p in (ROOT / "models").rglob("*") if p.is_file())
    return sum(p.stat().st_size for p in files) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min-chars", type=int, default=1_000_000)
    parser.add_argument("--model", help="our pipeline folder (default: models/zh_core)")
    parser.add_argument("--peer-python", help="python of a venv with jieba, spacy-pkuseg, numpy")
    parser.add_argument("--pkuseg-mixed", help="folder of pkuseg 0.0.25's models/default")
    parser.add_argument("--gold", help="score word F1 on this pkuseg-format file, e.g. training/core/rmrb/test.txt")
    parser.add_argument("--worker", nargs=2, metavar=("TOOL", "TEXTS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.model, args.worker[1], args.gold)
        return

    texts = bench_texts(args.min_chars)
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as handle:
        json.dump(texts, handle, ensure_ascii=False)
    runs = [(sys.executable, "newsgraph-tokenizer", args.model), (sys.executable, "newsgraph-core", args.model)]
    if args.peer_python and args.pkuseg_mixed:
        runs.append((args.peer_python, "pkuseg-mixed", args.pkuseg_mixed))
    if args.peer_python:
        runs.append((args.peer_python, "jieba", None))
    chars = sum(map(len, texts))
    print(f"input: sample page articles x {len(texts) // 6} = {chars:,} chars ({len(texts):,} calls)")
    print(f"models/ on disk: {models_size_mb():.1f} MB")
    print(f"{'tool':<22}{'load s':>8}{'chars/s':>12}{'peak MB':>9}{'tokens':>10}{'seg F1':>8}")
    for python, tool, model in runs:
        command = [python, __file__, "--worker", tool, handle.name] + (["--model", model] if model else [])
        command += ["--gold", str(Path(args.gold).resolve())] if args.gold else []
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
        if done.returncode:
            print(f"{tool:<22} failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else '?'}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        f1 = "" if r["seg_f1"] is None else f"{r['seg_f1']:.4f}"
        print(f"{tool:<22}{r['load_s']:>8}{r['chars_per_s']:>12,}{r['peak_mb']:>9}{r['tokens']:>10,}{f1:>8}")
    Path(handle.name).unlink()


if __name__ == "__main__":
    main()
