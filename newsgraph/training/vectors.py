"""Static word vectors for the entity recogniser, trained here on raw text (floret).

No pretrained Chinese vectors can be had, so we train floret vectors (fastText with hashed
subwords: every word, seen or not, gets a vector from its characters) on our own words of:
- People's Daily 2019–2020 (`peoples_daily_2019_2020/articles.jsonl`, raw text: the nearest
  public text to our domain; the vectors are a statistic of it, the text is never copied);
- the training side of the NER corpora (never their dev sets);
- the RMRB train split, when `newsgraph train core` has converted it.
The table is small (20,000 hashed rows × 64 dims, 5 MB) and saved with the pipeline.
Training needs the `floret` package: `pip install -e ".[train]"`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from newsgraph.errors import InputError
from newsgraph.normalize import normalize

RAW_ARTICLES = Path("peoples_daily_2019_2020") / "articles.jsonl"


@dataclass(frozen=True)
class VectorSettings:
    dim: int = 64
    bucket: int = 20000
    epochs: int = 5
    min_count: int = 3
    minn: int = 1  # subwords of 1–3 characters: a Chinese word's characters and pieces
    maxn: int = 3


def write_text(corpora: Path, extra: Iterable[str], tokenize: Callable[[str], list[str]], out: Path) -> int:
    """One line of our words per source line; returns the characters written."""
    articles = corpora / RAW_ARTICLES
    if not articles.is_file():
        raise InputError(str(articles), "raw text for the vectors not found")
    chars = 0
    with out.open("w", encoding="utf-8") as handle:

        def write(text: str) -> None:
            nonlocal chars
            for line in text.split("\n"):
                if line.strip():
                    handle.write(" ".join(w for w in tokenize(line) if not w.isspace()) + "\n")
                    chars += len(line)

        with articles.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    article = json.loads(line)
                    parts = [article.get("title") or "", article.get("subtitle") or "", article.get("text") or ""]
                except (json.JSONDecodeError, AttributeError):
                    raise InputError(str(articles), "not a JSON article", number) from None
                write(normalize("\n".join(parts)).text)
        for text in extra:
            write(text)
    return chars


def train_vectors(text: Path, out: Path, settings: VectorSettings = VectorSettings()) -> Path:
    """floret on `text`, then a spaCy vectors table in `out` (a blank pipeline folder)."""
    try:
        import floret
    except ImportError:
        raise InputError("floret", 'not installed: pip install -e ".[train]"') from None
    import spacy
    from spacy.training.initialize import convert_vectors

    model = floret.train_unsupervised(
        str(text),
        model="cbow",
        mode="floret",
        hashCount=2,
        bucket=settings.bucket,
        minn=settings.minn,
        maxn=settings.maxn,
        dim=settings.dim,
        epoch=settings.epochs,
        minCount=settings.min_count,
        thread=2,
        verbose=0,
    )
    out.mkdir(parents=True, exist_ok=True)
    floret_file = out.parent / f"{out.name}.floret"
    model.save_floret_vectors(str(floret_file))
    nlp = spacy.blank("zh")
    convert_vectors(nlp, floret_file, truncate=0, prune=-1, mode="floret")
    nlp.to_disk(out)
    return out
