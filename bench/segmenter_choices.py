"""The choices behind the shipped segmenter, measured on the dev split (never on test).

    python bench/segmenter_choices.py [--work training/core]

After `newsgraph train core` has trained pkuseg into WORK/pkuseg-full, this scores the
segmenter on the dev sentences for each pruning threshold (with the size it leaves), and
with pkuseg's built-in dictionary post-processing and our user dictionary on or off.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import spacy

from newsgraph.patterns import segmenter_words
from newsgraph.tokenizer import TOKENIZER_NAME
from newsgraph.training.core import read_rmrb_split
from newsgraph.training.scores import score_core
from newsgraph.training.segmenter import prune_pkuseg


def tokenizer_only(pkuseg_dir: Path, postprocess: bool, user_dict: bool) -> spacy.language.Language:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    nlp.tokenizer.initialize(pkuseg_model=str(pkuseg_dir), pkuseg_user_dict="default")
    nlp.tokenizer.pkuseg_update_user_dict([], reset=True)
    nlp.tokenizer.set_merge_words(segmenter_words() if user_dict else ())
    nlp.tokenizer.pkuseg_seg.postprocesser.do_process = postprocess
    return nlp


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir()) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path("training/core"))
    parser.add_argument("--thresholds", default="0,0.005,0.01,0.02,0.05,0.1")
    args = parser.parse_args()
    dev = read_rmrb_split(args.work / "rmrb", "dev")
    full = args.work / "pkuseg-full"
    print(f"dev: {len(dev)} sentences")
    print(f"{'threshold':>10}{'features':>11}{'MB':>7}{'seg F1':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for threshold in (float(t) for t in args.thresholds.split(",")):
            pruned = Path(tmp) / f"p{threshold}"
            _before, after = prune_pkuseg(full, pruned, threshold)
            f1 = score_core(tokenizer_only(pruned, False, True), dev).seg["f"]
            print(f"{threshold:>10}{after:>11,}{size_mb(pruned):>7.1f}{f1:>8.4f}")
    print(f"{'postprocess':>12}{'user dict':>10}{'seg F1':>8}   (unpruned model)")
    for postprocess in (False, True):
        for user_dict in (False, True):
            f1 = score_core(tokenizer_only(full, postprocess, user_dict), dev).seg["f"]
            print(f"{postprocess!s:>12}{user_dict!s:>10}{f1:>8.4f}")


if __name__ == "__main__":
    main()
