"""Train the pkuseg segmentation model, and prune it to fit the repository's size budget.

pkuseg is a CRF over character features (`c.X`, `c-1c.XY`, word-lexicon features …); a
model trained on a million words keeps over a million features, most of them seen once and
with weights near zero. Pruning drops every feature whose largest weight (over the tags) is
below a threshold: an unknown feature simply adds nothing at inference, so a small threshold
costs little accuracy and saves most of the size (the model card gives the measured trade).

The saved lexicon shrinks with it: pkuseg reads its `unigram` word list at inference only to
build word features (`w-1.W`, `w1.W`, `ww.l.A*B`, `ww.r.A*B`), so a word no kept feature
names can go, and the `bigram` list (used only while training) goes entirely. Inference on
the pruned lexicon is exactly that of the pruned features.
"""

from __future__ import annotations

import contextlib
import io
import random
from pathlib import Path

import numpy as np
import srsly

FEATURES = "features.msgpack"
WEIGHTS = "weights.npz"


def train_pkuseg(train_txt: Path, dev_txt: Path, out_dir: Path, iterations: int = 20, log: Path | None = None) -> Path:
    """Train with spacy_pkuseg (one process); `dev_txt` is only scored after each iteration.

    pkuseg shuffles the sentences each iteration with the `random` module: seeding it makes a
    retrain reproduce the same weights.
    """
    import spacy_pkuseg

    random.seed(0)

    out_dir.mkdir(parents=True, exist_ok=True)
    sink = log.open("w", encoding="utf-8", buffering=1) if log else io.StringIO()  # line-buffered: tail -f works
    with sink, contextlib.redirect_stdout(sink):
        spacy_pkuseg.train(str(train_txt), str(dev_txt), str(out_dir), train_iter=iterations)
    return out_dir


def prune_pkuseg(src: Path, dst: Path, threshold: float) -> tuple[int, int]:
    """Copy the model at `src` to `dst` without features whose weights all stay under `threshold`.

    Returns (features before, features after). Feature 0 (the always-on start feature) and
    the tag-transition weights are always kept.
    """
    data = srsly.read_msgpack(src / FEATURES)
    with np.load(src / WEIGHTS) as npz:
        n_tag, n_feature = (int(x) for x in npz["sizes"])
        weights = npz["w"]
    node = weights[: n_tag * n_feature].reshape(n_feature, n_tag)
    edges = weights[n_tag * n_feature :]
    keep = np.abs(node).max(axis=1) >= threshold
    keep[0] = True
    new_index = np.cumsum(keep) - 1
    feature_to_idx = {name: int(new_index[idx]) for name, idx in data["feature_to_idx"].items() if keep[idx]}
    kept = int(keep.sum())
    data["feature_to_idx"] = feature_to_idx
    data["unigram"] = sorted(_words_named(feature_to_idx))
    data["bigram"] = []
    dst.mkdir(parents=True, exist_ok=True)
    srsly.write_msgpack(dst / FEATURES, data)
    new_weights = np.concatenate([node[keep].reshape(-1), edges])
    np.savez(dst / WEIGHTS, sizes=np.array([n_tag, kept]), w=new_weights)
    return n_feature, kept


def _words_named(feature_to_idx: dict[str, int]) -> set[str]:
    """Lexicon words that some kept feature names (words hold no `*`: pkuseg renames it in text)."""
    words: set[str] = set()
    for name in feature_to_idx:
        kind, _, value = name.partition(".")
        if kind in ("w-1", "w1"):
            words.add(value)
        elif kind == "ww":
            words.update(value[2:].split("*", 1))
    return words
