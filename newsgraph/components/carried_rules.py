"""The base of the rule components: the rule files they read, carried as their own state.

As spaCy's EntityRuler keeps its patterns, a rule component takes the rule files in
`initialize()` (`newsgraph/patterns/` unless `patterns` names another folder), writes them into
its folder of the model (`to_disk`) and reads them back (`from_disk`); while it runs, its copy
is the rule data in force (`newsgraph.rule_data`). Every component carries the whole set: the
rule modules share readers (dates read the units that quantities read), and git stores the
identical files once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from spacy.training import Example

from newsgraph.rule_data import MANIFEST, RuleData, package_data, using


class CarriesRules:
    """Holds `rule_data`; subclasses run their work inside `with self.rules():`."""

    rule_data: RuleData

    def _start_rules(self) -> None:
        """Called by `__init__`: the package's rule files until `initialize` or `from_disk`."""
        self.set_rule_data(package_data())

    def set_rule_data(self, data: RuleData) -> None:
        self.rule_data = data
        with self.rules():
            self.rules_changed()

    def rules_changed(self) -> None:
        """Rebuild what the component indexes from its rule files (nothing, by default)."""

    def rules(self) -> AbstractContextManager[RuleData]:
        return using(self.rule_data)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Any = None,
        patterns: str | Path | None = None,
    ) -> None:
        """Take the rule files: `patterns` (a folder laid out as newsgraph/patterns/) or the package's."""
        self.set_rule_data(RuleData.from_patterns(Path(patterns)) if patterns else RuleData.from_package())

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        self.rule_data.to_folder(Path(path))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> CarriesRules:
        self.set_rule_data(RuleData.from_folder(Path(path)))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return self.rule_data.to_bytes()

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> CarriesRules:
        self.set_rule_data(RuleData.from_bytes(data))
        return self


def rules_of(nlp: Any) -> RuleData:
    """The rule data a pipeline's rule components carry (the last one's), else the package's:
    what record building reads, so that it agrees with the components."""
    carried = [pipe.rule_data for _name, pipe in nlp.pipeline if isinstance(pipe, CarriesRules)]
    return carried[-1] if carried else package_data()


def rules_in_folder(model: Path | None) -> RuleData:
    """The rule data a saved model folder carries, without loading the model (its last rule
    component's folder), else the package's: what `resolve` reads after a batch run."""
    if model is not None and (model / "config.cfg").exists():
        import spacy

        config = spacy.util.load_config(model / "config.cfg")
        for name in reversed(config["nlp"]["pipeline"]):
            if (model / name / MANIFEST).exists():
                return RuleData.from_folder(model / name)
    return package_data()
