"""Which rule files are in force: the package's `newsgraph/patterns/`, or a model's own copy.

A rule component takes the rule files in `initialize()` (from `newsgraph/patterns/` unless told
otherwise), keeps them as its state and writes them into its folder of the model, as spaCy's
EntityRuler keeps its patterns; loaded, it runs on the copy in its folder. The readers in
`newsgraph.patterns` read the files of the `RuleData` in force: a component puts its own in
force while it runs (`using`), and outside every component the package's are. So a model
folder gives the same records wherever it is loaded, whatever the checkout's TSVs say.

What the readers build from the files (sets, indexes, patterns) is kept per `RuleData`
(`rule_cache`); rule data of equal content is one object (`RuleData.of`), so six components
carrying the same files build each index once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import srsly

from newsgraph.errors import InputError

PACKAGE = "newsgraph.patterns"
SUFFIXES = (".tsv", ".jsonl")
MANIFEST = "rule_data.json"  # name → sha1 of each file, written beside them
T = TypeVar("T")


class RuleData:
    """Rule files by name (`gazetteer.tsv` → its text), and what the readers built from them."""

    _interned: ClassVar[dict[str, RuleData]] = {}

    def __init__(self, texts: Mapping[str, str], origin: str) -> None:
        self.texts = dict(sorted(texts.items()))
        self.origin = origin
        self.digest = hashlib.sha1(srsly.json_dumps(self.texts, sort_keys=True).encode("utf-8")).hexdigest()
        self.built: dict[Any, Any] = {}

    @classmethod
    def of(cls, texts: Mapping[str, str], origin: str) -> RuleData:
        """The one RuleData of this content (its indexes built once however many components carry it)."""
        data = cls(texts, origin)
        return cls._interned.setdefault(data.digest, data)

    @classmethod
    def from_package(cls) -> RuleData:
        """The files of `newsgraph/patterns/` in this checkout or installation (read afresh)."""
        return cls._read(resources.files(PACKAGE), "newsgraph/patterns")

    @classmethod
    def from_patterns(cls, folder: Path) -> RuleData:
        """A folder of rule files laid out as `newsgraph/patterns/` (all of them, edited or not)."""
        if not folder.is_dir():
            raise InputError(str(folder), "not a folder of rule files")
        data = cls._read(folder, str(folder))
        missing = sorted(set(package_data().texts) - set(data.texts))
        if missing:
            raise InputError(str(folder), f"rule files missing: {', '.join(missing)}")
        return data

    @classmethod
    def _read(cls, folder: Any, origin: str) -> RuleData:
        texts = {
            entry.name: entry.read_text(encoding="utf-8")
            for entry in folder.iterdir()
            if entry.is_file() and entry.name.endswith(SUFFIXES)
        }
        return cls.of(texts, origin)

    @classmethod
    def from_folder(cls, folder: Path) -> RuleData:
        """The files a component wrote with `to_folder`, checked against their manifest."""
        manifest_path = folder / MANIFEST
        if not manifest_path.exists():
            raise InputError(
                str(folder), "no rule data in this model folder: refresh it with `newsgraph rebuild-rules MODEL`"
            )
        manifest = srsly.read_json(manifest_path)
        texts = {}
        for name, sha1 in manifest.items():
            path = folder / name
            if not path.exists():
                raise InputError(str(path), "rule file listed in rule_data.json is missing")
            text = path.read_text(encoding="utf-8")
            if hashlib.sha1(text.encode("utf-8")).hexdigest() != sha1:
                raise InputError(
                    str(path), "rule file differs from rule_data.json: refresh with `newsgraph rebuild-rules`"
                )
            texts[name] = text
        return cls.of(texts, str(folder))

    def to_folder(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():  # a file the data no longer has must not linger
            if old.name.endswith(SUFFIXES) and old.name not in self.texts:
                old.unlink()
        for name, text in self.texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        manifest = {name: hashlib.sha1(text.encode("utf-8")).hexdigest() for name, text in self.texts.items()}
        srsly.write_json(folder / MANIFEST, manifest)

    def to_bytes(self) -> bytes:
        return srsly.msgpack_dumps({"texts": self.texts, "origin": self.origin})

    @classmethod
    def from_bytes(cls, data: bytes) -> RuleData:
        msg = srsly.msgpack_loads(data)
        return cls.of(msg["texts"], msg["origin"])

    def text(self, name: str) -> str:
        try:
            return self.texts[name]
        except KeyError:
            raise InputError(f"{self.origin}/{name}", "rule file missing from this rule data") from None


_IN_FORCE: ContextVar[RuleData | None] = ContextVar("newsgraph_rule_data", default=None)


_package: list[RuleData] = []  # the package's files, read once a process


def package_data() -> RuleData:
    if not _package:
        _package.append(RuleData.from_package())
    return _package[0]


def in_force() -> RuleData:
    """The rule data the readers read now: a running component's, else the package's."""
    return _IN_FORCE.get() or package_data()


@contextmanager
def using(data: RuleData) -> Iterator[RuleData]:
    """Put `data` in force for the readers until the block ends."""
    token = _IN_FORCE.set(data)
    try:
        yield data
    finally:
        _IN_FORCE.reset(token)


def rule_cache(function: Callable[..., T]) -> Callable[..., T]:
    """`functools.cache`, kept per rule data: what a reader builds from the files in force."""

    @wraps(function)
    def cached(*args: Any) -> T:
        built = in_force().built
        key = (function, args)
        if key not in built:
            built[key] = function(*args)
        return built[key]

    return cached
