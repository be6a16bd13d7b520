"""Train and measure HanLP's `RNNNamedEntityRecognizer` (char BiLSTM-CRF) against our NER.

A candidate benchmark, not part of the package. It needs its own environment (HanLP and
torch are no dependencies of ours)::

    python3.11 -m venv /tmp/hanlp-venv
    /tmp/hanlp-venv/bin/pip install torch==2.13.0
    /tmp/hanlp-venv/bin/pip install --no-deps hanlp==2.1.7 hanlp-common==0.0.23 hanlp-trie hanlp-downloader
    /tmp/hanlp-venv/bin/pip install phrasetree termcolor pynvml
    /tmp/hanlp-venv/bin/pip install -e .

    /tmp/hanlp-venv/bin/python bench/hanlp_ner_candidate.py --corpus msra --epochs 8 --max-minutes 40 \
        --out training/hanlp/msra

Steps (`--stage`): `train` converts our splits (`read_corpora`) to HanLP's TSV (one `char\\tBIO
tag` a line, a blank line between sentences) under `<out>/data/`, trains on `train_<corpus>`
and keeps the checkpoint best on `tune` (span F1); `score` loads the model in a fresh process,
predicts every dev set of the corpus with HanLP's batched `predict`, scores it as
`newsgraph.training.ner_scores` does (exact character span and label, only the labels the
corpus annotates, predictions inside `missing` not counted) and times it. `all` (the default)
runs both; the results go to `<out>/results.json`.

`--char-vectors FILE` starts the character embedding from pretrained vectors (word2vec text
format) instead of random ones. `--stage char-vectors --out DIR` makes the ones measured in the
model card: skip-gram vectors (floret, our `train` extra) of the characters of the raw text the
floret word vectors were trained on (`training/ner/vectors.txt`, written by `newsgraph train
ner`; it holds no dev text)::

    python bench/hanlp_ner_candidate.py --stage char-vectors --out training/hanlp
    python bench/hanlp_ner_candidate.py --corpus msra --epochs 12 --max-minutes 40 \
        --char-vectors training/hanlp/char_vectors.txt --out training/hanlp/msra-w2v

HanLP 2.1.7 builds the CRF as `CRF(n_out, None)`: `None` lands on `batch_first`, so the CRF
reads (batch, seq) tensors as (seq, batch) and learns and decodes garbage. `PatchedRNNNER`
sets `batch_first=True` after the model is built (training and loading alike).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("HANLP_VERBOSE", "0")

import torch
from hanlp.components.ner.rnn_ner import RNNNamedEntityRecognizer
from torch import nn
from torch.optim.lr_scheduler import ReduceLROnPlateau

from newsgraph.evaluate import Score
from newsgraph.training.ner import CorpusPaths, read_corpora, read_dev_jsonl
from newsgraph.training.ner_corpora import ANNOTATES, CharExample
from newsgraph.training.ner_scores import SCORED

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
DEV_JSONL = REPO / "training" / "ner"
SPACE = "\u2423"  # stands for any whitespace character: HanLP's TSV reader strips lines
TRAIN_SPLITS = {"msra": ("train_msra",), "all": ("train_msra", "train_cluener", "train_resume")}
DEV_SPLITS = {"msra": ("msra",), "all": ("msra", "cluener")}


def set_threads() -> None:
    """One thread: the other core trains spaCy."""
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)


def chars(text: str) -> list[str]:
    """The token sequence HanLP sees: one character each, whitespace as a visible placeholder."""
    return [SPACE if c.isspace() else c for c in text]


def bio_tags(ex: CharExample) -> list[str]:
    """BIO tags of every character; unknown (`missing`) regions and unannotated labels are `O`."""
    tags = ["O"] * len(ex.text)
    for start, end, label in ex.spans:
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


def write_tsv(examples: list[CharExample], path: Path) -> int:
    """Write `examples` as HanLP tagging TSV; returns the number of characters written."""
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for ex in examples:
            if not ex.text:
                continue
            for c, t in zip(chars(ex.text), bio_tags(ex), strict=True):
                out.write(f"{c}\t{t}\n")
            out.write("\n")
            n += len(ex.text)
    return n


def convert(corpus: str, data_dir: Path) -> dict[str, Any]:
    """Our splits → `train.tsv` and `tune.tsv` (tune limited to the training corpora)."""
    splits, _ = read_corpora(CorpusPaths(CORPORA))
    data_dir.mkdir(parents=True, exist_ok=True)
    train = [ex for name in TRAIN_SPLITS[corpus] for ex in splits[name]]
    corpora = {name.removeprefix("train_") for name in TRAIN_SPLITS[corpus]}
    tune = [ex for ex in splits["tune"] if ex.corpus in corpora]
    return {
        "train_sentences": len(train),
        "train_chars": write_tsv(train, data_dir / "train.tsv"),
        "tune_sentences": len(tune),
        "tune_chars": write_tsv(tune, data_dir / "tune.tsv"),
        "train_missing_spans_as_O": sum(len(ex.missing) for ex in train),
    }


class PatchedRNNNER(RNNNamedEntityRecognizer):
    """`RNNNamedEntityRecognizer` with the CRF fixed, a quieter training loop and a time budget."""

    def build_model(self, rnn_input, rnn_hidden, drop, crf, **kwargs) -> nn.Module:
        model = super().build_model(rnn_input, rnn_hidden, drop, crf, **kwargs)
        if model.crf is not None and model.crf.batch_first is not True:
            model.crf.batch_first = True  # HanLP passes crf_constraints=None as batch_first
        return model

    def fit_dataloader(self, trn, criterion, optimizer, metric, logger, ratio_width=None, **kwargs) -> float:
        """One epoch; unlike HanLP's, no Viterbi decode of every training batch (a train metric only)."""
        self.model.train()
        total, started, n_chars = 0.0, time.time(), 0
        for idx, batch in enumerate(trn, start=1):
            optimizer.zero_grad()
            out, mask = self.feed_batch(batch)
            loss = self.compute_loss(criterion, out, batch["tag_id"], mask)
            loss.backward()
            nn.utils.clip_grad_norm_(self.model.parameters(), 5.0)
            optimizer.step()
            total += loss.item()
            n_chars += int(mask.sum())
            if idx % 200 == 0 or idx == len(trn):
                rate = n_chars / (time.time() - started)
                logger.info(f"  batch {idx}/{len(trn)} loss {total / idx:.3f} {rate:,.0f} chars/s")
        return total / max(len(trn), 1)

    def execute_training_loop(
        self,
        trn,
        dev,
        epochs,
        criterion,
        optimizer,
        metric,
        save_dir,
        logger,
        patience,
        max_minutes: float = 0.0,
        **kwargs,
    ) -> float:
        """RNNTagger's loop (best on dev saved, LR annealed on plateau) plus a wall-clock budget."""
        scheduler = self.build_scheduler(**{**self.config, "optimizer": optimizer})
        criterion = self.build_criterion()
        best_epoch, best, started, epoch = 0, -1.0, time.time(), 0
        history = []
        for epoch in range(1, epochs + 1):
            t0 = time.time()
            loss = self.fit_dataloader(trn, criterion, optimizer, metric, logger)
            _, dev_metric = self.evaluate_dataloader(dev, criterion)
            score = float(dev_metric.score)
            if isinstance(scheduler, ReduceLROnPlateau):
                scheduler.step(score)
            saved = score > best
            if saved:
                self.save_weights(save_dir)
                best_epoch, best = epoch, score
            seconds = time.time() - t0
            history.append(
                {
                    "epoch": epoch,
                    "loss": round(loss, 4),
                    "tune_f1": round(score, 4),
                    "seconds": round(seconds, 1),
                    "lr": optimizer.param_groups[0]["lr"],
                }
            )
            logger.info(
                f"epoch {epoch}/{epochs} loss {loss:.3f} tune F1 {score:.4f} {seconds:.0f}s"
                f"{' saved' if saved else ''} lr {optimizer.param_groups[0]['lr']:.5f}"
            )
            elapsed = (time.time() - started) / 60
            if epoch - best_epoch >= patience:
                logger.info("early stop: no gain on tune")
                break
            if max_minutes and elapsed + seconds / 60 > max_minutes:
                logger.info(f"stop: another epoch would pass the {max_minutes} minute budget")
                break
        if best_epoch != epoch:
            self.load_weights(save_dir)
        self.config.history = history
        self.config.best_epoch = best_epoch
        self.config.train_minutes = round((time.time() - started) / 60, 2)
        self.save_config(save_dir)
        logger.info(f"best tune F1 {best:.4f} at epoch {best_epoch}")
        return best


def write_char_vectors(words_text: Path, out_dir: Path, dim: int = 100) -> Path:
    """Skip-gram vectors of single characters from a text of space-separated words (floret)."""
    import floret

    out_dir.mkdir(parents=True, exist_ok=True)
    chars_txt, vectors = out_dir / "chars.txt", out_dir / "char_vectors.txt"
    with words_text.open(encoding="utf-8") as src, chars_txt.open("w", encoding="utf-8") as dst:
        for line in src:
            text = line.replace(" ", "").strip()
            if text:
                dst.write(" ".join(text) + "\n")
    model = floret.train_unsupervised(
        str(chars_txt), model="skipgram", dim=dim, minCount=3, minn=0, maxn=0, epoch=5, thread=1, ws=5, verbose=0
    )
    with vectors.open("w", encoding="utf-8") as out:
        out.write(f"{len(model.words)} {dim}\n")
        for word in model.words:
            out.write(word + " " + " ".join(f"{x:.5f}" for x in model.get_word_vector(word)) + "\n")
    return vectors


def train(args: argparse.Namespace) -> dict[str, Any]:
    """Convert the splits, train, and return what the run did."""
    out: Path = args.out
    data = convert(args.corpus, out / "data")
    print(json.dumps(data), flush=True)
    model_dir = out / "model"
    model_dir.mkdir(parents=True, exist_ok=True)
    ner = PatchedRNNNER()
    started = time.time()
    embed: Any = args.embed
    if args.char_vectors:  # pretrained characters, fine-tuned; std-normalised as HanLP's own w2v models
        from hanlp.layers.embeddings.word2vec import Word2VecEmbedding

        embed = Word2VecEmbedding(
            "token",
            str(args.char_vectors.resolve()),
            trainable=True,
            normalize="std",
            init="uniform",
            pad="<pad>",
            unk="<unk>",
        )
    ner.fit(
        str(out / "data" / "train.tsv"),
        str(out / "data" / "tune.tsv"),
        str(model_dir),
        batch_size=args.batch_size,
        epochs=args.epochs,
        embed=embed,
        rnn_hidden=args.hidden,
        drop=args.dropout,
        lr=args.lr,
        patience=args.patience,
        tagging_scheme="BIO",
        devices=[],
        seed=args.seed,
        max_minutes=args.max_minutes,
        token_delimiter="",
    )
    return {
        "data": data,
        "train_seconds": round(time.time() - started, 1),
        "best_epoch": ner.config.best_epoch,
        "history": ner.config.history,
    }


def dev_examples(name: str) -> list[CharExample]:
    """The dev set as our scorer reads it (`training/ner/dev_<name>.jsonl`), else from the readers."""
    path = DEV_JSONL / f"dev_{name}.jsonl"
    if path.is_file():
        return read_dev_jsonl(path)
    splits, _ = read_corpora(CorpusPaths(CORPORA))
    return splits[f"dev_{name}"]


def score(examples: list[CharExample], predicted: list[list[tuple]]) -> dict[str, Any]:
    """Exact (start, end, label) spans, per label and micro, as `ner_scores.score_examples`."""
    by_label: dict[str, Score] = defaultdict(Score)
    for ex, ents in zip(examples, predicted, strict=True):
        labels = ANNOTATES.get(ex.corpus, frozenset(SCORED)) & set(SCORED)
        gold = {(s, e, label) for s, e, label in ex.spans if label in labels}
        pred = {(b, e, label) for _, label, b, e in ents if label in labels}
        pred = {p for p in pred if not any(p[0] < e and s < p[1] for s, e in ex.missing)}
        for label in labels:
            by_label[label].add((g for g in gold if g[2] == label), (p for p in pred if p[2] == label))
    return {
        "sentences": len(examples),
        "labels": {label: s.to_dict() for label, s in sorted(by_label.items())},
        "ALL": Score.sum(by_label.values()).to_dict(),
    }


def peak_rss_mb() -> float:
    """This process's peak RSS: `VmHWM` (ru_maxrss would carry over a training parent's peak through exec)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def evaluate(args: argparse.Namespace) -> dict[str, Any]:
    """Load the trained model, predict and score every dev set of the corpus, time dev_msra."""
    model_dir = args.out / "model"
    t0 = time.time()
    ner = PatchedRNNNER()
    ner.load(str(model_dir), devices=-1, verbose=False)
    load_seconds = time.time() - t0
    assert ner.model.crf is None or ner.model.crf.batch_first is True
    results: dict[str, Any] = {"load_seconds": round(load_seconds, 2)}
    for name in DEV_SPLITS[args.corpus]:
        examples = dev_examples(name)
        tokens = [chars(ex.text) for ex in examples if ex.text]
        ner.predict(tokens[:64], batch_size=args.predict_batch)  # warm-up
        t0 = time.time()
        predicted = ner.predict(tokens, batch_size=args.predict_batch)
        seconds = time.time() - t0
        n_chars = sum(len(t) for t in tokens)
        results[f"dev_{name}"] = {
            **score([ex for ex in examples if ex.text], predicted),
            "chars": n_chars,
            "predict_seconds": round(seconds, 2),
            "chars_per_second": round(n_chars / seconds),
        }
    size = sum(p.stat().st_size for p in model_dir.iterdir() if p.is_file())
    results["model_bytes"] = size
    results["peak_rss_mb"] = peak_rss_mb()
    results["predict_batch"] = args.predict_batch
    results["torch_threads"] = torch.get_num_threads()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", choices=("msra", "all"), default="msra")
    parser.add_argument("--out", type=Path, default=REPO / "training" / "hanlp" / "msra")
    parser.add_argument("--stage", choices=("all", "train", "score", "char-vectors"), default="all")
    parser.add_argument("--char-vectors", type=Path, default=None, help="pretrained character vectors (word2vec text)")
    parser.add_argument(
        "--words-text",
        type=Path,
        default=REPO / "training" / "ner" / "vectors.txt",
        help="--stage char-vectors: the space-separated raw text to learn them from",
    )
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--max-minutes", type=float, default=40.0, help="stop after the epoch that would pass this")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--embed", type=int, default=100)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--patience", type=int, default=3)
    parser.add_argument("--seed", type=int, default=233)
    parser.add_argument("--predict-batch", type=int, default=32)
    args = parser.parse_args(argv)
    set_threads()
    if args.stage == "char-vectors":
        print(write_char_vectors(args.words_text, args.out))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    results_path = args.out / "results.json"
    results: dict[str, Any] = json.loads(results_path.read_text()) if results_path.is_file() else {}
    if args.stage in ("all", "train"):
        results = {"settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}}
        results["settings"].pop("words_text")
        results["train"] = train(args)
        results_path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    if args.stage == "all":  # score in a fresh process, so that its peak RSS is the predicting one's
        cmd = [
            sys.executable,
            __file__,
            "--stage",
            "score",
            "--corpus",
            args.corpus,
            "--out",
            str(args.out),
            "--predict-batch",
            str(args.predict_batch),
        ]
        return subprocess.call(cmd)
    if args.stage == "score":
        results["score"] = evaluate(args)
        results_path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
        print(json.dumps(results["score"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
