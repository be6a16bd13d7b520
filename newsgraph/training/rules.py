"""Refresh a saved model's rule data from the rule files, the tokenizer's words with it.

A model carries its rule files (each rule component's folder) and the words its tokenizer
keeps whole or cuts (`tokenizer/merge_words.json`, `fixed_split_words.json`), all from
`newsgraph/patterns/`. Edit the TSVs, then run `newsgraph rebuild-rules MODEL`: both are
refreshed in one step, and the model's weights are left as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsgraph.errors import InputError
from newsgraph.rule_data import RuleData, using


def refresh_rules(nlp: Any, data: RuleData | None = None) -> list[str]:
    """Give every rule component of `nlp` the rule files `data` (the package's by default), and
    the tokenizer the merge words and fixed cuts they give: what a model is saved with. Returns
    the rule components' names."""
    from newsgraph.components.carried_rules import CarriesRules
    from newsgraph.patterns import fixed_split_words, segmenter_words

    data = data or RuleData.from_package()
    with using(data):
        merge, fixed = segmenter_words(), fixed_split_words()
    nlp.tokenizer.set_merge_words(merge)
    nlp.tokenizer.set_split_words(nlp.tokenizer.learned_split_rules, fixed)
    names = [name for name, pipe in nlp.pipeline if isinstance(pipe, CarriesRules)]
    for name in names:
        nlp.get_pipe(name).set_rule_data(data)
    return names


def rebuild_rules(model: Path, patterns: Path | None = None) -> dict[str, Any]:
    """Write the rule files (`patterns`, else the package's) into every rule component's folder
    of `model`, and the merge words and fixed cuts they give into its tokenizer. Returns what
    was refreshed: the components, the words, and the rule data's digest."""
    import spacy

    from newsgraph.components.carried_rules import CarriesRules
    from newsgraph.pipeline import load_pipeline

    config_path = model / "config.cfg"
    if not config_path.exists():
        raise InputError(str(model), "not a saved model folder (no config.cfg)")
    data = RuleData.from_patterns(patterns) if patterns else RuleData.from_package()
    config = spacy.util.load_config(config_path)
    nlp = spacy.util.load_model_from_config(config, auto_fill=False, validate=False)
    rule_names = [name for name, pipe in nlp.pipeline if isinstance(pipe, CarriesRules)]
    nlp.from_disk(model, exclude=rule_names)  # the weights and the tokenizer; the rule folders are rewritten
    refresh_rules(nlp, data)
    nlp.tokenizer.to_disk(model / "tokenizer")
    for name in rule_names:
        nlp.get_pipe(name).to_disk(model / name)
    load_pipeline(model)  # the refreshed folder loads and runs
    return {
        "model": str(model),
        "components": rule_names,
        "merge_words": len(nlp.tokenizer.merge_lexicon),
        "fixed_split_words": len(nlp.tokenizer.fixed_split_rules),
        "rule_files": len(data.texts),
        "digest": data.digest,
    }
