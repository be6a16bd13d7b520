"""Rule components carry their rule files: a model folder runs on its own copy, wherever it is."""

from __future__ import annotations

import json
import shutil

import pytest
import spacy

import newsgraph.components  # noqa: F401 - registers the factories
from newsgraph import rule_data
from newsgraph.annotate import annotate
from newsgraph.components.carried_rules import CarriesRules, rules_in_folder
from newsgraph.errors import InputError
from newsgraph.inputs import read_inputs
from newsgraph.paths import CORE_MODEL, NEWS_MODEL
from newsgraph.pipeline import load_pipeline
from newsgraph.rule_data import RuleData, package_data, using
from newsgraph.training.rules import rebuild_rules
from tests.conftest import SEED_PAGE

RULE_FACTORIES = (
    "newsgraph_entity_rules",
    "newsgraph_quantities",
    "newsgraph_dates",
    "newsgraph_officials",
    "newsgraph_places",
    "newsgraph_events",
)
DROPPED_PLACE = "薛家岛街道"  # a gazetteer place of the seed page


def seed_records(nlp) -> list[dict]:
    return list(annotate(nlp, list(read_inputs([SEED_PAGE]))))


def without_place(texts: dict[str, str]) -> dict[str, str]:
    lines = texts["gazetteer.tsv"].splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(DROPPED_PLACE + "\t")]
    assert len(kept) == len(lines) - 1
    return {**texts, "gazetteer.tsv": "".join(kept)}


@pytest.fixture
def model_copy(tmp_path):
    model = tmp_path / "zh_news"
    shutil.copytree(NEWS_MODEL, model)
    return model


def test_a_copied_model_runs_on_its_own_rule_files(model_copy, monkeypatch):
    before = seed_records(load_pipeline(model_copy))
    edited = RuleData.of(without_place(package_data().texts), "edited")
    monkeypatch.setattr(rule_data, "_package", [edited])  # the checkout's TSVs now lack the place
    loaded = load_pipeline(model_copy)
    assert seed_records(loaded) == before
    # and the edit matters: the same model given the edited files tags the page otherwise
    for _name, pipe in loaded.pipeline:
        if isinstance(pipe, CarriesRules):
            pipe.set_rule_data(edited)
    assert seed_records(loaded) != before


def test_rebuild_rules_refreshes_rule_files_and_merge_words_together(model_copy, tmp_path):
    patterns = tmp_path / "patterns"
    patterns.mkdir()
    for name, text in without_place(package_data().texts).items():
        (patterns / name).write_text(text, encoding="utf-8")
    done = rebuild_rules(model_copy, patterns)
    assert set(done["components"]) == set(RULE_FACTORIES)
    for name in RULE_FACTORIES:
        assert DROPPED_PLACE not in (model_copy / name / "gazetteer.tsv").read_text(encoding="utf-8")
    merge_words = json.loads((model_copy / "tokenizer" / "merge_words.json").read_text(encoding="utf-8"))
    assert DROPPED_PLACE not in merge_words
    assert DROPPED_PLACE not in load_pipeline(model_copy).tokenizer.merge_lexicon
    assert rules_in_folder(model_copy).digest == done["digest"]
    # back to the package's files: the shipped model's records again
    rebuild_rules(model_copy)
    assert seed_records(load_pipeline(model_copy)) == seed_records(load_pipeline(NEWS_MODEL))


def test_rebuild_rules_names_what_is_wrong(tmp_path):
    with pytest.raises(InputError, match=r"no config\.cfg"):
        rebuild_rules(tmp_path)
    (tmp_path / "patterns").mkdir()
    (tmp_path / "patterns" / "gazetteer.tsv").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"rule files missing: .*titles\.tsv"):
        rebuild_rules(NEWS_MODEL, tmp_path / "patterns")


@pytest.mark.parametrize("factory", RULE_FACTORIES)
def test_each_rule_component_round_trips_its_rule_files(factory, tmp_path):
    nlp = spacy.blank("zh")
    pipe = nlp.add_pipe(factory)
    edited = RuleData.of(without_place(package_data().texts), "edited")
    pipe.set_rule_data(edited)
    pipe.to_disk(tmp_path / factory)
    fresh = spacy.blank("zh").add_pipe(factory)
    assert fresh.rule_data.digest == package_data().digest
    fresh.from_disk(tmp_path / factory)
    assert fresh.rule_data.texts == edited.texts
    again = spacy.blank("zh").add_pipe(factory).from_bytes(pipe.to_bytes())
    assert again.rule_data.digest == edited.digest


def test_initialize_takes_the_package_files_or_a_folder(tmp_path):
    pipe = spacy.blank("zh").add_pipe("newsgraph_entity_rules")
    for name, text in without_place(package_data().texts).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    pipe.initialize(patterns=tmp_path)
    assert DROPPED_PLACE not in pipe.gazetteer  # the component's index follows its files
    pipe.initialize()
    assert DROPPED_PLACE in pipe.gazetteer


def test_a_model_folder_whose_rule_files_were_changed_is_refused(model_copy):
    target = model_copy / "newsgraph_dates" / "quantity_units.tsv"
    target.write_text(target.read_text(encoding="utf-8") + "亩\tmeasure\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"quantity_units\.tsv.*differs from rule_data\.json"):
        load_pipeline(model_copy)
    shutil.rmtree(model_copy / "newsgraph_events")
    with pytest.raises(InputError, match=r"newsgraph_events: no rule data.*rebuild-rules"):
        RuleData.from_folder(model_copy / "newsgraph_events")


@pytest.mark.parametrize("model", [NEWS_MODEL, CORE_MODEL], ids=["zh_news", "zh_core"])
def test_the_shipped_models_carry_the_rule_files_of_the_checkout(model):
    """Whoever edits newsgraph/patterns/ refreshes the shipped models with it, in the same commit."""
    from newsgraph.patterns import segmenter_words

    hint = f"run `newsgraph rebuild-rules {model.relative_to(model.parent.parent)}`"
    assert rules_in_folder(model).digest == package_data().digest, hint
    merge_words = json.loads((model / "tokenizer" / "merge_words.json").read_text(encoding="utf-8"))
    assert merge_words == sorted(segmenter_words()), hint


ROLES_FILES = (
    "quantity_object_words.tsv",
    "site_words.tsv",
    "event_cues.tsv",
    "name_words.tsv",
    "place_levels.tsv",
    "tag_sets.tsv",
)


@pytest.mark.parametrize("name", ROLES_FILES)
def test_every_roles_file_declares_its_roles_and_uses_each(name):
    from newsgraph.patterns import read_role_lists

    with using(package_data()):
        roles = read_role_lists(name)
    assert roles and all(roles.values()), f"{name}: a declared role with no word"


def test_a_row_with_an_undeclared_role_is_refused_naming_file_and_line():
    from newsgraph.patterns import name_words

    text = package_data().texts["name_words.tsv"] + "各位\tgeneric_befor\n"
    line = text.count("\n")
    with (
        using(RuleData.of({**package_data().texts, "name_words.tsv": text}, "edited")),
        pytest.raises(InputError, match=rf"^edited/name_words\.tsv:{line}: unknown role 'generic_befor'"),
    ):
        name_words()


def test_a_roles_file_without_its_declaration_is_refused():
    from newsgraph.patterns import tag_sets

    text = "".join(
        line
        for line in package_data().texts["tag_sets.tsv"].splitlines(keepends=True)
        if not line.startswith("#roles:")
    )
    with (
        using(RuleData.of({**package_data().texts, "tag_sets.tsv": text}, "edited")),
        pytest.raises(InputError, match=r"tag_sets\.tsv: a roles file declares its roles"),
    ):
        tag_sets()


def test_a_rank_that_is_no_number_is_refused_naming_the_line():
    from newsgraph.patterns import level_ranks

    text = "# ranks\n省\t0\n市\tone\n"
    with (
        using(RuleData.of({**package_data().texts, "level_ranks.tsv": text}, "edited")),
        pytest.raises(InputError, match=r"level_ranks\.tsv:3: rank 'one' of 市"),
    ):
        level_ranks()
