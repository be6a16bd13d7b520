"""Rule data as files, read by typed readers: the data can change without the code.

The readers read the rule data in force (`newsgraph.rule_data`): a running component's own
copy, else these files; what they build is kept per rule data (`rule_cache`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsgraph.errors import InputError
from newsgraph.rule_data import in_force, rule_cache

ROLES_DECLARATION = "#roles:"  # a roles file's line that names the roles it may use


def read_tsv(name: str, columns: int) -> list[tuple[str, ...]]:
    """Rows of the rule file NAME (`newsgraph/patterns/NAME` or a model's copy), comments and blank lines skipped."""
    return [cells for _lineno, cells in read_numbered(name, columns)]


def read_numbered(name: str, columns: int) -> list[tuple[int, tuple[str, ...]]]:
    """`read_tsv`'s rows with their line numbers, for errors that name the line."""
    rows: list[tuple[int, tuple[str, ...]]] = []
    for lineno, line in enumerate(in_force().text(name).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = tuple(line.split("\t"))
        if len(cells) != columns:
            raise rule_error(name, f"expected {columns} tab-separated columns, got {len(cells)}", lineno)
        rows.append((lineno, cells))
    return rows


def rule_error(name: str, problem: str, line: int | None = None) -> InputError:
    """A bad rule file, named where it was read from (the package or a model's copy)."""
    return InputError(f"{in_force().origin}/{name}", problem, line)


@dataclass(frozen=True)
class FurnitureLabel:
    kind: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class BylineWord:
    kind: str  # reporter, correspondent, photographer, or closing
    surface: str


@rule_cache
def furniture_labels() -> tuple[FurnitureLabel, ...]:
    return tuple(FurnitureLabel(kind, re.compile(regex)) for kind, regex in read_tsv("page_furniture.tsv", 2))


@rule_cache
def byline_words() -> tuple[BylineWord, ...]:
    words = [BylineWord(kind, surface) for kind, surface in read_tsv("bylines.tsv", 2)]
    return tuple(sorted(words, key=lambda w: -len(w.surface)))


@dataclass(frozen=True)
class GazetteerEntry:
    surface: str
    label: str  # PLACE or ORG
    level: str


@rule_cache
def gazetteer() -> tuple[GazetteerEntry, ...]:
    return tuple(GazetteerEntry(*row) for row in read_tsv("gazetteer.tsv", 3))


@rule_cache
def gazetteer_place_levels() -> dict[str, str]:
    """The gazetteer's PLACE surfaces with their levels (隐珠街道 → 街道)."""
    return {e.surface: e.level for e in gazetteer() if e.label == "PLACE"}


@rule_cache
def segmenter_words() -> tuple[str, ...]:
    """Words the segmenter keeps whole: every gazetteer surface and domain term, sorted."""
    terms = (surface for surface, _why in read_tsv("domain_terms.tsv", 2))
    return tuple(sorted({entry.surface for entry in gazetteer()} | set(terms)))


@rule_cache
def quantity_units() -> dict[str, str]:
    """Unit or measure word → its kind (measure, metric, money, duration, percent, compound)."""
    return dict(read_tsv("quantity_units.tsv", 2))


def read_role_lists(name: str) -> dict[str, tuple[str, ...]]:
    """A `word<TAB>role` file as role → its words in file order. The file declares its roles
    (`#roles: a b c`); a row with another role is an error naming the file and line."""
    text = in_force().text(name)
    declared = [
        line[len(ROLES_DECLARATION) :].split() for line in text.splitlines() if line.startswith(ROLES_DECLARATION)
    ]
    if len(declared) != 1 or not declared[0]:
        raise rule_error(name, f"a roles file declares its roles on one line: {ROLES_DECLARATION} ROLE …")
    roles: dict[str, list[str]] = {role: [] for role in declared[0]}
    for lineno, (word, role) in read_numbered(name, 2):
        if role not in roles:
            raise rule_error(name, f"unknown role {role!r} (the file declares {', '.join(roles)})", lineno)
        roles[role].append(word)
    return {role: tuple(words) for role, words in roles.items()}


def read_roles(name: str) -> dict[str, frozenset[str]]:
    """A roles file (`read_role_lists`) as role → its words."""
    return {role: frozenset(words) for role, words in read_role_lists(name).items()}


@rule_cache
def quantity_object_words() -> dict[str, frozenset[str]]:
    """Role (link, suffix, body_counter, thing_counter) → the words that steer the object search."""
    return read_roles("quantity_object_words.tsv")


@rule_cache
def title_words() -> frozenset[str]:
    """Offices one person holds (书记, 副主任 …): the heads of TITLE spans."""
    return frozenset(word for word, _kind in read_tsv("titles.tsv", 2))


@rule_cache
def title_gap_words() -> frozenset[str]:
    """Our titles and HanLP's job-title list: words a corpus without TITLE leaves unknown."""
    return title_words() | {word for word, _freq in read_tsv("hanlp_titles.tsv", 2)}


@rule_cache
def org_words() -> frozenset[str]:
    """Words an organisation's name ends in (党工委 办事处 中心 中队 医院 …), hand-written."""
    return frozenset(word for word, _kind in read_tsv("org_suffixes.tsv", 2))


@rule_cache
def local_body_words() -> frozenset[str]:
    """Bodies that take a neighbouring title's place (办事处 after 薛家岛街道党工委委员)."""
    return frozenset(word for word, _what in read_tsv("local_bodies.tsv", 2))


@rule_cache
def place_suffix_words() -> frozenset[str]:
    """Words a place name ends in (社区, 街道, 小区 …)."""
    return frozenset(word for word, _level in read_tsv("place_suffixes.tsv", 2))


NAME_HEAD_LEVELS = frozenset({"街道", "社区", "村", "小区"})


@rule_cache
def place_suffix_levels() -> dict[str, str]:
    """Place suffix → the level of a place it ends (社区 → 社区, 新区 → 区, 基地 → 场所)."""
    return dict(read_tsv("place_suffixes.tsv", 2))


@rule_cache
def place_suffixes_longest_first() -> tuple[tuple[str, str], ...]:
    """(suffix, level) pairs, longest suffix first, then in code-point order: the order to try them."""
    return tuple(sorted(place_suffix_levels().items(), key=lambda item: (-len(item[0]), item[0])))


@rule_cache
def place_name_heads() -> frozenset[str]:
    """Place words that make a name of the plain words before them (东方时尚 + 小区): the
    levels where local names are made so; 市, 区, 路 and 基地 are too often generic."""
    return frozenset(w for w, level in read_tsv("place_suffixes.tsv", 2) if level in NAME_HEAD_LEVELS and len(w) >= 2)


@rule_cache
def never_entities() -> frozenset[str]:
    """Surfaces that are never an entity (党员, 物业, 新区): the model's spans on them are dropped."""
    return frozenset(surface for surface, _why in read_tsv("entity_stop.tsv", 2))


@rule_cache
def site_words() -> dict[str, frozenset[str]]:
    """Role (head, frame, descriptor) → the words that find a visited site's name (`site_words.tsv`)."""
    return read_roles("site_words.tsv")


EVENT_TYPES = (
    "meeting",
    "inspection",
    "enforcement",
    "drill",
    "ceremony",
    "party_activity",
    "cultural",
    "visit",
    "agreement",
    "service",
    "other",
)
TRIGGER_KINDS = ("activity", "result", "gather", "light", "name_head")


@dataclass(frozen=True)
class TriggerWord:
    word: str
    type: str | None  # one of EVENT_TYPES; None for gather and light verbs
    kind: str  # one of TRIGGER_KINDS


@rule_cache
def event_triggers() -> tuple[TriggerWord, ...]:
    """The trigger lexicon (`event_triggers.tsv`), checked against the fixed types and kinds."""
    words = []
    for lineno, (word, kind_type, kind) in read_numbered("event_triggers.tsv", 3):
        type_ = None if kind_type == "-" else kind_type
        if kind not in TRIGGER_KINDS or (type_ is None) != (kind in ("gather", "light")):
            raise rule_error("event_triggers.tsv", f"{word}: bad kind {kind!r} for type {kind_type!r}", lineno)
        if type_ is not None and type_ not in EVENT_TYPES:
            raise rule_error("event_triggers.tsv", f"{word}: unknown type {type_!r}", lineno)
        words.append(TriggerWord(word, type_, kind))
    return tuple(words)


@rule_cache
def event_lead_verbs() -> frozenset[str]:
    """The gather and light verbs (举行, 开展, 组织 …): verbs wherever the tagger puts them."""
    return frozenset(t.word for t in event_triggers() if t.kind in ("gather", "light"))


@rule_cache
def event_cues() -> dict[str, frozenset[str]]:
    """Role (plan, continue, speech, co_agent, coordinate, frame, frame_after) → its words."""
    return read_roles("event_cues.tsv")


@rule_cache
def fixed_split_words() -> dict[str, tuple[int, ...]]:
    """Word → the offsets to cut it at, whatever the learned rules say (`split_words.tsv`)."""
    return {word: tuple(int(c) for c in cuts.split(",")) for word, cuts, _why in read_tsv("split_words.tsv", 3)}


@rule_cache
def name_words() -> dict[str, frozenset[str]]:
    """Role (generic_before, generic_name, level_prefix, village_end) → the words around a name
    that the entity rules read (`name_words.tsv`)."""
    return read_roles("name_words.tsv")


@rule_cache
def place_levels() -> dict[str, tuple[str, ...]]:
    """Role (name_suffix, level_word, parent_level, small_level, not_place) → its words, in file
    order (`place_levels.tsv`)."""
    return read_role_lists("place_levels.tsv")


@rule_cache
def level_ranks() -> dict[str, int]:
    """Level → rank, larger places first (`level_ranks.tsv`)."""
    ranks = {}
    for lineno, (level, rank) in read_numbered("level_ranks.tsv", 2):
        if not rank.isdigit():
            raise rule_error("level_ranks.tsv", f"rank {rank!r} of {level} is no whole number", lineno)
        ranks[level] = int(rank)
    return ranks


@rule_cache
def tag_sets() -> dict[str, frozenset[str]]:
    """Set name (quantity_object_noun, event_noun, reference_noun) → its tags (`tag_sets.tsv`)."""
    return read_roles("tag_sets.tsv")
