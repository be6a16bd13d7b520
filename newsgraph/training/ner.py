"""Train the entity recogniser and assemble it into the shipped pipeline.

`newsgraph train ner` runs these steps, each skipped when its output is there and was made
from the same inputs (`StepLog`), so a killed run resumes:

1. convert MSRA, CLUENER and Resume (`ner_corpora.py`) onto our own words (`ner_data.py`),
   after learning the split words: `train/*.spacy`, `tune.spacy` (picks checkpoints) and the
   dev sets as JSONL with character spans; the counts go to `convert.json`;
2. train floret vectors on raw text (`vectors.py`), unless `vectors` is off;
3. `spacy train` with `pipelines/ner.cfg`: the ner with its own tok2vec, reading the frozen
   core tagger's tags and the vectors (`ner_shared.cfg`, one tok2vec trained with the tagger
   on People's Daily tags too, is the measured alternative; see the model card);
4. assemble: the core pipeline with the split words, the trained ner and the rule
   components; score it on every dev set and on the seed gold, and store the scores in the
   pipeline's meta.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsgraph.errors import InputError
from newsgraph.paths import DEFAULT_RMRB, PIPELINES, TRAINING
from newsgraph.training.ner_corpora import (
    RESUME_LABELS,
    CharExample,
    ReadStats,
    is_tune,
    read_char_tagged,
    read_cluener,
    read_msra,
)
from newsgraph.training.ner_data import AlignStats, learn_split_words, to_doc
from newsgraph.training.vectors import VectorSettings, train_vectors, write_text

NER_CONFIG = PIPELINES / "ner.cfg"
# Bumped when the conversion's output changes for the same input, so that `train ner` redoes it:
# 2: title gaps only on whole words, overlapping gaps merged (the shipped model used 1).
CONVERTER_VERSION = 2
DEV_SETS = ("msra", "cluener", "resume")


@dataclass(frozen=True)
class CorpusPaths:
    root: Path

    @property
    def msra_train(self) -> Path:
        return self.root / "msra_ner" / "train.txt"

    @property
    def msra_dev(self) -> Path:
        return self.root / "msra_ner" / "dev" / "sentences.txt"

    @property
    def cluener(self) -> Path:
        return self.root / "cluener2020" / "train.json"

    def resume(self, split: str) -> Path:
        return self.root / "resume_ner" / f"{split}.char.bmes"

    def stamp(self) -> dict[str, str]:
        files = [self.msra_train, self.msra_dev, self.cluener, self.resume("train"), self.resume("dev")]
        return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "missing" for p in files}


def read_corpora(paths: CorpusPaths) -> tuple[dict[str, list[CharExample]], dict[str, ReadStats]]:
    """Every split of every corpus: `train_<corpus>`, `tune`, `dev_<corpus>`."""
    msra = read_msra(paths.msra_train, paths.msra_dev)
    c_train, c_tune, c_dev, c_stats = read_cluener(paths.cluener)
    r_train, r_stats = read_char_tagged(paths.resume("train"), "resume", RESUME_LABELS)
    r_dev, r_dev_stats = read_char_tagged(paths.resume("dev"), "resume", RESUME_LABELS)
    r_stats.sentences.update(r_dev_stats.sentences)
    splits = {
        "train_msra": msra.train,
        "train_cluener": c_train,
        "train_resume": [ex for ex in r_train if not is_tune(ex.ex_id)],
        "tune": msra.tune + c_tune + [ex for ex in r_train if is_tune(ex.ex_id)],
        "dev_msra": msra.dev,
        "dev_cluener": c_dev,
        "dev_resume": r_dev,
    }
    return splits, {"msra": msra.stats, "cluener": c_stats, "resume": r_stats}


def write_dev_jsonl(examples: Iterable[CharExample], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for ex in examples:
            row = {"id": ex.ex_id, "text": ex.text, "spans": ex.spans, "missing": ex.missing}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_dev_jsonl(path: Path) -> list[CharExample]:
    if not path.is_file():
        raise InputError(str(path), "dev set not found: run `newsgraph train ner` to convert the corpora")
    out = []
    for line in path.open(encoding="utf-8"):
        obj = json.loads(line)
        corpus = obj["id"].split("-")[0]
        spans = [tuple(s) for s in obj["spans"]]
        out.append(CharExample(corpus, obj["id"], obj["text"], spans, [tuple(m) for m in obj.get("missing", [])]))
    return out


def convert_corpora(paths: CorpusPaths, out: Path, tokenizer, *, missing_titles: bool = True) -> dict[str, object]:
    """Learn the split words, then write `train/*.spacy`, `tune.spacy` and `dev_*.jsonl` under `out`.

    The split words are learnt with the core tokenizer on the training side only and set on
    `tokenizer` (and saved as `split_words.json`) before any sentence is converted.
    """
    import spacy
    from spacy.tokens import DocBin

    from newsgraph.patterns import title_gap_words

    splits, read_stats = read_corpora(paths)
    tokenizer.set_split_words({})
    train_side = [ex for name, exs in splits.items() if name.startswith("train_") for ex in exs]
    rules = learn_split_words(train_side, word_pairs(tokenizer))
    tokenizer.set_split_words(rules)
    (out / "train").mkdir(parents=True, exist_ok=True)
    (out / "split_words.json").write_text(json.dumps(rules, ensure_ascii=False, indent=0), encoding="utf-8")
    tokenize = word_pairs(tokenizer)
    vocab = spacy.blank("zh").vocab
    titles = sorted(title_gap_words())
    align = AlignStats()
    for name, examples in splits.items():
        if name.startswith("dev_"):
            write_dev_jsonl(examples, out / f"{name}.jsonl")
            continue
        docs = DocBin(store_user_data=True)
        for ex in examples:
            docs.add(to_doc(ex, vocab, tokenize, titles, align, missing_titles=missing_titles))
        target = (
            out / "train" / f"{name.removeprefix('train_')}.spacy"
            if name.startswith("train_")
            else out / f"{name}.spacy"
        )
        docs.to_disk(target)
    report = {
        "sentences": {name: len(examples) for name, examples in splits.items()},
        "read": {
            c: {"sentences": dict(s.sentences), "spans": dict(s.spans), "dropped": dict(s.dropped)}
            for c, s in read_stats.items()
        },
        "split_words": len(rules),
        "alignment": align.table(),
    }
    (out / "convert.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return report


def core_tokenizer(model: Path):
    """The tokenizer of a saved pipeline (our pkuseg words, gazetteer merges, split words)."""
    from newsgraph.pipeline import load_pipeline

    return load_pipeline(model).tokenizer


def word_pairs(tokenizer) -> Callable[[str], list[tuple[str, bool]]]:
    """Our words for a text, as (word, followed by a space) pairs."""

    def tokenize(text: str) -> list[tuple[str, bool]]:
        return [(t.text, bool(t.whitespace_)) for t in tokenizer(text)]

    return tokenize


@dataclass(frozen=True)
class NerSettings:
    corpora: Path
    core: Path
    out: Path
    work: Path
    rmrb: Path = TRAINING / "core" / "rmrb"  # converted by `newsgraph train core`, else from DEFAULT_RMRB
    max_steps: int = 15000
    missing_titles: bool = True
    vectors: bool = True  # floret vectors trained on raw text (vectors.py); off for smoke tests
    config: Path = NER_CONFIG
    force: bool = False


def train_ner(settings: NerSettings, report: Callable[[str], None] = print) -> dict[str, object]:
    """Run every step (skipping those already done with the same inputs); save the pipeline to `settings.out`."""
    from newsgraph.training.core import StepLog

    work = settings.work
    work.mkdir(parents=True, exist_ok=True)
    steps = StepLog(work, settings.force)
    paths = CorpusPaths(settings.corpora)
    stamp = {
        "converter": CONVERTER_VERSION,
        "corpora": paths.stamp(),
        "core": _folder_digest(settings.core / "tokenizer"),
        "titles": _pattern_digest("titles.tsv", "hanlp_titles.tsv"),
        "missing_titles": settings.missing_titles,
    }
    if steps.needed("convert", stamp, work / "tune.spacy"):
        report(f"converting the NER corpora in {settings.corpora}")
        counts = convert_corpora(paths, work, core_tokenizer(settings.core), missing_titles=settings.missing_titles)
        report(f"  sentences {counts['sentences']}; alignment {counts['alignment']}")
        steps.finished("convert", stamp)
    vectors = work / "vectors" if settings.vectors else None
    if vectors is not None:
        stamp = {"corpora": paths.stamp(), "rmrb": str(settings.rmrb), "settings": str(VectorSettings())}
        if steps.needed("vectors", stamp, vectors / "vocab"):
            report("training floret vectors on raw text (vectors.py)")
            tokenizer = core_tokenizer(settings.core)
            tokenizer.set_split_words(json.loads((work / "split_words.json").read_text(encoding="utf-8")))
            chars = write_text(
                settings.corpora, _vector_extra(paths, settings.rmrb), _words(tokenizer), work / "vectors.txt"
            )
            report(f"  {chars:,} characters of text")
            train_vectors(work / "vectors.txt", vectors)
            steps.finished("vectors", stamp)
    stamp = {
        "core": _folder_digest(settings.core / "tok2vec") + _folder_digest(settings.core / "tagger"),
        "steps": settings.max_steps,
        "config": hashlib.sha256(settings.config.read_bytes()).hexdigest(),
        "vectors": vectors is not None,
    }
    model = work / "model"
    if steps.needed("ner", stamp, model / "model-best"):
        report(f"training the ner, at most {settings.max_steps} steps (output: {model})")
        _spacy_train(work, model, settings, vectors)
        steps.finished("ner", stamp)
    split_rules = json.loads((work / "split_words.json").read_text(encoding="utf-8"))
    nlp = assemble_ner(settings.core, model / "model-best", split_rules)
    scores = score_all(nlp, work)
    nlp.meta.setdefault("performance", {})["ner"] = scores
    nlp.to_disk(settings.out)
    summary = {k: v.get("model", v)["ALL"]["f1"] for k, v in scores.items()}
    report(f"saved {settings.out}: entity F1 " + json.dumps(summary))
    return scores


def _pattern_digest(*names: str) -> str:
    from importlib import resources

    digest = hashlib.sha256()
    for name in names:
        digest.update(resources.files("newsgraph.patterns").joinpath(name).read_bytes())
    return digest.hexdigest()


def _folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _vector_extra(paths: CorpusPaths, rmrb: Path) -> Iterator[str]:
    """The training side of the NER corpora and of RMRB: text the vectors may read."""
    splits, _ = read_corpora(paths)
    for name, examples in splits.items():
        if name.startswith("train_"):
            yield from (ex.text for ex in examples)
    rmrb_train = rmrb / "train.txt"
    if rmrb_train.is_file():
        yield from (line.replace(" ", "").strip() for line in rmrb_train.open(encoding="utf-8"))


def _words(tokenizer) -> Callable[[str], list[str]]:
    return lambda text: [t.text for t in tokenizer(text)]


def _trains_tagger(config: Path) -> bool:
    from spacy.util import load_config

    training = load_config(config, interpolate=False)["training"]
    return "tagger" not in training.get("frozen_components", [])


def _training_corpora(work: Path, rmrb: Path) -> tuple[Path, Path]:
    """`corpus/train` and `corpus/tune` for a config that trains the tagger as well
    (ner_shared.cfg): the NER sentences with People's Daily's tagged sentences beside them
    (links). RMRB is converted here if `newsgraph train core` has not left it in `rmrb`."""
    from newsgraph.training.rmrb import convert

    if not (rmrb / "train.spacy").exists():
        source = rmrb if rmrb.suffix == ".txt" else DEFAULT_RMRB
        rmrb = work / "rmrb"
        convert(source, rmrb)
    train, tune = work / "corpus" / "train", work / "corpus" / "tune"
    ner_files = {f"{p.stem}.spacy": p for p in sorted((work / "train").glob("*.spacy"))}
    for folder, links in (
        (train, ner_files | {"rmrb.spacy": rmrb / "train.spacy"}),
        (tune, {"ner.spacy": work / "tune.spacy", "rmrb-dev.spacy": rmrb / "dev.spacy"}),
    ):
        folder.mkdir(parents=True, exist_ok=True)
        for name, target in links.items():
            link = folder / name
            link.unlink(missing_ok=True)
            link.symlink_to(target.resolve())
    return train, tune


def _spacy_train(work: Path, out: Path, settings: NerSettings, vectors: Path | None) -> None:
    from spacy.cli.train import train

    if _trains_tagger(settings.config):
        train_dir, tune_dir = _training_corpora(work, settings.rmrb)
    else:  # the tagger is frozen: its sentences would teach nothing
        train_dir, tune_dir = work / "train", work / "tune.spacy"
    overrides = {
        "paths.train": str(train_dir),
        "paths.dev": str(tune_dir),
        "paths.core": str(settings.core),
        "training.max_steps": settings.max_steps,
    }
    if vectors is not None:
        overrides["paths.vectors"] = str(vectors)
    else:
        overrides["components.ner.model.tok2vec.embed.include_static_vectors"] = False
    train(settings.config, out, overrides=overrides)


def assemble_ner(core: Path, ner_dir: Path, split_rules: dict[str, list[int]]):
    """The core pipeline with the split words, the trained ner and the entity rules."""
    import spacy

    from newsgraph.pipeline import load_pipeline
    from newsgraph.training.rules import refresh_rules

    nlp = load_pipeline(core)
    nlp.tokenizer.set_split_words(split_rules)
    trained = spacy.load(ner_dir)
    if trained.vocab.vectors.shape[0]:  # the ner's static vectors travel with the pipeline
        nlp.vocab.vectors = trained.vocab.vectors
    first_rule = nlp.pipe_names[nlp.pipe_names.index("tagger") + 1]
    nlp.add_pipe("ner", source=trained, before=first_rule)
    nlp.add_pipe("newsgraph_entity_rules", before=first_rule)
    nlp.add_pipe("newsgraph_officials")  # last: these read every component's entities
    nlp.add_pipe("newsgraph_places")
    nlp.add_pipe("newsgraph_events")  # reads the officials
    refresh_rules(nlp)  # every rule component and the tokenizer on today's rule files, the core's too
    nlp.meta.update(
        name="news",
        description=(
            "newsgraph news pipeline: the core segmenter and tagger, split words, an entity recogniser "
            "(PERSON, PLACE, ORG, TITLE) trained on MSRA, CLUENER and Resume, and rule components"
        ),
        sources=[
            *nlp.meta.get("sources", []),
            {"name": "MSRA NER (SIGHAN 2006), train.txt minus the dev sentences", "license": "none stated"},
            {"name": "CLUENER2020 train.json, 90%", "license": "none stated"},
            {"name": "Resume NER train", "license": "none stated"},
            {"name": "HanLP CoreNatureDictionary (job titles, for training only)", "license": "Apache-2.0"},
            {"name": "People's Daily 2019-2020 raw text (floret vectors only)", "license": "copyrighted text"},
        ],
    )
    return nlp


def score_all(nlp, work: Path) -> dict[str, dict]:
    """Every dev set that is there, and the seed page's gold (see `score_named`)."""
    names = [n for n in DEV_SETS if (work / f"dev_{n}.jsonl").is_file()]
    return {name: score_named(nlp, name, work) for name in [*names, "seed"]}


def check_dev_set(name: str) -> None:
    if name not in (*DEV_SETS, "seed"):
        raise InputError("--dev", f"unknown dev set {name!r}: choose from {', '.join((*DEV_SETS, 'seed'))}")


def score_named(nlp, name: str, work: Path) -> dict[str, dict]:
    """One dev set: `seed` (the gold page, whole pipeline) or a corpus's converted dev set.

    On a corpus's dev set the statistical model is scored alone (`model`: the rules follow
    docs/ANNOTATION.md, whose titles and organisation names the corpora cut differently) and the
    whole pipeline too (`pipeline`).
    """
    from newsgraph.paths import CORPUS
    from newsgraph.training.ner_scores import score_examples, score_gold_page

    check_dev_set(name)
    if name == "seed":
        return score_gold_page(nlp, CORPUS / "pages" / "page-000.txt", CORPUS / "gold" / "page-000.jsonl")
    examples = read_dev_jsonl(work / f"dev_{name}.jsonl")
    with nlp.select_pipes(disable=[p for p in ("newsgraph_entity_rules",) if p in nlp.pipe_names]):
        model = score_examples(nlp, examples)
    return {"model": model, "pipeline": score_examples(nlp, examples)}
