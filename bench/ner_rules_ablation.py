"""What each rule of `newsgraph_entity_rules` adds or costs: the seed gold and the dev sets,
with all rules, with each rule switched off in turn, and with none (the model alone).

    python bench/ner_rules_ablation.py [--model models/zh_news] [--work training/ner]

The rules follow docs/ANNOTATION.md, so they are chosen on the seed gold; the dev sets show
what they cost against the corpora's own conventions (MSRA writes 国务院 | 总理 where we
write one TITLE 国务院总理).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from newsgraph.components.entity_rules import GAZETTEER_POLICIES
from newsgraph.paths import CORPUS, TRAINING
from newsgraph.pipeline import load_pipeline
from newsgraph.training.ner import DEV_SETS, read_dev_jsonl
from newsgraph.training.ner_scores import score_examples, score_gold_page

RULES = ("checks", "gazetteer", "bylines", "orgs", "titles", "sites")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--work", type=Path, default=TRAINING / "ner")
    args = parser.parse_args()
    nlp = load_pipeline(args.model)
    rules = nlp.get_pipe("newsgraph_entity_rules")
    dev = {n: read_dev_jsonl(args.work / f"dev_{n}.jsonl") for n in DEV_SETS if (args.work / f"dev_{n}.jsonl").exists()}
    variants = [("all rules", set(RULES), "rule_first")]
    variants += [(f"gazetteer {p}", set(RULES), p) for p in GAZETTEER_POLICIES if p != "rule_first"]
    variants += [(f"without {r}", set(RULES) - {r}, "rule_first") for r in RULES] + [("no rules", set(), "rule_first")]
    print(f"{'variant':<24}{'seed F1':>9}{'seed P':>8}{'seed R':>8}" + "".join(f"{n + ' F1':>13}" for n in dev))
    for name, on, policy in variants:
        rules.gazetteer_policy = policy
        for rule in RULES:
            setattr(rules, f"use_{rule}", rule in on)
        seed = score_gold_page(nlp, CORPUS / "pages" / "page-000.txt", CORPUS / "gold" / "page-000.jsonl")["ALL"]
        cells = "".join(f"{score_examples(nlp, examples)['ALL']['f1']:>13.4f}" for examples in dev.values())
        print(f"{name:<24}{seed['f1']:>9.4f}{seed['precision']:>8.4f}{seed['recall']:>8.4f}{cells}", flush=True)


if __name__ == "__main__":
    main()
