"""Train the core pipeline (pkuseg segmenter + tok2vec + PKU tagger) and assemble it for `models/`.

One command, `newsgraph train core`, runs every step; each step leaves its result in the
work folder and is skipped when that result is already there, so a killed run resumes
where it stopped. The steps:

1. convert `RMRB.txt` (fixed train/dev/test split by sentence id, see `rmrb.py`);
2. train pkuseg on train (dev scored each iteration), then prune it (`segmenter.py`);
3. train the tagger with `spacy train` on gold words (`pipelines/tagger.cfg`);
4. assemble: our pkuseg tokenizer, the gazetteer words it keeps whole, and the trained
   tok2vec + tagger, saved as one spaCy pipeline;
5. score it on the held-out test split and store the scores in the pipeline's meta.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

import newsgraph.components  # noqa: F401 - registers newsgraph_quantities and newsgraph_dates
from newsgraph.errors import InputError
from newsgraph.paths import PIPELINES
from newsgraph.tokenizer import TOKENIZER_NAME
from newsgraph.training.rmrb import Sentence, convert
from newsgraph.training.rules import refresh_rules
from newsgraph.training.scores import CoreScores, score_core
from newsgraph.training.segmenter import prune_pkuseg, train_pkuseg

TAGGER_CONFIG = PIPELINES / "tagger.cfg"
MODEL_VERSION = "0.1.0"


@dataclass(frozen=True)
class CoreSettings:
    rmrb: Path
    out: Path
    work: Path
    pkuseg_iterations: int = 20
    prune_threshold: float = 0.1
    tagger_steps: int = 9000
    postprocess: bool = False  # pkuseg's built-in dictionary merges; measured worse on PKU text
    force: bool = False


class StepLog:
    """`WORK/steps.json`: what each finished step was run with.

    A step is skipped only when its output is there and was made with the same inputs; once
    a step runs again, every later step does too, since its input changed.
    """

    def __init__(self, work: Path, force: bool) -> None:
        self.path = work / "steps.json"
        self.done = {} if force or not self.path.exists() else json.loads(self.path.read_text(encoding="utf-8"))
        self.redo_rest = False

    def needed(self, step: str, stamp: dict[str, object], output: Path) -> bool:
        """Whether `step` must run; if so, forget it and every later step before it starts.

        A run killed half-way through a step leaves a partial output (spaCy writes
        model-best early, pkuseg its features first): with the stamp gone, it is redone.
        """
        self.redo_rest = self.redo_rest or not output.exists() or self.done.get(step) != stamp
        if self.redo_rest:
            names = list(self.done)
            for name in names[names.index(step) :] if step in names else []:
                del self.done[name]
            self._write()
        return self.redo_rest

    def finished(self, step: str, stamp: dict[str, object]) -> None:
        self.done[step] = stamp
        self._write()

    def _write(self) -> None:
        self.path.write_text(json.dumps(self.done, indent=1), encoding="utf-8")


def _corpus_stamp(rmrb: Path) -> dict[str, object]:
    digest = hashlib.sha256(rmrb.read_bytes()).hexdigest() if rmrb.is_file() else None
    return {"rmrb": str(rmrb.resolve()), "sha256": digest}


def train_core(settings: CoreSettings, report: Callable[[str], None] = print) -> CoreScores:
    """Run every step (skipping those already done with the same inputs); save the pipeline to `settings.out`."""
    work = settings.work
    work.mkdir(parents=True, exist_ok=True)
    steps = StepLog(work, settings.force)
    data = work / "rmrb"
    stamp = _corpus_stamp(settings.rmrb)
    if steps.needed("convert", stamp, data / "test.spacy"):
        report(f"converting {settings.rmrb}")
        stats = convert(settings.rmrb, data)
        report(f"  sentences {dict(stats.sentences)}, words {dict(stats.words)}")
        steps.finished("convert", stamp)
    pkuseg_raw, pkuseg = work / "pkuseg-full", work / "pkuseg"
    stamp = {"iterations": settings.pkuseg_iterations}
    if steps.needed("pkuseg", stamp, pkuseg_raw / "weights.npz"):
        report(f"training pkuseg, {settings.pkuseg_iterations} iterations (log: {work / 'pkuseg.log'})")
        train_pkuseg(data / "train.txt", data / "dev.txt", pkuseg_raw, settings.pkuseg_iterations, work / "pkuseg.log")
        steps.finished("pkuseg", stamp)
    before, after = prune_pkuseg(pkuseg_raw, pkuseg, settings.prune_threshold)
    report(f"pruned pkuseg features {before:,} → {after:,} (|w| ≥ {settings.prune_threshold})")
    tagger = work / "tagger"
    stamp = {"steps": settings.tagger_steps, "config": hashlib.sha256(TAGGER_CONFIG.read_bytes()).hexdigest()}
    if steps.needed("tagger", stamp, tagger / "model-best"):
        report(f"training the tagger, at most {settings.tagger_steps} steps (output: {tagger})")
        train_tagger(data, tagger, settings.tagger_steps)
        steps.finished("tagger", stamp)
    nlp = assemble(tagger / "model-best", pkuseg, postprocess=settings.postprocess)
    train_words = {w for line in (data / "train.txt").open(encoding="utf-8") for w in line.split()}
    scores = score_core(nlp, read_rmrb_split(data, "test"), train_words)
    nlp.meta["performance"] = scores.to_dict()
    settings.out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(settings.out)
    report(f"saved {settings.out}: {json.dumps(summary(scores))}")
    return scores


def summary(scores: CoreScores) -> dict[str, float | None]:
    return {
        "seg_f": round(scores.seg["f"], 4),
        "oov_recall": None if scores.oov_recall is None else round(scores.oov_recall, 4),
        "pos_acc": round(scores.pos_acc, 4),
        "joint_f": round(scores.joint.get("f", 0.0), 4),
    }


def read_rmrb_split(data: Path, split: str) -> list[Sentence]:
    """A converted split read back as Sentences (from the DocBin, which keeps the tags)."""
    from spacy.tokens import DocBin

    vocab = spacy.blank("zh").vocab
    out = []
    for doc in DocBin().from_disk(data / f"{split}.spacy").get_docs(vocab):
        out.append(Sentence(doc.user_data.get("sent_id", ""), [t.text for t in doc], [t.tag_ for t in doc]))
    return out


def train_tagger(data: Path, out: Path, max_steps: int) -> None:
    from spacy.cli.train import train

    overrides = {
        "paths.train": str(data / "train.spacy"),
        "paths.dev": str(data / "dev.spacy"),
        "training.max_steps": max_steps,
    }
    train(TAGGER_CONFIG, out, overrides=overrides)


def assemble(tagger_dir: Path, pkuseg_dir: Path, *, postprocess: bool = False) -> Language:
    """Our tokenizer with the pkuseg model and the gazetteer words, then the trained components."""
    if not (pkuseg_dir / "weights.npz").exists():
        raise InputError(str(pkuseg_dir), "no pkuseg model here (weights.npz missing)")
    trained = spacy.load(tagger_dir)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}, "batch_size": 16}})
    nlp.tokenizer.initialize(pkuseg_model=str(pkuseg_dir), pkuseg_user_dict="default")
    nlp.tokenizer.pkuseg_update_user_dict([], reset=True)  # no forced cuts before the model: see tokenizer.py
    postprocesser = nlp.tokenizer.pkuseg_seg.postprocesser
    postprocesser.do_process = postprocess
    if not postprocess:  # its word lists would be saved (5 MB) though never used
        postprocesser.common_words, postprocesser.other_words = set(), set()
    for name in trained.pipe_names:
        nlp.add_pipe(name, source=trained)
    nlp.add_pipe("newsgraph_quantities")  # rules: they read the tagger's tags
    nlp.add_pipe("newsgraph_dates")
    refresh_rules(nlp)  # the rule components and the merge words from the same rule files
    nlp.meta.update(
        name="core",
        version=MODEL_VERSION,
        description="newsgraph core: pkuseg segmenter and PKU part-of-speech tagger trained on People's Daily 1998",
        sources=[{"name": "People's Daily 1998-01, PKU segmentation and POS (RMRB.txt)", "license": "none stated"}],
        license="see models/MODEL_CARD.md",
        spacy_version=">=3.8,<3.9",
    )
    return nlp
