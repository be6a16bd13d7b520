"""Markdown tables of the entity scores a pipeline's meta.json holds (written by `newsgraph
train ner`), for the model card: per label P/R/F1 on each dev set and on the seed gold.

    python bench/ner_report.py [models/zh_news]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def table(title: str, scores: dict) -> str:
    rows = [f"**{title}**", "", "| label | P | R | F1 | support |", "|---|---|---|---|---|"]
    for label, s in [*scores["labels"].items(), ("all (micro)", scores["ALL"])]:
        rows.append(f"| {label} | {s['precision']:.4f} | {s['recall']:.4f} | **{s['f1']:.4f}** | {s['support']} |")
    if "gold_spans" in scores:
        rows.append("")
        rows.append(
            f"Gold spans no sequence of our words can form: {scores['unreachable_spans']} of {scores['gold_spans']}."
        )
    return "\n".join(rows) + "\n"


def main() -> None:
    model = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models" / "zh_news"
    ner = json.loads((model / "meta.json").read_text(encoding="utf-8"))["performance"]["ner"]
    for name, result in ner.items():
        if "model" in result:
            print(table(f"{name} dev, {result['model']['sentences']} sentences: the model alone", result["model"]))
            print(table(f"{name} dev: the whole pipeline (rules on)", result["pipeline"]))
        else:
            print(table(f"{name}: the whole pipeline", result))


if __name__ == "__main__":
    main()
